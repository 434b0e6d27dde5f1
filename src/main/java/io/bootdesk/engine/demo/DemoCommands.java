package io.bootdesk.engine.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Short helper commands (ip, apt-get, dpkg-deb) with a time limit and their output. Output is read on a platform
 * thread: a virtual thread's carrier may have been started in another network namespace (see {@link DemoLab}).
 * Public so the end-to-end test harness runs its commands the same way.
 */
public final class DemoCommands {
    private DemoCommands() {
    }

    /** Exit code (124: timed out, 127: could not start, 130: interrupted) and combined stdout + stderr. */
    public record Result(List<String> command, int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }

        public String check() throws IOException {
            if (exit != 0) {
                throw new IOException("command failed (exit " + exit + "): " + String.join(" ", command)
                        + (output.isBlank() ? "" : ": " + output.strip()));
            }
            return output;
        }
    }

    public static Result run(Duration timeout, Path dir, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().put("LC_ALL", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(command, 127, "cannot start " + command.get(0) + ": " + e.getMessage());
        }
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().name("bootdesk-demo-cmd").start(() -> {
            try {
                String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (out) {
                    out.append(s);
                }
            } catch (IOException e) {
                synchronized (out) {
                    out.append("(reading output failed: ").append(e.getMessage()).append(')');
                }
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                reader.join(2000);
                synchronized (out) {
                    return new Result(command, 124, out + "\n(timed out after " + timeout.toSeconds() + " s)");
                }
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(command, 130, "interrupted");
        }
        synchronized (out) {
            return new Result(command, p.exitValue(), out.toString());
        }
    }

    static String ip(String... args) throws IOException {
        List<String> c = new java.util.ArrayList<>(List.of("ip"));
        c.addAll(List.of(args));
        return run(Duration.ofSeconds(20), null, c).check();
    }

    static void deleteTree(Path p) {
        if (p == null || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
