package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.testing.Requirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Acceptance: real firmware and real iPXE in QEMU boot Linux from BootDesk as the only boot server (the proxy case
 * adds dnsmasq as the network's address server), inside private network namespaces. A case passes when the booted
 * initramfs prints the marker with the case and MAC its image was given, and BootDesk's journal shows the steps.
 * Artifacts of each case (serial console, BootDesk log, data dir, QEMU command) are kept in target/e2e/CASE/.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class E2eBootIT {

    private static final Pattern WAITING = Pattern.compile("BootDesk: this machine .* has no image assigned yet");

    @BeforeAll
    static void requirements() {
        E2e.requireQemuLab();
        Requirements.requireCommand("dnsmasq", "dnsmasq-base");
        Requirements.require(java.nio.file.Files.isRegularFile(BootDesk.jar()),
                BootDesk.jar() + " (built by './mvnw package'; failsafe passes it as -Dbootdesk.jar)");
        E2e.payload();
    }

    @AfterAll
    static void summary() {
        if (!E2e.timings().isEmpty()) {
            System.out.println("E2E timings (seconds from QEMU start to the marker, TCG):");
            E2e.timings().forEach(t -> System.out.println("  " + t));
        }
    }

    /** (a) SeaBIOS + Debian's iPXE ROM -> full DHCP -> per-machine script -> kernel + initrd over HTTP. */
    @Test
    void a_biosIpxeRom() throws Exception {
        linuxCase("a-bios-ipxe-rom", QemuVm.Variant.BIOS_IPXE_ROM, 0x0a,
                List.of("DHCP_ACK", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED"));
    }

    /** (b) OVMF + Debian's iPXE EFI ROM -> the same. */
    @Test
    void b_uefiIpxeRom() throws Exception {
        linuxCase("b-uefi-ipxe-rom", QemuVm.Variant.UEFI_IPXE_ROM, 0x0b,
                List.of("DHCP_ACK", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED"));
    }

    /** (c) OVMF's own PXE client -> snponly.efi by TFTP -> script -> kernel + initrd. */
    @Test
    void c_uefiPxeTftpSnponly() throws Exception {
        linuxCase("c-uefi-pxe", QemuVm.Variant.UEFI_PXE, 0x0c,
                List.of("DHCP_ACK", "TFTP_DONE", "DHCP_ACK", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED"));
    }

    /** (d1) OVMF's own UEFI HTTP Boot -> snponly.efi over HTTP -> script -> kernel + initrd. */
    @Test
    void d1_uefiHttpBootSnponly() throws Exception {
        linuxCase("d1-uefi-http-ipxe", QemuVm.Variant.UEFI_HTTP, 0x0d,
                List.of("DHCP_ACK", "HTTP_FILE_DONE", "DHCP_ACK", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED"));
    }

    /** (d2) OVMF's own UEFI HTTP Boot -> an assigned EFI image (a UKI), fetched directly. */
    @Test
    void d2_uefiHttpBootUki() throws Exception {
        String name = "d2-uefi-http-uki";
        String mac = E2e.mac(0x1d);
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir(name);
        try (NetLab lab = NetLab.create(); BootDesk bd = new BootDesk(lab, dir)) {
            bd.serve(fullModeArgs(lab));
            bd.cli("image", "add", "efi", "--name", "uki", "--file", payload.uki.toString());
            bd.cli("assign", mac, "uki");
            try (QemuVm vm = QemuVm.start(lab, QemuVm.Variant.UEFI_HTTP, mac, dir.resolve("vm"))) {
                QemuVm.Line m = withContext(bd, mac, () -> vm.await(E2e.marker(BootPayload.UKI_CASE), E2e.BOOT_TIMEOUT,
                        "the UKI's marker"));
                assertThat(vm.find(Pattern.compile("URI: http://" + Pattern.quote(lab.serverIp) + "/images/uki/")))
                        .as("OVMF fetched the UKI's own URL (no iPXE in between)").isPresent();
                List<BootdeskOutput.Event> ev = expectEvents(bd, mac, List.of("DHCP_ACK", "HTTP_FILE_DONE", "BOOTED"));
                assertThat(ev).noneMatch(e -> e.type().equals("HTTP_SCRIPT"));
                E2e.timing(name, m, "variant=UEFI_HTTP image=efi");
                lab.checkIsolation();
            }
        }
    }

    /**
     * (e) proxy mode: dnsmasq (addresses only, no boot options) in a third namespace on the same bridge; BootDesk
     * {@code --mode proxy} adds boot information. A BIOS iPXE ROM client and a UEFI PXE client boot.
     */
    @Test
    void e_proxyModeBesideAnotherDhcpServer() throws Exception {
        String name = "e-proxy";
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir(name);
        try (NetLab lab = NetLab.create(true); BootDesk bd = new BootDesk(lab, dir)) {
            int first = 50;
            int last = 99;
            try (Dnsmasq dhcp = Dnsmasq.start(lab.dhcpNs, NetLab.DHCP_IF, dir, "network-dhcp", List.of(
                    "dhcp-range=" + lab.net(first) + "," + lab.net(last) + ",255.255.255.0,1h",
                    "dhcp-authoritative"))) {
                bd.serve("--mode", "proxy", "--ipxe-dir", "/usr/lib/ipxe");
                record Client(String caseName, QemuVm.Variant variant, String mac, List<String> events) {
                }
                List<Client> clients = List.of(
                        new Client("e-proxy-bios", QemuVm.Variant.BIOS_IPXE_ROM, E2e.mac(0x1e),
                                List.of("PROXY_OFFER", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED")),
                        new Client("e-proxy-uefi-pxe", QemuVm.Variant.UEFI_PXE, E2e.mac(0x2e),
                                List.of("PROXY_OFFER", "PROXY_ACK", "TFTP_DONE", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED")));
                for (Client c : clients) {
                    addLinuxImage(bd, payload, c.caseName());
                    bd.cli("assign", c.mac(), c.caseName());
                }
                for (Client c : clients) {
                    try (QemuVm vm = QemuVm.start(lab, c.variant(), c.mac(), dir.resolve("vm-" + c.caseName()))) {
                        QemuVm.Line m = withContext(bd, c.mac(), () -> vm.await(E2e.marker(c.caseName()),
                                E2e.BOOT_TIMEOUT, "the marker"));
                        assertThat(m.text()).contains("mac=" + c.mac().toLowerCase());
                        List<BootdeskOutput.Event> ev = expectEvents(bd, c.mac(), c.events());
                        assertThat(ev).as("BootDesk gave no address in proxy mode")
                                .noneMatch(e -> e.type().equals("DHCP_OFFER") || e.type().equals("DHCP_ACK"));
                        // the address came from the network's DHCP server, within its range
                        assertThat(dhcp.leasesText()).contains(c.mac().toLowerCase());
                        String ip = ev.stream().filter(e -> e.type().equals("HTTP_SCRIPT")).findFirst().orElseThrow().ip();
                        int host = Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1));
                        assertThat(ip).startsWith("10.99." + lab.subnet + ".");
                        assertThat(host).as("client address %s from dnsmasq's range", ip).isBetween(first, last);
                        E2e.timing(c.caseName(), m, "variant=" + c.variant() + " mode=proxy");
                        lab.checkIsolation();
                    }
                }
            }
        }
    }

    /**
     * (f) a machine with no assignment sits in the waiting script; {@code bootdesk assign MAC IMAGE --once} makes it
     * boot without a restart; afterwards the one-time assignment is gone.
     */
    @Test
    void f_assignWhileWaiting() throws Exception {
        String name = "f-assign-while-waiting";
        String mac = E2e.mac(0x1f);
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir(name);
        try (NetLab lab = NetLab.create(); BootDesk bd = new BootDesk(lab, dir)) {
            bd.serve(fullModeArgs(lab));
            addLinuxImage(bd, payload, name);
            try (QemuVm vm = QemuVm.start(lab, QemuVm.Variant.BIOS_IPXE_ROM, mac, dir.resolve("vm"))) {
                QemuVm.Line w = withContext(bd, mac, () -> vm.await(WAITING, E2e.BOOT_TIMEOUT, "BootDesk's waiting message"));
                Map<String, String> row = awaitMachine(bd, mac, r -> "waiting".equals(r.get("STAGE")), "stage 'waiting'");
                assertThat(row.get("IMAGE")).isEqualTo("-");
                Cmd.sleep(3000); // it keeps waiting: still no marker, still the same VM
                assertThat(vm.find(E2e.marker(name))).isEmpty();
                assertThat(vm.alive()).isTrue();
                long startsWhileWaiting = E2e.ipxeStarts(vm);

                long t0 = System.nanoTime();
                assertThat(bd.cli("assign", mac, name, "--once")).contains(name);
                QemuVm.Line m = withContext(bd, mac, () -> vm.await(E2e.marker(name), E2e.BOOT_TIMEOUT, "the marker after assign"));
                double afterAssign = (System.nanoTime() - t0) / 1e9;
                assertThat(m.text()).contains("mac=" + mac.toLowerCase());
                assertThat(E2e.firmwareStarts(vm)).as("booted without a restart: one power-on").isEqualTo(1);
                assertThat(E2e.ipxeStarts(vm)).as("no iPXE started again after the assignment (the ROM may chain"
                        + " BootDesk's loader once before it waits)").isEqualTo(startsWhileWaiting);
                expectEvents(bd, mac,
                        List.of("DHCP_ACK", "HTTP_WAITING", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED", "ASSIGNMENT"));
                Map<String, String> after = awaitMachine(bd, mac, r -> "-".equals(r.get("IMAGE")), "the --once assignment gone");
                assertThat(after.get("STAGE")).isEqualTo("booted");
                E2e.timing(name, m, String.format(java.util.Locale.ROOT,
                        "variant=BIOS_IPXE_ROM waiting_s=%.1f marker_after_assign_s=%.1f", w.seconds(), afterAssign));
                lab.checkIsolation();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Full-mode BootDesk, a Linux image for this case assigned to the client, boot to the marker, check events. */
    private void linuxCase(String name, QemuVm.Variant variant, int macIndex, List<String> events) throws Exception {
        String mac = E2e.mac(macIndex);
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir(name);
        try (NetLab lab = NetLab.create(); BootDesk bd = new BootDesk(lab, dir)) {
            bd.serve(fullModeArgs(lab));
            addLinuxImage(bd, payload, name);
            bd.cli("assign", mac, name);
            try (QemuVm vm = QemuVm.start(lab, variant, mac, dir.resolve("vm"))) {
                QemuVm.Line m = withContext(bd, mac, () -> vm.await(E2e.marker(name), E2e.BOOT_TIMEOUT, "the marker"));
                assertThat(m.text()).as("the per-machine command line reached the kernel").contains("mac=" + mac.toLowerCase());
                expectEvents(bd, mac, events);
                E2e.timing(name, m, "variant=" + variant);
                lab.checkIsolation(); // still no default route, no extra link after BootDesk ran
            }
        }
    }

    private static String[] fullModeArgs(NetLab lab) {
        return new String[] {"--mode", "full", "--pool", lab.net(100) + "-" + lab.net(150), "--ipxe-dir", "/usr/lib/ipxe"};
    }

    /** A Linux image named after the case whose command line carries the case and the machine's MAC. */
    private static void addLinuxImage(BootDesk bd, BootPayload p, String name) {
        bd.cli("image", "add", "linux", "--name", name, "--kernel", p.kernel.toString(), "--initrd", p.initrd.toString(),
                "--cmdline", BootPayload.BASE_CMDLINE + " bde2e_case=" + name + " bde2e_mac={{ mac }}");
    }

    /**
     * Waits (the journal is written in batches) until {@code bootdesk events MAC} contains {@code expected} in this
     * order (other events may come between), and returns all events of the machine.
     */
    static List<BootdeskOutput.Event> expectEvents(BootDesk bd, String mac, List<String> expected) {
        long deadline = System.currentTimeMillis() + 10_000;
        List<BootdeskOutput.Event> ev;
        while (true) {
            ev = BootdeskOutput.events(bd.cli("events", "--limit", "1000", mac));
            List<String> types = ev.stream().map(BootdeskOutput.Event::type).toList();
            if (isSubsequence(expected, types)) {
                return ev;
            }
            if (System.currentTimeMillis() > deadline) {
                StringBuilder s = new StringBuilder();
                ev.forEach(e -> s.append("  ").append(e.type()).append("  ").append(e.ip()).append("  ").append(e.message()).append('\n'));
                throw new AssertionError("bootdesk events " + mac + " should contain " + expected + " in this order; it has:\n"
                        + s + "--- bootdesk serve log (tail) ---\n" + bd.logTail(40));
            }
            Cmd.sleep(500);
        }
    }

    static boolean isSubsequence(List<String> expected, List<String> actual) {
        int i = 0;
        for (String a : actual) {
            if (i < expected.size() && expected.get(i).equals(a)) {
                i++;
            }
        }
        return i == expected.size();
    }

    private static Map<String, String> awaitMachine(BootDesk bd, String mac, Predicate<Map<String, String>> ok, String what) {
        long deadline = System.currentTimeMillis() + 15_000;
        Map<String, String> row = null;
        while (System.currentTimeMillis() < deadline) {
            row = bd.machine(mac);
            if (row != null && ok.test(row)) {
                return row;
            }
            Cmd.sleep(500);
        }
        throw new AssertionError("bootdesk machines: " + mac + " should show " + what + "; its row: " + row
                + "\n" + bd.cli("machines"));
    }

    interface Step<T> {
        T run();
    }

    /** Adds BootDesk's log tail and the machine's events to a failure of {@code step}. */
    static <T> T withContext(BootDesk bd, String mac, Step<T> step) {
        try {
            return step.run();
        } catch (AssertionError e) {
            List<String> ctx = new ArrayList<>();
            ctx.add("--- bootdesk serve (pid " + bd.pid() + (bd.alive() ? ", running" : ", exited") + ") log tail ---");
            ctx.add(bd.logTail(40));
            Cmd.Result events = bd.cliResult("events", "--limit", "50", mac);
            ctx.add("--- bootdesk events " + mac + " ---");
            ctx.add(events.output().strip());
            AssertionError wrapped = new AssertionError(e.getMessage() + "\n" + String.join("\n", ctx));
            wrapped.setStackTrace(e.getStackTrace());
            throw wrapped;
        }
    }
}
