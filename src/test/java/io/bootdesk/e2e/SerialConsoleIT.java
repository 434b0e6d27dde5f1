package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.console.ConsoleLogs;
import io.bootdesk.console.ConsoleSocket;
import io.bootdesk.model.MacAddress;
import io.bootdesk.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance for the serial console: a QEMU machine (SeaBIOS + Debian's iPXE ROM) whose serial port is a pty, bound
 * to BootDesk with {@code console bind MAC serial PTY}. The running serve attaches it, its log shows iPXE's banner;
 * Ctrl-B typed through the console (its socket, and {@code bootdesk console send}) at iPXE's prompt opens iPXE's
 * shell, a command's output comes back in the log, {@code autoboot} boots the assigned Linux, whose marker line is
 * in the log too. Artifacts in target/e2e/serial-console/.
 */
class SerialConsoleIT {

    @BeforeAll
    static void requirements() {
        E2e.requireQemuLab();
        Requirements.require(Files.isRegularFile(BootDesk.jar()),
                BootDesk.jar() + " (built by './mvnw package'; failsafe passes it as -Dbootdesk.jar)");
        E2e.payload();
    }

    /** Waits until the console log matches {@code p} after {@code from}; returns the offset after the match. */
    static int awaitLog(Path log, int from, Pattern p, Duration timeout, String what, BootDesk bd) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
            Matcher m = p.matcher(text);
            if (m.find(Math.min(from, text.length()))) {
                return m.end();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("console log " + log + " never showed " + what + "; it has:\n"
                + text.substring(Math.max(0, text.length() - 3000)) + "\n--- bootdesk serve log (tail) ---\n" + bd.logTail(40));
    }

    @Test
    void aNetworkBootSeenAndDrivenThroughTheSerialConsole() throws Exception {
        String name = "serial-console";
        String mac = E2e.mac(0x5c);
        BootPayload p = E2e.payload();
        Path dir = E2e.runDir(name);
        try (NetLab lab = NetLab.create(); BootDesk bd = new BootDesk(lab, dir)) {
            bd.serve("--mode", "full", "--pool", lab.net(100) + "-" + lab.net(150), "--ipxe-dir", "/usr/lib/ipxe");
            bd.cli("image", "add", "linux", "--name", name, "--kernel", p.kernel.toString(), "--initrd", p.initrd.toString(),
                    "--cmdline", BootPayload.BASE_CMDLINE + " bde2e_case=" + name + " bde2e_mac={{ mac }}");
            bd.cli("assign", mac, name);
            try (QemuVm vm = QemuVm.startWithSerialPty(lab, QemuVm.Spec.of(QemuVm.Variant.BIOS_IPXE_ROM), mac, dir.resolve("vm"))) {
                String pty = vm.serialPty();
                assertThat(bd.cli("console", "bind", mac, "serial", pty, "115200")).contains("serial " + pty + " 115200 8N1");
                E2eBootIT.expectEvents(bd, mac, java.util.List.of("CONSOLE", "CONSOLE")); // bound, attached
                assertThat(bd.cli("events", mac)).contains("console attached: serial " + pty);
                Path log = ConsoleLogs.file(bd.dataDir, MacAddress.parse(mac));
                Path sock = ConsoleSocket.path(bd.dataDir, MacAddress.parse(mac));
                vm.resume();

                int at = awaitLog(log, 0, Pattern.compile("iPXE .*Open Source Network Boot Firmware"), Duration.ofSeconds(60),
                        "iPXE's banner", bd);
                at = awaitLog(log, at, Pattern.compile("Press Ctrl-B"), Duration.ofSeconds(30), "iPXE's Ctrl-B prompt", bd);
                ConsoleSocket.send(sock, new byte[] {2}); // straight to the socket: the prompt waits ~2 s
                at = awaitLog(log, at, Pattern.compile("iPXE> "), Duration.ofSeconds(30), "iPXE's shell prompt", bd);

                // typed with the CLI; ${platform} expands in iPXE, so the echoed command line does not match
                assertThat(bd.cli("console", "send", mac, "echo hello-from-${platform}\\r")).contains("sent");
                at = awaitLog(log, at, Pattern.compile("hello-from-pcbios"), Duration.ofSeconds(30), "the command's output", bd);

                bd.cli("console", "send", mac, "autoboot\\r");
                awaitLog(log, at, E2e.marker(name), E2e.BOOT_TIMEOUT, "the booted Linux's marker", bd);
                assertThat(bd.cli("console", "log", mac)).contains("=== BootDesk console session ").contains("hello-from-pcbios")
                        .contains(BootPayload.MARKER + " case=" + name);
            }
        }
    }
}
