package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.demo.DemoImage;
import io.bootdesk.engine.demo.DemoLab;
import io.bootdesk.engine.demo.DemoMachine;
import io.bootdesk.engine.demo.DemoPrerequisites;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.EventType;
import io.bootdesk.model.Machine;
import io.bootdesk.net.NativeNet;
import io.bootdesk.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The try-it sandbox end to end: {@link DemoLab} builds its namespace, runs the engine inside it from this JVM
 * (setns on one thread), boots a QEMU machine that waits in BootDesk's waiting script; the demo image assigned with
 * the CLI (another process, through the demo's data dir) boots it; ending the demo leaves no namespace and no QEMU.
 */
class DemoIT {
    private static final String WAITING = "has no image assigned yet";

    @BeforeAll
    static void requirements() {
        E2e.requireQemuLab();
        Requirements.requireCommand("ss", "iproute2");
        Requirements.require(NativeNet.get().available(), "Java 22+ (setns through java.lang.foreign): "
                + NativeNet.get().unavailableReason());
        Requirements.require(Files.isRegularFile(BootDesk.jar()),
                BootDesk.jar() + " (built by './mvnw package'; failsafe passes it as -Dbootdesk.jar)");
        DemoPrerequisites pre = DemoPrerequisites.check();
        Requirements.require(pre.ready(), "the demo's prerequisites:\n" + pre.message());
        E2e.payload();
    }

    @Test
    void demoMachinesWaitBootTheDemoImageAndEverythingIsGoneAfterTheDemo() throws Exception {
        Path dir = E2e.runDir("demo");
        // the e2e payload's kernel (Debian's cloud kernel, cached): this machine's /boot may have none
        DemoLab.Options o = DemoLab.Options.defaults().withMachines(2).withKernel(E2e.payload().kernel)
                .keepingFiles(dir);
        DemoLab lab = DemoLab.start(o, m -> System.out.println("[demo] " + m));
        String ns = lab.namespace();
        List<DemoMachine> vms = lab.machines();
        String nsLink = "net:[" + Files.getAttribute(Path.of("/run/netns", ns), "unix:ino") + "]";
        try {
            assertThat(DemoLab.namespaces()).contains(ns);
            assertThat(lab.hasImage()).isTrue();
            assertThat(vms).extracting(DemoMachine::firmware)
                    .containsExactly(DemoMachine.Firmware.BIOS, DemoMachine.Firmware.UEFI);
            socketsAreInTheNamespaceOnly(lab);

            for (DemoMachine vm : vms) {
                await(() -> vm.serial().contains(WAITING), E2e.BOOT_TIMEOUT, vm, "BootDesk's waiting message");
                await(() -> stage(lab, vm) == BootStage.WAITING, Duration.ofSeconds(20), vm, "the WAITING row");
                assertThat(vm.serial()).doesNotContain(DemoImage.MARKER);
            }
            for (DemoMachine vm : vms) {
                // the CLI, another process in the host's namespace, reaches the demo's engine through its data dir
                Cmd.Result r = Cmd.run(Duration.ofSeconds(60), null, BootDesk.java().toString(), "-jar",
                        BootDesk.jar().toAbsolutePath().toString(), "--data-dir", lab.dataDir().toString(), "assign",
                        vm.mac().toString(), DemoImage.NAME);
                assertThat(r.ok()).as(r.output()).isTrue();
                long t0 = System.nanoTime();
                String marker = DemoImage.MARKER + " mac=" + vm.mac().toString().toLowerCase();
                await(() -> vm.serial().contains(marker), E2e.BOOT_TIMEOUT, vm, "the demo image's marker");
                System.out.printf("E2E-TIMING case=demo-%s marker_after_assign_s=%.1f%n", vm.firmware(),
                        (System.nanoTime() - t0) / 1e9);
                await(() -> stage(lab, vm) == BootStage.BOOTED, Duration.ofSeconds(20), vm, "the BOOTED row");

                List<EventType> types = lab.engine().workspace().events(vm.mac(), 1000).stream()
                        .map(BootEvent::type).toList();
                System.out.println("[demo] events of " + vm + ": " + types);
                assertThat(types).contains(EventType.DHCP_ACK, EventType.HTTP_WAITING, EventType.ASSIGNMENT,
                        EventType.HTTP_FILE_DONE, EventType.BOOTED);
                if (types.contains(EventType.TFTP_START)) {
                    // a per-transfer socket, opened on an event-loop thread: it too was in the namespace
                    assertThat(types).contains(EventType.TFTP_DONE);
                }
            }
            lab.checkIsolation();
        } finally {
            lab.close();
        }
        assertThat(DemoLab.namespaces()).doesNotContain(ns);
        for (DemoMachine vm : vms) {
            assertThat(ProcessHandle.of(vm.pid()).map(ProcessHandle::isAlive).orElse(false)).as("QEMU of " + vm).isFalse();
            assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                    .filter(c -> c.contains("bootdesk-demo-" + vm.mac()))).isEmpty();
        }
        // the engine's threads end with it (Netty's loops after their quiet period): none stays in the namespace
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> left = threadsWith(nsLink);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Cmd.sleep(500);
            left = threadsWith(nsLink);
        }
        assertThat(left).as("this JVM's threads still in the deleted demo namespace").isEmpty();
    }

    /**
     * The engine's UDP and TCP listeners show in the demo namespace (owned by this JVM) and none on the demo's
     * address in the host's namespace; the engine's threads are in the namespace, this test's thread is not.
     */
    private static void socketsAreInTheNamespaceOnly(DemoLab lab) throws IOException {
        String pid = "pid=" + ProcessHandle.current().pid() + ",";
        String udp = Cmd.check("ip", "netns", "exec", lab.namespace(), "ss", "-H", "-ulnp");
        String tcp = Cmd.check("ip", "netns", "exec", lab.namespace(), "ss", "-H", "-tlnp");
        System.out.println("[demo] UDP in " + lab.namespace() + ":\n" + udp + "[demo] TCP:\n" + tcp);
        for (String port : List.of(":67 ", ":69 ", ":4011 ")) {
            assertThat(udp.lines().filter(l -> l.contains(port) && l.contains(pid)).toList()).as("UDP" + port).isNotEmpty();
        }
        for (String port : List.of(":80 ", ":443 ", ":8443 ")) {
            // Java's sockets are dual-stack: ss shows [::ffff:10.213.S.1]:80
            assertThat(tcp.lines().filter(l -> l.contains(lab.serverIp()) && l.contains(port) && l.contains(pid)).toList())
                    .as("TCP" + port).isNotEmpty();
        }
        String host = Cmd.check("ss", "-H", "-tuanp");
        assertThat(host).doesNotContain(lab.serverIp());
        Object ino = Files.getAttribute(Path.of("/run/netns", lab.namespace()), "unix:ino");
        List<String> in = threadsIn(lab.namespace());
        System.out.println("[demo] this JVM's threads in " + lab.namespace() + " (net:[" + ino + "]): " + in);
        assertThat(in).anyMatch(n -> n.startsWith("bootdesk-tftp")).anyMatch(n -> n.startsWith("bootdesk-journa"))
                .anyMatch(n -> n.startsWith("bootdesk-ra-"));
        assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString())
                .isNotEqualTo("net:[" + ino + "]");
    }

    /** comm of every thread of this JVM -> its network namespace link ({@code net:[inode]}). */
    private static Map<String, String> threadNamespaces() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    m.put(Files.readString(t.resolve("comm")).strip() + "#" + t.getFileName(),
                            Files.readSymbolicLink(t.resolve("ns/net")).toString());
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return m;
    }

    /** Names of this JVM's threads in the namespace {@code ns}. */
    private static List<String> threadsIn(String ns) throws IOException {
        return threadsWith("net:[" + Files.getAttribute(Path.of("/run/netns", ns), "unix:ino") + "]");
    }

    /** Names of this JVM's threads whose network namespace link is {@code want}. */
    private static List<String> threadsWith(String want) throws IOException {
        List<String> names = new ArrayList<>();
        threadNamespaces().forEach((name, n) -> {
            if (n.equals(want)) {
                names.add(name.substring(0, name.indexOf('#')));
            }
        });
        return names;
    }

    private static BootStage stage(DemoLab lab, DemoMachine vm) {
        return lab.engine().inventory().all().stream().filter(m -> m.mac().equals(vm.mac())).map(Machine::stage)
                .findFirst().orElse(null);
    }

    private static void await(BooleanSupplier done, Duration timeout, DemoMachine vm, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (!vm.alive() || System.nanoTime() > deadline) {
                String serial = vm.serial();
                throw new AssertionError("demo machine " + vm + ": waiting for " + what + ": "
                        + (vm.alive() ? "timed out after " + timeout.toSeconds() + " s" : "QEMU exited")
                        + "\n--- serial console (tail) ---\n" + serial.substring(Math.max(0, serial.length() - 4000)));
            }
            Cmd.sleep(250);
        }
    }
}
