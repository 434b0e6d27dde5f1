package io.bootdesk.console.pikvm;

import java.io.IOException;

/**
 * A PiKVM (kvmd) call that did not do what was asked, with a one-sentence message fit for the operator.
 * Messages never contain the password.
 */
public final class PiKvmException extends IOException {

    /** What went wrong, so callers can react. */
    public enum Kind {
        /** 401/403: wrong user name or password (with 2FA: the code appended to the password). */
        LOGIN,
        /** Connecting or waiting for the answer took longer than configured. */
        TIMEOUT,
        /** kvmd answered {@code {"ok": false, "result": {"error": …, "error_msg": …}}}. */
        REFUSED,
        /** Another MSD or ATX operation is in progress ({@code MsdIsBusyError}, {@code AtxIsBusyError}). */
        BUSY,
        /** The streamer has no video signal (HTTP 503 {@code UnavailableError}). */
        NO_SIGNAL,
        /** The certificate is not trusted; {@link #fingerprint()} is what the KVM presented. */
        UNTRUSTED_CERTIFICATE,
        /** Network failure or an answer that is not kvmd's. */
        UNREACHABLE
    }

    private final Kind kind;
    private final String error;
    private final String fingerprint;

    public PiKvmException(Kind kind, String message, String error, String fingerprint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.error = error;
        this.fingerprint = fingerprint;
    }

    public Kind kind() {
        return kind;
    }

    /** kvmd's error class name (e.g. {@code MsdIsBusyError}) when it sent one, else null. */
    public String error() {
        return error;
    }

    /** For {@link Kind#UNTRUSTED_CERTIFICATE}: the SHA-256 fingerprint to show the operator; else null. */
    public String fingerprint() {
        return fingerprint;
    }
}
