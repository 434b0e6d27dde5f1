package io.bootdesk.ui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.core.MacVendors;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.Server;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The toolbar's server chips and the machine rows' vendor names, without a window. */
class ServerChipAndVendorTest {
    @TempDir
    Path tmp;

    @Test
    void aChipNamesItsPortsAndSaysWhatStoppingMeans() {
        EngineConfig proxy = EngineConfig.standard(tmp, "enx0", DhcpMode.PROXY);
        ServerChip dhcp = ServerChip.of(Server.DHCP, proxy, true);
        assertThat(dhcp.text()).isEqualTo("DHCP :67+4011");
        assertThat(dhcp.tooltip()).startsWith("DHCP server running on port 67+4011. Click to stop only this server.")
                .contains("get no DHCP answer from BootDesk");
        assertThat(ServerChip.of(Server.DHCP, proxy.with("enx0", DhcpMode.FULL), true).text()).isEqualTo("DHCP :67");
        ServerChip tftp = ServerChip.of(Server.TFTP, proxy, false);
        assertThat(tftp.text()).isEqualTo("TFTP :69 stopped");
        assertThat(tftp.running()).isFalse();
        assertThat(tftp.tooltip()).contains("stopped by the operator").contains("Click to start it again on port 69")
                .contains("PXE firmware cannot load iPXE");
        assertThat(tftp.afterToggle()).startsWith("TFTP server stopped. PXE firmware cannot load iPXE");
        assertThat(ServerChip.of(Server.TFTP, proxy, true).afterToggle()).isEqualTo("TFTP server running again (:69).");
        assertThat(ServerChip.of(Server.HTTP, proxy, true).text()).isEqualTo("HTTP :80");
        ServerChip https = ServerChip.of(Server.HTTPS, proxy, true);
        assertThat(https.text()).isEqualTo("HTTPS :443+8443");
        assertThat(https.tooltip()).contains("mutual TLS");
        for (Server s : Server.values()) {
            assertThat(s.whenStopped()).as(s.label()).isNotBlank().endsWith(".");
        }
    }

    @Test
    void rowsCarryTheVendorAndGetItAgainWhenTheRegistryArrives() throws Exception {
        MacAddress qemu = MacAddress.parse("52:54:00:00:00:01");
        MacAddress cisco = MacAddress.parse("00:00:0c:00:00:02");
        MacAddress random = MacAddress.parse("06:11:22:33:44:55");
        Path csv = Files.writeString(tmp.resolve("oui.csv"),
                "Registry,Assignment,Organization Name,Organization Address\nMA-L,00000C,\"Cisco Systems, Inc\",USA\n");
        MacVendors vendors = MacVendors.withRegistry(csv);
        MachineTableModel t = new MachineTableModel();
        t.vendors(vendors::describe);
        t.reset(List.of(ViewModelTest.machine(qemu, ClientArch.EFI_X64, ClientKind.PXE, BootStage.DISCOVERED, "", -1, null),
                ViewModelTest.machine(cisco, ClientArch.BIOS_X86, ClientKind.PXE, BootStage.DISCOVERED, "", -1, null),
                ViewModelTest.machine(random, ClientArch.BIOS_X86, ClientKind.PXE, BootStage.DISCOVERED, "", -1, null)),
                Map.of());
        assertThat(t.row(qemu).vendor()).isEqualTo("QEMU/KVM");
        assertThat(t.row(qemu).vendorText()).isEqualTo("QEMU/KVM (OUI 52:54:00)");
        assertThat(t.row(cisco).vendor()).as("registry not read yet").isEmpty();
        assertThat(t.row(cisco).vendorText()).isEqualTo("OUI 00:00:0c: vendor unknown");
        assertThat(t.row(random).vendor()).isEqualTo("locally administered");
        assertThat(t.row(random).vendorText()).startsWith("Locally administered address");

        vendors.load();
        List<MachineView> changed = t.revendor(vendors::describe);
        assertThat(changed).hasSize(3);
        assertThat(t.row(cisco).vendor()).isEqualTo("Cisco Systems, Inc");
        // the filter finds machines by vendor
        assertThat(new MachineFilter("cisco").test(t.row(cisco))).isTrue();
        assertThat(new MachineFilter("qemu").test(t.row(cisco))).isFalse();
        assertThat(new MachineFilter("qemu").test(t.row(qemu))).isTrue();
    }
}
