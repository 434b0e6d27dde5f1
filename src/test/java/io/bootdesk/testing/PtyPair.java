package io.bootdesk.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Two ptys joined by socat ({@code socat -d -d pty,raw,echo=0 pty,raw,echo=0}): what one end writes the other reads. */
public final class PtyPair implements AutoCloseable {
    private static final Pattern PTY = Pattern.compile("PTY is (\\S+)");
    public final Process socat;
    /** The end BootDesk opens. */
    public final String a;
    /** The machine's end. */
    public final String b;

    private PtyPair(Process socat, String a, String b) {
        this.socat = socat;
        this.a = a;
        this.b = b;
    }

    /** Starts socat (skips, or fails in CI, without it) and waits for both pty names. */
    public static PtyPair open() throws IOException {
        Requirements.requireCommand("socat", "socat");
        Process p = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0").redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (names.size() < 2 && System.nanoTime() < deadline) {
            String line = r.readLine();
            if (line == null) {
                break;
            }
            seen.append(line).append('\n');
            Matcher m = PTY.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        if (names.size() < 2) {
            p.destroy();
            throw new IOException("socat gave no pty pair:\n" + seen);
        }
        Thread.ofVirtual().start(() -> { // keep draining socat's log so it never blocks
            try {
                while (r.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // socat ended
            }
        });
        return new PtyPair(p, names.get(0), names.get(1));
    }

    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly();
        }
    }
}
