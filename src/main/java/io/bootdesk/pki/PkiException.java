package io.bootdesk.pki;

/** A CA operation could not be done; the message is one sentence saying why (and, where there is one, the fix). */
public class PkiException extends RuntimeException {
    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
