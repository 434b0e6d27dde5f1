package io.bootdesk.console.redfish;

import java.io.IOException;

/**
 * A Redfish call that did not do what was asked, with a one-sentence message fit for the operator.
 * Messages never contain the password or the session token.
 */
public final class RedfishException extends IOException {

    /** What went wrong, so callers can react (e.g. offer "trust this certificate"). */
    public enum Kind {
        /** 401/403: wrong user name or password, or the account may not do this. */
        LOGIN,
        /** Connecting or waiting for the answer took longer than configured. */
        TIMEOUT,
        /** The BMC answered with an error (its own message is shown). */
        REFUSED,
        /** The BMC does not offer the requested boot target or reset type. */
        UNSUPPORTED,
        /** 412: the resource changed since it was read (ETag mismatch). */
        CHANGED,
        /** The certificate is not trusted; {@link #fingerprint()} is what the BMC presented. */
        UNTRUSTED_CERTIFICATE,
        /** Network failure or an answer that is not Redfish. */
        UNREACHABLE
    }

    private final Kind kind;
    private final String fingerprint;

    public RedfishException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public RedfishException(Kind kind, String message, String fingerprint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.fingerprint = fingerprint;
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#UNTRUSTED_CERTIFICATE}: the SHA-256 fingerprint to show the operator; else null. */
    public String fingerprint() {
        return fingerprint;
    }
}
