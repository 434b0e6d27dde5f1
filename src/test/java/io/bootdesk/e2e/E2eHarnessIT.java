package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Self-test of the E2E harness, independent of BootDesk: the lab's isolation and cleanup, and real boots of the
 * payload through each QEMU variant against {@link ReferenceServer} (dnsmasq + the JDK's file server). If these
 * pass and an {@link E2eBootIT} case fails, the product is the suspect, not the harness.
 */
class E2eHarnessIT {

    @BeforeAll
    static void requirements() {
        E2e.requireQemuLab();
        Requirements.requireCommand("dnsmasq", "dnsmasq-base");
    }

    @Test
    void labIsIsolatedAndCloseKillsItsProcessesAndDeletesIt() throws Exception {
        Process sleeper;
        List<String> names;
        try (NetLab lab = NetLab.create(true)) {
            names = lab.namespaces();
            assertThat(names).hasSize(3).allMatch(NetLab::nsExists).allMatch(n -> n.startsWith(NetLab.PREFIX));
            lab.checkIsolation();
            // the server reaches the third namespace across the client bridge, and nothing else
            List<String> ping = Requirements.onPath("ping") ? List.of("ping") : Requirements.onPath("busybox")
                    ? List.of("busybox", "ping") : List.of();
            if (!ping.isEmpty()) {
                List<String> c = new java.util.ArrayList<>(ping);
                c.addAll(List.of("-c", "1", "-W", "5", lab.dhcpIp));
                assertThat(Cmd.run(Duration.ofSeconds(20), null, NetLab.inNs(lab.srvNs, c)).check())
                        .containsPattern("1 (packets )?received");
            }
            sleeper = new ProcessBuilder(NetLab.inNs(lab.srvNs, List.of("sleep", "600"))).start();
            assertThat(NetLab.pids(lab.srvNs)).contains(sleeper.pid());
        }
        assertThat(sleeper.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).as("process in the lab killed").isTrue();
        assertThat(names).noneMatch(NetLab::nsExists);
    }

    @Test
    void leftoversOfADeadRunAreRemovedAndThoseOfALiveRunKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String dead = NetLab.PREFIX + gone.pid() + "-1-srv";
        String live = NetLab.PREFIX + ProcessHandle.current().pid() + "-999-srv";
        Cmd.check("ip", "netns", "add", dead);
        Cmd.check("ip", "netns", "add", live);
        try {
            Process orphan = new ProcessBuilder(NetLab.inNs(dead, List.of("sleep", "600"))).start();
            NetLab.cleanLeftovers();
            assertThat(NetLab.nsExists(dead)).as(dead + " removed").isFalse();
            assertThat(orphan.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).as("its process killed").isTrue();
            assertThat(NetLab.nsExists(live)).as(live + " of this live JVM kept").isTrue();
        } finally {
            Cmd.run(Duration.ofSeconds(20), null, "ip", "netns", "del", live);
            Cmd.run(Duration.ofSeconds(20), null, "ip", "netns", "del", dead);
        }
    }

    @Test
    void payloadHasAKernelWithEfiStubAnInitramfsAndAUki() throws Exception {
        BootPayload p = E2e.payload();
        byte[] k = Files.readAllBytes(p.kernel);
        assertThat(new String(k, 0x202, 4, java.nio.charset.StandardCharsets.US_ASCII)).as("bzImage header").isEqualTo("HdrS");
        assertThat(k[0] == 'M' && k[1] == 'Z').as("PE/EFI stub").isTrue();
        byte[] u = Files.readAllBytes(p.uki);
        assertThat(u[0] == 'M' && u[1] == 'Z').as("UKI is a PE file").isTrue();
        String sections = Cmd.check("objdump", "-h", p.uki.toString());
        assertThat(sections).contains(".linux", ".initrd", ".cmdline", ".osrel");
        if (Requirements.onPath("cpio")) {
            String list = Cmd.run(Duration.ofSeconds(30), null, "sh", "-c", "gzip -dc \"$1\" | cpio -itv",
                    "x", p.initrd.toString()).check();
            assertThat(list).contains("init", "bin/busybox", "bin/sh -> busybox");
            assertThat(list).containsPattern("crw-------.*5,\\s+1.*dev/console");
        }
    }

    @Test
    void biosIpxeRomBootsFromTheReferenceServer() throws Exception {
        referenceBoot("ref-bios", QemuVm.Variant.BIOS_IPXE_ROM, "ref-bios", 1);
    }

    @Test
    void uefiPxeChainsSnponlyFromTheReferenceServer() throws Exception {
        referenceBoot("ref-uefi-pxe", QemuVm.Variant.UEFI_PXE, "ref-uefi-pxe", 2);
    }

    @Test
    void uefiHttpBootLoadsTheUkiFromTheReferenceServer() throws Exception {
        referenceBoot("ref-uefi-http", QemuVm.Variant.UEFI_HTTP, BootPayload.UKI_CASE, 3);
    }

    private void referenceBoot(String name, QemuVm.Variant variant, String expectedCase, int n) throws Exception {
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir("harness-" + name);
        String mac = E2e.mac(0x80 + n);
        try (NetLab lab = NetLab.create();
             ReferenceServer ref = ReferenceServer.start(lab, dir, payload, name, mac);
             QemuVm vm = QemuVm.start(lab, variant, mac, dir.resolve("vm"))) {
            QemuVm.Line m = vm.await(E2e.marker(expectedCase), E2e.BOOT_TIMEOUT, "the marker");
            if (!expectedCase.equals(BootPayload.UKI_CASE)) {
                assertThat(m.text()).contains("mac=" + mac);
            }
            assertThat(ref.dnsmasq.leasesText()).contains(mac);
            E2e.timing(name, m, "variant=" + variant + " server=reference");
        }
    }
}
