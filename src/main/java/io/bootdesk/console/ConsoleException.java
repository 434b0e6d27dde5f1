package io.bootdesk.console;

/** A console could not be opened or used; the message is one sentence for the operator. */
public final class ConsoleException extends RuntimeException {
    public ConsoleException(String message) {
        super(message);
    }
}
