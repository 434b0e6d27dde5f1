package io.bootdesk.ui;

import com.techsenger.jeditermfx.core.TtyConnector;
import io.bootdesk.console.ConsoleListener;
import io.bootdesk.console.SerialSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * JediTermFX's connection to a machine's serial console: what the machine sends (from the engine's
 * {@link SerialSession}, which also writes the log) is decoded as UTF-8 (invalid bytes become U+FFFD, so a firmware's
 * code-page graphics show as replacement marks rather than stopping the terminal) and handed to the terminal's
 * reader thread; what the technician types goes to the port. The session is re-attached with {@link #attach} when
 * the engine replaces it (a port that went away and came back); while none is attached, typing is dropped and
 * {@link #attached()} says so.
 */
final class SerialTty implements TtyConnector {
    private final String name;
    private final AtomicReference<SerialSession> session = new AtomicReference<>();
    private final StringBuilder pending = new StringBuilder();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer undecoded = ByteBuffer.allocate(8);
    private boolean closed;

    private final ConsoleListener listener = new ConsoleListener() {
        @Override
        public void received(byte[] data) {
            feed(data);
        }
    };

    SerialTty(String name) {
        this.name = name;
    }

    /** Listens to {@code s} instead of the session before (null: none attached). */
    void attach(SerialSession s) {
        SerialSession old = session.getAndSet(s);
        if (old == s) {
            return;
        }
        if (old != null) {
            old.removeListener(listener);
        }
        if (s != null) {
            s.addListener(listener);
        }
    }

    SerialSession attached() {
        SerialSession s = session.get();
        return s != null && s.isOpen() ? s : null;
    }

    /** Text shown as if the machine had sent it (the log's tail when the terminal opens, BootDesk's notes). */
    void show(String text) {
        synchronized (pending) {
            pending.append(text);
            pending.notifyAll();
        }
    }

    /** Bytes from the machine, on the session's reader thread. */
    void feed(byte[] data) {
        synchronized (pending) {
            ByteBuffer in = ByteBuffer.allocate(undecoded.position() + data.length);
            undecoded.flip();
            in.put(undecoded).put(data).flip();
            undecoded.clear();
            CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
            decoder.decode(in, out, false);
            undecoded.put(in); // an incomplete UTF-8 sequence at the end waits for its next bytes (at most 3)
            out.flip();
            pending.append(out);
            pending.notifyAll();
        }
    }

    @Override
    public int read(char[] buf, int offset, int length) throws IOException {
        synchronized (pending) {
            while (pending.isEmpty() && !closed) {
                try {
                    pending.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
            if (pending.isEmpty()) {
                return -1;
            }
            int n = Math.min(length, pending.length());
            pending.getChars(0, n, buf, offset);
            pending.delete(0, n);
            return n;
        }
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        SerialSession s = attached();
        if (s != null) {
            s.write(bytes);
        }
    }

    @Override
    public void write(String string) throws IOException {
        write(string.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean isConnected() {
        synchronized (pending) {
            return !closed;
        }
    }

    @Override
    public int waitFor() throws InterruptedException {
        synchronized (pending) {
            while (!closed) {
                pending.wait();
            }
        }
        return 0;
    }

    @Override
    public boolean ready() {
        synchronized (pending) {
            return !pending.isEmpty();
        }
    }

    @Override
    public String getName() {
        return name;
    }

    /** Stops listening; the port stays open (the engine owns it and keeps logging). */
    @Override
    public void close() {
        attach(null);
        synchronized (pending) {
            closed = true;
            pending.notifyAll();
        }
    }
}
