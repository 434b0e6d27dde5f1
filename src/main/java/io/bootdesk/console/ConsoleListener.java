package io.bootdesk.console;

/** Hears a console's output on the session's reader thread; must not block. */
public interface ConsoleListener {
    /** Bytes that came from the machine ({@code data} is the listener's to keep). */
    void received(byte[] data);

    /** The session ended: {@code error} is null when it was closed on purpose, else one sentence. */
    default void ended(String error) {
    }
}
