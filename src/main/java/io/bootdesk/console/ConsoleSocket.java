package io.bootdesk.console;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Unix domain socket beside a machine's console log ({@code console/<mac>.sock}) through which other processes
 * type on an attached serial console: bytes a client writes go to the port; what the port prints goes to every
 * client. Lives as long as the session; the data dir's permissions are its protection.
 */
public final class ConsoleSocket implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel server;
    private final SerialSession session;

    private ConsoleSocket(Path path, ServerSocketChannel server, SerialSession session) {
        this.path = path;
        this.server = server;
        this.session = session;
        Thread.ofPlatform().daemon().name("console-socket " + path.getFileName()).start(this::acceptLoop);
    }

    public static Path path(Path dataDir, io.bootdesk.model.MacAddress mac) {
        Path log = ConsoleLogs.file(dataDir, mac);
        return log.resolveSibling(log.getFileName().toString().replace(".log", ".sock"));
    }

    /** Listens on {@code path} (replacing a stale socket file) for the session. */
    public static ConsoleSocket open(Path path, SerialSession session) throws IOException {
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(path));
        return new ConsoleSocket(path, s, session);
    }

    /** Sends {@code data} to the console of the serve that listens on {@code path}. */
    public static void send(Path path, byte[] data) throws IOException {
        send(path, data, java.time.Duration.ZERO);
    }

    /**
     * Writes {@code data} to the console, {@code perByte} apart when it is not zero: typed text reaches firmware that
     * polls its UART (a 16-byte FIFO) at the pace of a typist instead of in one burst it partly drops.
     */
    public static void send(Path path, byte[] data, java.time.Duration perByte) throws IOException {
        if (!Files.exists(path)) {
            throw new ConsoleException("No console is attached at " + path + ": is serve running with this data dir,"
                    + " and is the machine's serial console bound and attached (bootdesk events MAC)?");
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            if (perByte.isZero()) {
                write(c, ByteBuffer.wrap(data));
                return;
            }
            for (int i = 0; i < data.length; i++) {
                write(c, ByteBuffer.wrap(data, i, 1));
                if (i + 1 < data.length) {
                    try {
                        Thread.sleep(perByte);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("typing on the console was interrupted");
                    }
                }
            }
        }
    }

    private static void write(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().start(() -> serve(c));
        }
    }

    private void serve(SocketChannel c) {
        // the serial reader only queues; a client that does not read loses output instead of stalling the log
        java.util.concurrent.BlockingQueue<byte[]> queue = new java.util.concurrent.ArrayBlockingQueue<>(256);
        ConsoleListener out = new ConsoleListener() {
            @Override
            public void received(byte[] data) {
                queue.offer(data);
            }
        };
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    ByteBuffer b = ByteBuffer.wrap(queue.take());
                    while (b.hasRemaining()) {
                        c.write(b);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        });
        session.addListener(out);
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try (c) {
            while (c.read(buf) > 0) {
                buf.flip();
                byte[] bytes = new byte[buf.remaining()];
                buf.get(bytes);
                buf.clear();
                session.write(bytes);
            }
        } catch (IOException | ConsoleException e) {
            // the client went away, or the port did
        } finally {
            session.removeListener(out);
            writer.interrupt();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
