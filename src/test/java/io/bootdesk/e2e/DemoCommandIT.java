package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.demo.DemoLab;
import io.bootdesk.engine.demo.DemoPrerequisites;
import io.bootdesk.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bootdesk demo} in its own JVM: SIGTERM (Ctrl-C) runs the shutdown hook, which stops QEMU and deletes the
 * namespace; a namespace left by a demo whose JVM is gone is removed by the next demo.
 */
class DemoCommandIT {

    @BeforeAll
    static void requirements() {
        E2e.requireQemuLab();
        Requirements.require(Files.isRegularFile(BootDesk.jar()),
                BootDesk.jar() + " (built by './mvnw package'; failsafe passes it as -Dbootdesk.jar)");
        DemoPrerequisites pre = DemoPrerequisites.check();
        Requirements.require(pre.ready(), "the demo's prerequisites:\n" + pre.message());
        E2e.payload();
    }

    @Test
    void checkSaysReady() {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(60), null, BootDesk.java().toString(), "-jar",
                BootDesk.jar().toAbsolutePath().toString(), "demo", "--check");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).startsWith("Ready: this machine can run the demo");
    }

    @Test
    void sigtermRemovesTheNamespaceAndQemuAndALeftoverOfADeadDemoIsRemovedFirst() throws Exception {
        Path dir = E2e.runDir("demo-command");
        // a namespace as a killed demo would leave it: its JVM (a PID above pid_max) is gone
        String leftover = DemoLab.PREFIX + "4194399-7";
        Cmd.check("ip", "netns", "add", leftover);
        Process p = null;
        try {
            Path log = dir.resolve("demo.log");
            p = new ProcessBuilder(BootDesk.java().toString(), "-jar", BootDesk.jar().toAbsolutePath().toString(),
                    "demo", "--machines", "1", "--kernel", E2e.payload().kernel.toString(), "--keep",
                    dir.resolve("work").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            String out = "";
            while (!out.contains("BootDesk demo is running")) {
                assertThat(p.isAlive()).as("bootdesk demo exited early:\n" + out).isTrue();
                assertThat(System.nanoTime()).as("bootdesk demo not ready in time:\n" + out).isLessThan(deadline);
                Cmd.sleep(200);
                out = Files.readString(log, StandardCharsets.UTF_8);
            }
            assertThat(DemoLab.namespaces()).doesNotContain(leftover);
            Matcher ns = Pattern.compile("in namespace (" + Pattern.quote(DemoLab.PREFIX) + "[0-9-]+)").matcher(out);
            Matcher qemu = Pattern.compile("QEMU pid (\\d+)").matcher(out);
            assertThat(ns.find() && qemu.find()).as(out).isTrue();
            long qemuPid = Long.parseLong(qemu.group(1));
            assertThat(DemoLab.namespaces()).contains(ns.group(1));
            assertThat(ProcessHandle.of(qemuPid).map(ProcessHandle::isAlive)).contains(true);

            p.destroy(); // SIGTERM, as Ctrl-C or a service stop
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bootdesk demo stops after SIGTERM").isTrue();
            assertThat(DemoLab.namespaces()).doesNotContain(ns.group(1));
            assertThat(ProcessHandle.of(qemuPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("ended: machines stopped, namespace deleted");
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            if (DemoLab.namespaces().contains(leftover)) {
                Cmd.run(Duration.ofSeconds(20), null, List.of("ip", "netns", "del", leftover));
            }
        }
    }
}
