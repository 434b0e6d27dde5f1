package io.bootdesk.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a DHCP request says about iPXE's HTTPS (option 175 feature 0x14) reaches the machine table. */
class IpxeHttpsInventoryTest {
    @TempDir
    Path dir;
    ResponderRig rig;

    @BeforeEach
    void open() {
        rig = new ResponderRig(dir);
    }

    @AfterEach
    void close() {
        rig.close();
    }

    Machine after(DhcpMessage m) {
        rig.full().handle(m, ResponderRig.unconfiguredClient(), ResponderRig.DHCP_PORT);
        return rig.inventory.get(MacAddress.of(m.chaddr(), 0)).orElseThrow();
    }

    static DhcpMessage withHttps(DhcpMessage real) {
        byte[] features = real.option(DhcpOption.IPXE);
        byte[] with = java.util.Arrays.copyOf(features, features.length + 3);
        with[features.length] = (byte) DhcpOption.IPXE_FEATURE_HTTPS;
        with[features.length + 1] = 1;
        with[features.length + 2] = 1;
        return real.toBuilder().option(DhcpOption.IPXE, with).build();
    }

    @Test
    void anIpxeSaysWhetherItHasHttpsOtherClientsLeaveItUnknown() {
        DhcpMessage pxe = Golden.message("efi-pxe/discover");
        assertThat(after(pxe).ipxeHttps()).as("PXE firmware: not known").isNull();

        DhcpMessage ipxe = Golden.message("efi-ipxe/discover"); // Debian 12's: no HTTPS
        assertThat(after(ipxe).ipxeHttps()).isFalse();
        assertThat(after(withHttps(ipxe)).ipxeHttps()).isTrue();

        // the firmware asks again (next boot): what its iPXE said is kept
        DhcpMessage firmwareAgain = pxe.toBuilder().chaddr(ipxe.chaddr()).build();
        assertThat(after(firmwareAgain).ipxeHttps()).isTrue();
        assertThat(DhcpResponder.ipxeHttps(ClientInfo.of(pxe))).isNull();
    }
}
