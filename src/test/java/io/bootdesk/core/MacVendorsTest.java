package io.bootdesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.MacAddress;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MAC vendor names: the built-in table, locally administered addresses, the IEEE registry CSV read lazily. */
class MacVendorsTest {
    @TempDir
    Path tmp;

    private static MacAddress mac(String s) {
        return MacAddress.parse(s);
    }

    @Test
    void builtInNamesHypervisorsAndBoardsWithoutTheRegistry() {
        MacVendors v = MacVendors.builtInOnly();
        assertThat(v.describe(mac("52:54:00:12:34:56"))).isEqualTo("QEMU/KVM");
        assertThat(v.describe(mac("08:00:27:aa:bb:cc"))).isEqualTo("VirtualBox");
        assertThat(v.describe(mac("00:50:56:01:02:03"))).isEqualTo("VMware");
        assertThat(v.describe(mac("00:0c:29:01:02:03"))).isEqualTo("VMware");
        assertThat(v.describe(mac("00:05:69:01:02:03"))).isEqualTo("VMware");
        assertThat(v.describe(mac("00:15:5d:01:02:03"))).isEqualTo("Microsoft Hyper-V");
        assertThat(v.describe(mac("00:16:3e:01:02:03"))).isEqualTo("Xen");
        for (String pi : new String[] {"B8:27:EB", "DC:A6:32", "E4:5F:01", "2C:CF:67", "D8:3A:DD"}) {
            assertThat(v.describe(mac(pi + ":00:00:01"))).as(pi).isEqualTo("Raspberry Pi");
        }
        assertThat(v.describe(mac("00:25:90:01:02:03"))).isEqualTo("Supermicro");
        assertThat(v.describe(mac("00:1b:21:01:02:03"))).isEqualTo("Intel");
        assertThat(v.describe(mac("00:00:01:01:02:03"))).as("not in the table, no registry").isEmpty();
        assertThat(MacVendors.builtInTable()).hasSizeGreaterThan(30).containsEntry("52:54:00", "QEMU/KVM");
    }

    @Test
    void locallyAdministeredAddressesSaySoButQemuKeepsItsName() {
        MacVendors v = MacVendors.builtInOnly();
        assertThat(MacVendors.locallyAdministered(mac("02:00:00:00:00:01"))).isTrue();
        assertThat(MacVendors.locallyAdministered(mac("52:54:00:00:00:01"))).isTrue();
        assertThat(MacVendors.locallyAdministered(mac("00:50:56:00:00:01"))).isFalse();
        assertThat(MacVendors.locallyAdministered(mac("fe:ff:ff:00:00:01"))).isTrue();
        assertThat(v.describe(mac("02:42:ac:11:00:02"))).isEqualTo("locally administered");
        assertThat(v.describe(mac("6a:1b:00:00:00:01"))).isEqualTo("locally administered");
        assertThat(v.describe(mac("52:54:00:00:00:01"))).isEqualTo("QEMU/KVM");
    }

    @Test
    void theRegistryCsvIsParsedRobustly() throws Exception {
        String csv = "\uFEFFRegistry,Assignment,Organization Name,Organization Address\r\n"
                + "MA-L,001122,\"CIMSYS, Inc\",\"Street 1, City\r\n Country\"\r\n"  // comma and line break in quotes
                + "MA-L,AABBCC,\"Quote \"\"Best\"\" Ltd\",Somewhere\n"                // doubled quotes
                + "\n"                                                                 // blank line
                + "MA-L,00-1B-21,  Intel Corporate  ,Malaysia\n"                       // dashes, spaces
                + "MA-L,xyz123,Not Hex,Nowhere\n"                                      // bad assignment
                + "MA-L,ABCDEF,,Nowhere\n"                                             // no name
                + "MA-L,123456\n"                                                      // too few fields
                + "MA-M,70B3D51,Medium Block Co,Somewhere\n"                           // MA-M, 28 bits
                + "MA-S,70B3D5123,Small Block Co,Somewhere\n"                          // MA-S, 36 bits
                + "MA-L,0A0B0C,Last Line Without Newline,X";
        Map<String, String> m = MacVendors.parse(new StringReader(csv));
        assertThat(m).containsEntry("001122", "CIMSYS, Inc")
                .containsEntry("AABBCC", "Quote \"Best\" Ltd")
                .containsEntry("001B21", "Intel Corporate")
                .containsEntry("70B3D51", "Medium Block Co")
                .containsEntry("70B3D5123", "Small Block Co")
                .containsEntry("0A0B0C", "Last Line Without Newline")
                .doesNotContainKeys("XYZ123", "ABCDEF", "123456", "ASSIGNMENT")
                .hasSize(6);
    }

    @Test
    void theRegistryExtendsTheTableOnlyOnceLoadedAndTheLongestAssignmentWins() throws Exception {
        Path csv = Files.writeString(tmp.resolve("oui.csv"), """
                Registry,Assignment,Organization Name,Organization Address
                MA-L,001122,"CIMSYS, Inc",Somewhere
                MA-L,080027,PCS Systemtechnik GmbH,Somewhere
                MA-L,70B3D5,IEEE Registration Authority,Somewhere
                MA-S,70B3D5123,Small Block Co,Somewhere
                MA-L,020000,Impossible (locally administered),Somewhere
                """, StandardCharsets.UTF_8);
        MacVendors v = MacVendors.withRegistry(csv);
        assertThat(v.loaded()).isFalse();
        assertThat(v.describe(mac("00:11:22:33:44:55"))).as("not read before load()").isEmpty();
        assertThat(v.load()).isEqualTo(5);
        assertThat(v.loaded()).isTrue();
        assertThat(v.describe(mac("00:11:22:33:44:55"))).isEqualTo("CIMSYS, Inc");
        assertThat(v.describe(mac("08:00:27:00:00:01"))).as("the built-in name wins").isEqualTo("VirtualBox");
        assertThat(v.describe(mac("70:b3:d5:12:34:56"))).isEqualTo("Small Block Co");
        assertThat(v.describe(mac("70:b3:d5:99:34:56"))).isEqualTo("IEEE Registration Authority");
        assertThat(v.describe(mac("02:00:00:00:00:01"))).isEqualTo("locally administered");
        assertThat(v.load()).as("read once").isEqualTo(5);
    }

    @Test
    void aMissingOrBrokenRegistryLeavesTheBuiltInTable() throws Exception {
        MacVendors missing = MacVendors.withRegistry(tmp.resolve("none.csv"));
        assertThat(missing.load()).isZero();
        assertThat(missing.describe(mac("52:54:00:00:00:01"))).isEqualTo("QEMU/KVM");
        MacVendors folder = MacVendors.withRegistry(tmp);
        assertThat(folder.load()).isZero();
        assertThat(folder.describe(mac("00:50:56:00:00:01"))).isEqualTo("VMware");
        Path binary = Files.write(tmp.resolve("garbage.csv"), new byte[] {0, (byte) 0xff, 0x22, 0x2c, 0x0a, (byte) 0xc3});
        assertThat(MacVendors.withRegistry(binary).load()).isZero();
    }

    @Test
    void theSystemRegistryIfInstalledNamesCommonVendors() {
        MacVendors v = MacVendors.system();
        int n = v.load();
        if (!Files.isRegularFile(MacVendors.IEEE_OUI_CSV)) {
            assertThat(n).isZero();
            return;
        }
        assertThat(n).as("Debian's ieee-data has tens of thousands of MA-L assignments").isGreaterThan(10_000);
        // a prefix not in the built-in table: Cisco's 00:00:0C, in the registry since the beginning
        assertThat(v.describe(mac("00:00:0c:01:02:03"))).containsIgnoringCase("cisco");
    }
}
