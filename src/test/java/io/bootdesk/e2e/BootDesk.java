package io.bootdesk.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The product under test: {@code bootdesk serve} started inside the lab's server namespace against a per-test data
 * directory, plus the short CLI commands ({@code image add}, {@code assign}, {@code machines}, {@code events}) on the
 * same data directory. The jar is {@code -Dbootdesk.jar} (failsafe sets it to target/bootdesk.jar); the JVM is the
 * one running the tests.
 */
final class BootDesk implements AutoCloseable {
    static final String READY_LINE = "BootDesk is serving";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    final NetLab lab;
    final Path dataDir;
    final Path log;
    private Process serve;

    BootDesk(NetLab lab, Path runDir) throws IOException {
        this.lab = lab;
        this.dataDir = runDir.resolve("data");
        this.log = runDir.resolve("bootdesk.log");
        Files.createDirectories(dataDir);
    }

    static Path jar() {
        String p = System.getProperty("bootdesk.jar");
        return p == null ? Path.of("target", "bootdesk.jar") : Path.of(p);
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private List<String> javaJar() {
        return Cmd.list(java().toString(), "-jar", jar().toAbsolutePath().toString());
    }

    /** Starts {@code serve --interface srv0 --data-dir ...} plus {@code extra}; returns once it said it serves. */
    BootDesk serve(String... extra) throws IOException {
        if (serve != null) {
            throw new IllegalStateException("already serving");
        }
        List<String> cmd = javaJar();
        cmd.addAll(List.of("serve", "--interface", NetLab.SRV_IF, "--data-dir", dataDir.toString()));
        cmd.addAll(Arrays.asList(extra));
        List<String> argv = NetLab.inNs(lab.srvNs, cmd);
        lab.captureIfAsked(log.getParent());
        Files.writeString(log, "$ " + String.join(" ", argv) + "\n");
        // `ip netns exec` execs the command: the PID of this process is the JVM's
        serve = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (logText().contains(READY_LINE)) {
                return this;
            }
            if (!serve.isAlive()) {
                throw new IllegalStateException("bootdesk serve exited with " + serve.exitValue()
                        + " before it was serving; its log:\n" + logText());
            }
            Cmd.sleep(100);
        }
        throw new IllegalStateException("bootdesk serve did not say '" + READY_LINE + "' within "
                + START_TIMEOUT.toSeconds() + " s; its log:\n" + logText());
    }

    long pid() {
        return serve == null ? -1 : serve.pid();
    }

    boolean alive() {
        return serve != null && serve.isAlive();
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code n} lines of the serve log, for failure messages. */
    String logTail(int n) {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /**
     * Runs a short command such as {@code image add linux ...} on this data dir (in the server namespace, like
     * everything the tests start) and returns its output; fails with the output on a non-zero exit.
     */
    String cli(String... args) {
        Cmd.Result r = cliResult(args);
        if (!r.ok()) {
            throw new IllegalStateException("bootdesk " + String.join(" ", args) + " failed (exit " + r.exit() + "):\n"
                    + r.output());
        }
        return r.output();
    }

    Cmd.Result cliResult(String... args) {
        List<String> cmd = javaJar();
        cmd.add("--data-dir");
        cmd.add(dataDir.toString());
        cmd.addAll(Arrays.asList(args));
        return Cmd.run(Duration.ofSeconds(60), null, NetLab.inNs(lab.srvNs, cmd));
    }

    /** Event types journaled for {@code mac}, oldest first ({@code bootdesk events MAC}). */
    List<String> eventTypes(String mac) {
        return BootdeskOutput.eventTypes(cli("events", "--limit", "1000", mac));
    }

    /** The row of {@code bootdesk machines} for {@code mac} (column name -> value), or null. */
    java.util.Map<String, String> machine(String mac) {
        return BootdeskOutput.machineRow(cli("machines"), mac);
    }

    /** Stops serve with SIGTERM (by PID) and waits for it; SIGKILL if it does not stop within 15 s. */
    int stop() {
        if (serve == null) {
            return -1;
        }
        try {
            serve.destroy();
            if (!serve.waitFor(15, TimeUnit.SECONDS)) {
                Files.writeString(log, "\n[e2e] serve did not stop 15 s after SIGTERM: killed\n",
                        java.nio.file.StandardOpenOption.APPEND);
                serve.destroyForcibly();
                serve.waitFor(5, TimeUnit.SECONDS);
            }
            return serve.isAlive() ? -1 : serve.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            serve.destroyForcibly();
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        stop();
    }

    static List<String> args(String... a) {
        return new ArrayList<>(List.of(a));
    }
}
