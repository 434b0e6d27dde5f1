package io.bootdesk.console.jetkvm;

import java.io.IOException;

/**
 * A JetKVM call that did not do what was asked, with a one-sentence message fit for the operator.
 * Messages never contain the password.
 */
public final class JetKvmException extends IOException {

    /** What went wrong, so callers can react. */
    public enum Kind {
        /** {@code POST /auth/login-local} answered 401 (wrong password), or a protected route said 401. */
        LOGIN,
        /** Connecting, signaling or waiting for a JSON-RPC answer took longer than configured. */
        TIMEOUT,
        /** The device answered a JSON-RPC request with an error (e.g. -32601 Method not found, -32603 Internal error). */
        REFUSED,
        /** Another session (a browser tab or another BootDesk) connected; a JetKVM allows one session at a time. */
        EVICTED,
        /** The certificate is not trusted; {@link #fingerprint()} is what the device presented. */
        UNTRUSTED_CERTIFICATE,
        /** Network failure, a closed session or an answer that is not JetKVM's. */
        UNREACHABLE,
        /** An extension board (e.g. ATX) is not answering: not connected, or another extension owns the UART. */
        NO_EXTENSION,
        /** webrtc-java's native library could not be loaded (missing shared libraries such as libpulse.so.0). */
        WEBRTC_UNAVAILABLE
    }

    private final Kind kind;
    private final String fingerprint;
    private final Integer rpcCode;

    public JetKvmException(Kind kind, String message, Throwable cause) {
        this(kind, message, null, null, cause);
    }

    public JetKvmException(Kind kind, String message, Integer rpcCode, String fingerprint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.rpcCode = rpcCode;
        this.fingerprint = fingerprint;
    }

    public Kind kind() {
        return kind;
    }

    /** The JSON-RPC error code for {@link Kind#REFUSED} (e.g. -32601, -32603), else null. */
    public Integer rpcCode() {
        return rpcCode;
    }

    /** For {@link Kind#UNTRUSTED_CERTIFICATE}: the SHA-256 fingerprint to show the operator; else null. */
    public String fingerprint() {
        return fingerprint;
    }
}
