package io.bootdesk.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.core.BootPlanner;
import io.bootdesk.core.Endpoints;
import io.bootdesk.core.LoaderCapabilities;
import io.bootdesk.model.DhcpMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With HTTPS on, DHCP answers carry what iPXE needs to trust BootDesk: 175.90 (the CA's SHA-256) in every answer to
 * PXE firmware and iPXE, sent unasked (edk2 never asks for 175, the iPXE it starts reads the cached answer), and
 * 175.93 (BootDesk's crosscert URL). Real captured requests in, answers checked byte by byte.
 */
class TrustDeliveryTest {
    static final byte[] FINGERPRINT = new byte[32];

    static {
        Arrays.fill(FINGERPRINT, (byte) 0xab);
    }

    @TempDir
    Path dir;
    ResponderRig rig;
    DhcpResponder full;
    DhcpResponder proxy;

    @BeforeEach
    void open() {
        rig = new ResponderRig(dir);
        BootPlanner planner = new BootPlanner(new Endpoints(ResponderRig.SERVER_IP, 80, 443, 8443), rig.core.loaders,
                rig.catalog, false, null, new LoaderCapabilities(null));
        DhcpConfig.Trust trust = new DhcpConfig.Trust(FINGERPRINT, "http://10.99.0.1/ca/crosscert");
        full = new DhcpResponder(new DhcpConfig(DhcpMode.FULL, "test0", ResponderRig.SERVER, List.of(ResponderRig.POOL),
                List.of(), 3600, 67, 4011, trust), planner, rig.events, rig.journal, rig.tracker, List.of());
        proxy = new DhcpResponder(new DhcpConfig(DhcpMode.PROXY, "test0", ResponderRig.SERVER, List.of(), List.of(), 3600,
                67, 4011, trust), planner, rig.events, rig.journal, rig.tracker, List.of());
    }

    @AfterEach
    void close() {
        rig.close();
    }

    private static Map<Integer, byte[]> ipxeOptions(DhcpMessage m) {
        return DhcpCodec.subOptions(m.option(DhcpOption.IPXE));
    }

    private DhcpMessage answer(DhcpResponder r, String fixture) {
        List<Reply> replies = r.handle(Golden.message(fixture), ResponderRig.unconfiguredClient(), 67);
        assertThat(replies).hasSize(1);
        return replies.get(0).message();
    }

    @Test
    void uefiPxeGetsTheFingerprintUnaskedWithItsLoader() {
        DhcpMessage offer = answer(full, "efi-pxe/discover");
        assertThat(Golden.message("efi-pxe/discover").option(DhcpOption.PARAMETER_LIST)).doesNotContain((byte) 175);
        assertThat(offer.fileName()).isEqualTo("snponly.efi");
        assertThat(ipxeOptions(offer).get(DhcpOption.IPXE_TRUST)).isEqualTo(FINGERPRINT);
        assertThat(new String(ipxeOptions(offer).get(DhcpOption.IPXE_CROSSCERT), StandardCharsets.US_ASCII))
                .isEqualTo("http://10.99.0.1/ca/crosscert");
    }

    @Test
    void debian12IpxeWithoutHttpsIsChainedWithTheFingerprintAndNoPxedhcp() {
        DhcpMessage offer = answer(full, "bios-ipxe/discover");
        assertThat(offer.fileName()).as("chained to an HTTPS-capable iPXE").isEqualTo("undionly.kpxe");
        assertThat(offer.siaddr()).isEqualTo(ResponderRig.SERVER);
        assertThat(ipxeOptions(offer).get(DhcpOption.IPXE_TRUST)).isEqualTo(FINGERPRINT);
    }

    @Test
    void theProxyAnswerCarriesTheFingerprintToo() {
        DhcpMessage offer = answer(proxy, "bios-ipxe/discover");
        assertThat(offer.yiaddr()).isZero();
        assertThat(ipxeOptions(offer).get(DhcpOption.IPXE_TRUST)).isEqualTo(FINGERPRINT);
        assertThat(ipxeOptions(offer)).doesNotContainKey(DhcpOption.IPXE_NO_PXEDHCP);
    }

    @Test
    void aClientThatIsNotNetworkBootingGetsNoTrustOption() {
        DhcpMessage offer = answer(full, "os-udhcpc/discover");
        assertThat(offer.has(DhcpOption.IPXE)).isFalse();
    }

    /**
     * edk2 writes a NUL right after option 67 in the answer it caches; option 67 must carry its own NUL or that NUL
     * overwrites the tag of the next option, and the iPXE started from the cached answer loses 175.90.
     */
    @Test
    void option67EndsWithANulSoEdk2DoesNotOverwriteTheNextOption() {
        DhcpMessage offer = answer(full, "efi-pxe/discover");
        byte[] wire = DhcpCodec.encode(offer);
        int at = indexOfOption(wire, DhcpOption.BOOTFILE);
        int len = wire[at + 1] & 0xff;
        // what edk2's PxeBcParseDhcp4Packet does to the packet it caches: a NUL after option 67's data unless its last
        // byte is already one
        if (wire[at + 2 + len - 1] != 0) {
            wire[at + 2 + len] = 0;
        }
        DhcpMessage cached;
        try {
            cached = DhcpCodec.decode(wire);
        } catch (DhcpDecodeException e) {
            throw new AssertionError(e);
        }
        assertThat(DhcpCodec.subOptions(cached.option(DhcpOption.IPXE)).get(DhcpOption.IPXE_TRUST))
                .as("175.90 still readable in edk2's cached copy").isEqualTo(FINGERPRINT);
    }

    private static int indexOfOption(byte[] wire, int code) {
        int i = DhcpCodec.HEADER_LENGTH + 4;
        while (i < wire.length && (wire[i] & 0xff) != 255) {
            if ((wire[i] & 0xff) == code) {
                return i;
            }
            i += (wire[i] & 0xff) == 0 ? 1 : 2 + (wire[i + 1] & 0xff);
        }
        throw new AssertionError("no option " + code);
    }
}
