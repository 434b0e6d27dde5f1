package io.bootdesk.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** RFC 5280 CRLReason values BootDesk uses; {@link #code} is the value in CRLs and OCSP responses. */
public enum RevocationReason {
    UNSPECIFIED(0),
    KEY_COMPROMISE(1),
    CA_COMPROMISE(2),
    AFFILIATION_CHANGED(3),
    SUPERSEDED(4),
    CESSATION_OF_OPERATION(5),
    PRIVILEGE_WITHDRAWN(9);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The command-line spelling: key-compromise, superseded, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static RevocationReason parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (RevocationReason r : values()) {
            if (r.name().equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a revocation reason (one of: "
                + Arrays.stream(values()).map(RevocationReason::label).collect(Collectors.joining(", ")) + ")");
    }
}
