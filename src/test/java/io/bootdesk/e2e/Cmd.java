package io.bootdesk.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short helper commands (ip, apt-get, objcopy, ...) with a time limit and captures their output. */
final class Cmd {
    private Cmd() {
    }

    /** Exit code and combined stdout + stderr. */
    record Result(List<String> command, int exit, String output) {
        boolean ok() {
            return exit == 0;
        }

        /** The output, or an exception naming the command, its exit code and its output. */
        String check() {
            if (exit != 0) {
                throw new IllegalStateException("command failed (exit " + exit + "): " + String.join(" ", command)
                        + (output.isBlank() ? "" : "\n" + output.strip()));
            }
            return output;
        }
    }

    static Result run(Duration timeout, Path dir, String... command) {
        return run(timeout, dir, List.of(command));
    }

    static Result run(Duration timeout, Path dir, List<String> command) {
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
        // read in a thread so a chatty command cannot block on a full pipe while we wait for it
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(reading output failed: ").append(e.getMessage()).append(')');
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                reader.join(2000);
                return new Result(command, 124, out + "\n(timed out after " + timeout.toSeconds() + " s)");
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
        return new Result(command, p.exitValue(), out.toString());
    }

    /** Runs and returns the output; throws (with the output) on a non-zero exit. */
    static String check(String... command) {
        return run(Duration.ofSeconds(60), null, command).check();
    }

    static List<String> list(String... parts) {
        return new ArrayList<>(List.of(parts));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static UncheckedIOException io(String what, IOException e) {
        return new UncheckedIOException(what + ": " + e.getMessage(), e);
    }
}
