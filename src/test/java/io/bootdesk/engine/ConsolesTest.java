package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.ConsoleLogs;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.testing.CoreFixture;
import io.bootdesk.testing.PtyPair;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serve's console attacher: follows bindings written through a Workspace and journals CONSOLE events. */
class ConsolesTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:00:0c:01");

    @TempDir
    Path tmp;

    static void waitFor(BooleanSupplier ok, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    List<String> consoleEvents(CoreFixture fx) {
        return fx.published.stream().filter(e -> e.type() == EventType.CONSOLE && MAC.equals(e.mac()))
                .map(BootEvent::message).toList();
    }

    @Test
    void attachesABoundSerialConsoleLogsItAndDetachesWhenTheBindingChanges() throws Exception {
        try (CoreFixture fx = new CoreFixture(tmp, "10.99.0.1", 8080); PtyPair pty = PtyPair.open();
                FileOutputStream machine = new FileOutputStream(pty.b)) {
            Workspace w = Workspace.over(fx.dataDir, fx.db);
            Consoles consoles = new Consoles(fx.dataDir, fx.db, fx.events);
            try (consoles) {
                consoles.refresh();
                assertThat(consoles.session(MAC)).isEmpty();

                w.bindConsole(MAC, ConsoleBinding.Serial.of(pty.a, 115200), null);
                consoles.refresh();
                assertThat(consoles.session(MAC)).isPresent();
                assertThat(consoleEvents(fx)).containsExactly("console attached: serial " + pty.a + " 115200 8N1");

                machine.write("iPXE 1.21.1 -- Open Source Network Boot Firmware\r\n".getBytes(StandardCharsets.US_ASCII));
                machine.flush();
                Path log = ConsoleLogs.file(fx.dataDir, MAC);
                waitFor(() -> read(log).contains("Open Source Network Boot Firmware"), "the log");
                assertThat(read(log)).contains("=== BootDesk console session ").contains("serial " + pty.a);

                // another process types through the console's socket; what the machine answers comes back to it
                Path sock = io.bootdesk.console.ConsoleSocket.path(fx.dataDir, MAC);
                assertThat(sock).exists();
                try (java.io.FileInputStream machineIn = new java.io.FileInputStream(pty.b)) {
                    io.bootdesk.console.ConsoleSocket.send(sock, new byte[] {2, 'x', '\r'});
                    byte[] got = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return machineIn.readNBytes(3);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).get(10, TimeUnit.SECONDS);
                    assertThat(got).containsExactly(2, 'x', '\r');
                }
                try (java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open(
                        java.net.UnixDomainSocketAddress.of(sock))) {
                    Thread.sleep(200); // the serve side registers the client's listener
                    machine.write("pong".getBytes(StandardCharsets.US_ASCII));
                    machine.flush();
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4);
                    CompletableFutureRead.fill(client, buf);
                    assertThat(new String(buf.array(), StandardCharsets.US_ASCII)).isEqualTo("pong");
                }

                consoles.refresh(); // nothing changed: nothing journaled
                assertThat(consoleEvents(fx)).hasSize(1);

                w.bindConsole(MAC, ConsoleBinding.Serial.of("/dev/ttyBOOTDESK-none", 115200), null);
                consoles.refresh();
                assertThat(consoles.session(MAC)).isEmpty();
                assertThat(consoleEvents(fx)).containsExactly("console attached: serial " + pty.a + " 115200 8N1",
                        "console detached: binding changed",
                        "console error: No such serial port /dev/ttyBOOTDESK-none: check the path (ptys and USB adapters"
                                + " get their names when they appear, e.g. /dev/ttyUSB0, /dev/pts/3).");
                consoles.refresh(); // the same error is not journaled twice
                assertThat(consoleEvents(fx)).hasSize(3);

                w.bindConsole(MAC, ConsoleBinding.Serial.of(pty.a, 9600), null);
                consoles.refresh();
                assertThat(consoles.session(MAC)).isPresent();
                assertThat(consoleEvents(fx).getLast()).isEqualTo("console attached: serial " + pty.a + " 9600 8N1");
            }
            assertThat(consoleEvents(fx).getLast()).isEqualTo("console detached: BootDesk stopped");
            assertThat(io.bootdesk.console.ConsoleSocket.path(fx.dataDir, MAC)).doesNotExist();
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final class CompletableFutureRead {
        static void fill(java.nio.channels.SocketChannel c, java.nio.ByteBuffer buf) throws Exception {
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    while (buf.hasRemaining() && c.read(buf) >= 0) {
                        // reading
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(10, TimeUnit.SECONDS);
        }
    }
}
