package io.bootdesk.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterAdvertiserTest {

    @Test
    void advertisementIsNotADefaultRouterAndCarriesTheInterfacePrefixes() throws Exception {
        BootInterface nif = new BootInterface("srv0", (Inet4Address) InetAddress.getByName("10.99.0.1"), 24,
                new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56},
                List.of((Inet6Address) InetAddress.getByName("fd99::")));
        byte[] ra = RouterAdvertiser.advertisement(nif);
        String hex = HexFormat.of().formatHex(ra);
        // type 134, code 0, checksum left to the kernel, hop limit 64, no M/O flags, router lifetime 0
        assertThat(hex).startsWith("86000000" + "40" + "00" + "0000" + "00000000" + "00000000");
        // source link-layer address option
        assertThat(hex.substring(32, 48)).isEqualTo("0101" + "525400123456");
        // prefix information: /64, on-link + autonomous, valid 1800 s, preferred 900 s, fd99::
        assertThat(hex.substring(48)).isEqualTo("0304" + "40" + "c0" + "00000708" + "00000384" + "00000000"
                + "fd990000000000000000000000000000");
        assertThat(ra).hasSize(16 + 8 + 32);
    }
}
