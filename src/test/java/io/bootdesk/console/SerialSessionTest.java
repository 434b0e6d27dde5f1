package io.bootdesk.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.testing.PtyPair;
import io.bootdesk.testing.Requirements;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A serial session on one end of a socat pty pair; the test plays the machine on the other end. */
class SerialSessionTest {
    @TempDir
    Path tmp;

    static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** Reads exactly {@code n} bytes from {@code in}, failing after 10 s. */
    static byte[] readN(InputStream in, int n) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readNBytes(n);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void allByteValuesCrossBothWaysAndGoToTheLogAfterASessionHeader() throws Exception {
        try (PtyPair pty = PtyPair.open(); FileInputStream peerIn = new FileInputStream(pty.b);
                FileOutputStream peerOut = new FileOutputStream(pty.b)) {
            Path log = tmp.resolve("console/52-54-00-00-00-01.log");
            ByteArrayOutputStream heard = new ByteArrayOutputStream();
            try (SerialSession s = SerialSession.open(ConsoleBinding.Serial.of(pty.a, 115200), log, new ConsoleListener() {
                @Override
                public void received(byte[] data) {
                    synchronized (heard) {
                        heard.writeBytes(data);
                    }
                }
            })) {
                s.write(allBytes());
                assertThat(readN(peerIn, 256)).isEqualTo(allBytes());

                peerOut.write(allBytes());
                peerOut.flush();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (size(heard) < 256 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                synchronized (heard) {
                    assertThat(heard.toByteArray()).isEqualTo(allBytes());
                }
            }
            byte[] file = Files.readAllBytes(log);
            String header = "\n=== BootDesk console session ";
            assertThat(new String(file, 0, header.length(), StandardCharsets.ISO_8859_1)).isEqualTo(header);
            String text = new String(file, StandardCharsets.ISO_8859_1);
            assertThat(text).contains("serial " + pty.a + " 115200 8N1 ===\n");
            int body = text.indexOf("===\n") + 4;
            assertThat(java.util.Arrays.copyOfRange(file, body, file.length)).isEqualTo(allBytes());
        }
    }

    static int size(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.size();
        }
    }

    @Test
    void settingsReachThePortsTermios() throws Exception {
        Requirements.requireCommand("stty", "coreutils");
        try (PtyPair pty = PtyPair.open();
                SerialSession s = SerialSession.open(new ConsoleBinding.Serial(pty.a, 9600, 7, ConsoleBinding.Parity.EVEN,
                        ConsoleBinding.StopBits.TWO, ConsoleBinding.FlowControl.RTSCTS), null)) {
            String stty = run("stty", "-F", pty.a, "-a");
            // Linux's pty driver forces CS8 and clears PARENB in every termios change (pty_set_termios), so a pty
            // cannot show 7E; what it keeps, and jSerialComm set, is the speed, two stop bits, RTS/CTS and the
            // input parity check; jSerialComm reads back the 7E2 it was given.
            assertThat(stty).contains("speed 9600 baud").containsPattern("(^|\\s)cs8(\\s|;|$)")
                    .containsPattern("(^|\\s)-parenb(\\s|$)").containsPattern("(^|\\s)inpck(\\s|$)")
                    .containsPattern("(^|\\s)cstopb(\\s|$)").containsPattern("(^|\\s)crtscts(\\s|$)");
            assertThat(s.portSettings()).startsWith("9600 7 " + com.fazecast.jSerialComm.SerialPort.EVEN_PARITY + " "
                    + com.fazecast.jSerialComm.SerialPort.TWO_STOP_BITS);
        }
        try (PtyPair pty = PtyPair.open(); SerialSession s = SerialSession.open(ConsoleBinding.Serial.of(pty.a, 115200), null)) {
            String stty = run("stty", "-F", pty.a, "-a");
            assertThat(stty).contains("speed 115200 baud").containsPattern("(^|\\s)cs8(\\s|;|$)")
                    .containsPattern("(^|\\s)-parenb(\\s|$)").containsPattern("(^|\\s)-cstopb(\\s|$)")
                    .containsPattern("(^|\\s)-crtscts(\\s|$)").containsPattern("(^|\\s)-ixon(\\s|$)");
        }
    }

    /**
     * A pty has no line to hold at space: Linux accepts TIOCSBRK/TIOCCBRK on it and the peer sees nothing (no NUL,
     * no byte at all). What is real here: the call succeeds, takes about its duration, and the stream is intact.
     */
    @Test
    void breakSucceedsOnAPtyAndLeavesTheStreamIntact() throws Exception {
        try (PtyPair pty = PtyPair.open(); FileInputStream peerIn = new FileInputStream(pty.b);
                SerialSession s = SerialSession.open(ConsoleBinding.Serial.of(pty.a, 115200), null)) {
            s.write("a".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            s.sendBreak(250);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(240);
            s.write("b".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(readN(peerIn, 2), StandardCharsets.US_ASCII)).isEqualTo("ab");
            Thread.sleep(200);
            assertThat(peerIn.available()).isZero();
        }
    }

    @Test
    void noSuchPortIsNamed() {
        assertThatThrownBy(() -> SerialSession.open(ConsoleBinding.Serial.of("/dev/ttyBOOTDESK-none", 115200), null))
                .isInstanceOf(ConsoleException.class)
                .hasMessageStartingWith("No such serial port /dev/ttyBOOTDESK-none");
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (PtyPair pty = PtyPair.open(); SerialSession first = SerialSession.open(ConsoleBinding.Serial.of(pty.a, 115200), null)) {
            assertThatThrownBy(() -> SerialSession.open(ConsoleBinding.Serial.of(pty.a, 115200), null))
                    .isInstanceOf(ConsoleException.class)
                    .hasMessageContaining("is in use by another program");
        }
    }

    /** As root, runs a small opener as 'nobody' (setpriv) on a pty owned by root, mode 0600. */
    @Test
    void permissionDeniedNamesTheDialoutGroupAndTheFix() throws Exception {
        Requirements.requireRoot();
        Requirements.requireCommand("setpriv", "util-linux");
        // 'nobody' cannot read the build's class path under /root: copy what the opener needs
        Path cp = Files.createDirectories(tmp.resolve("cp"));
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                Path to = cp.resolve("d" + i++);
                try (Stream<Path> all = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) all::iterator) {
                        Path t = to.resolve(p.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(t);
                        } else if (f.toString().endsWith(".class") && f.toString().contains("bootdesk/console/")
                                || f.toString().contains("bootdesk/model/")) {
                            Files.createDirectories(t.getParent());
                            Files.copy(f, t);
                        }
                    }
                }
                entries.add(to.toString());
            } else if (p.getFileName().toString().startsWith("jSerialComm")) {
                Path t = cp.resolve(p.getFileName());
                Files.copy(p, t);
                entries.add(t.toString());
            }
        }
        run("chmod", "-R", "a+rX", cp.toString());
        Path jtmp = Files.createDirectories(tmp.resolve("jtmp"));
        run("chmod", "1777", jtmp.toString());
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        try (PtyPair pty = PtyPair.open()) {
            run("chmod", "0600", pty.a);
            String out = run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", javaBin,
                    "-Djava.io.tmpdir=" + jtmp, "-cp", String.join(java.io.File.pathSeparator, entries),
                    SerialOpener.class.getName(), pty.a);
            assertThat(out).contains("Permission denied opening " + pty.a).contains("'dialout'")
                    .contains("usermod -aG dialout $USER");
        }
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
