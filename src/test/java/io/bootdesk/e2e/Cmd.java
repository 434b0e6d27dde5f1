package io.bootdesk.e2e;

import io.bootdesk.engine.demo.DemoCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    /** Runs it the way the demo does ({@link DemoCommands#run}); an interrupted wait is an exception here. */
    static Result run(Duration timeout, Path dir, List<String> command) {
        DemoCommands.Result r = DemoCommands.run(timeout, dir, command);
        if (r.exit() == 130 && Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted while running " + command);
        }
        return new Result(r.command(), r.exit(), r.output());
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
