package io.bootdesk.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@code bootdesk ca export} writes. */
public enum ExportFormat {
    /** The root certificate, PEM. */
    PEM,
    /** The root certificate, DER. */
    DER,
    /** SHA-256 of the root's DER in iPXE's form (aa:bb:...), one line. */
    FINGERPRINT,
    /** EFI_SIGNATURE_LIST for OVMF's etc/edk2/https/cacerts or firmware enrolment. */
    ESL,
    /** A FAT12 image with the root (DER, PEM, ESL) for firmware enrolment screens. */
    FAT_IMAGE,
    /** A folder with TRUST=/EMBED= (and CERT=/PRIVKEY= for --machine) and the make lines. */
    IPXE_RECIPE,
    /** The current CRL, DER. */
    CRL;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ExportFormat parse(String text) {
        for (ExportFormat f : values()) {
            if (f.label().equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an export format (one of: "
                + Arrays.stream(values()).map(ExportFormat::label).collect(Collectors.joining(", ")) + ")");
    }
}
