package io.bootdesk.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.MacAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec against packets of real clients (src/test/resources/dhcp/golden, README there). Every expected value
 * below was read from the capture (tshark -V and the .hex files) or is what capture.sh configured (the MACs
 * 52:54:00:bd:ca:NN and QEMU's -uuid c0ffee00-1234-5678-9abc-def0000000NN).
 */
class GoldenDecodeTest {

    static List<String> allFixtures() {
        return Golden.all();
    }

    @Test
    void theCapturedClientsAreAllThere() {
        assertThat(Golden.all()).contains("bios-ipxe/discover", "bios-ipxe/request", "efi-ipxe/discover",
                "efi-ipxe/request", "efi-pxe/discover", "efi-pxe/request", "efi-pxe/snponly-discover",
                "efi-pxe/snponly-request", "efi-pxe-proxy/pxe-request", "efi-pxe-proxy/pxe-ack", "efi-http/discover",
                "efi-http/request", "os-udhcpc/discover", "os-udhcpc/request");
        assertThat(Golden.all()).hasSize(47);
    }

    @ParameterizedTest
    @MethodSource("allFixtures")
    void everyFixtureDecodesAndSurvivesReencoding(String name) throws DhcpDecodeException {
        byte[] wire = Golden.bytes(name);
        DhcpMessage m = DhcpCodec.decode(wire);
        assertThat(m.messageType()).as("option 53 of %s", name).isNotNull();
        byte[] again = DhcpCodec.encode(m);
        assertThat(DhcpCodec.decode(again)).isEqualTo(m);
        // every option the client sent is still there, in the client's order
        assertThat(DhcpCodec.decode(again).options().keySet()).containsExactlyElementsOf(m.options().keySet());
    }

    /** The answers BootDesk itself sent in the capture runs (every BOOTREPLY kept there came from 10.99.0.1). */
    static List<String> bootDeskAnswers() {
        return Golden.all().stream()
                .filter(n -> n.contains("-bootdesk/") || n.startsWith("efi-pxe-proxy/"))
                .filter(n -> Golden.bytes(n)[0] == DhcpMessage.BOOTREPLY)
                .toList();
    }

    @ParameterizedTest
    @MethodSource("bootDeskAnswers")
    void bootDesksOwnAnswersReencodeByteForByte(String name) throws DhcpDecodeException {
        byte[] wire = Golden.bytes(name);
        assertThat(DhcpCodec.encode(DhcpCodec.decode(wire))).isEqualTo(wire);
    }

    // ------------------------------------------------------------------------------------------------ iPXE ROM

    @Test
    void seaBiosIpxeRomDiscover() {
        DhcpMessage m = Golden.message("bios-ipxe/discover");
        assertThat(m.op()).isEqualTo(DhcpMessage.BOOTREQUEST);
        assertThat(m.messageType()).isEqualTo(MessageType.DISCOVER);
        assertThat(m.xid()).isEqualTo(0xac11284e);
        assertThat(m.secs()).isEqualTo(4);
        assertThat(m.broadcastFlag()).as("iPXE does not ask for broadcast replies").isFalse();
        assertThat(mac(m)).isEqualTo("52:54:00:bd:ca:01");
        assertThat(m.ciaddr()).isZero();
        assertThat(m.optionUnsigned(DhcpOption.MAX_MESSAGE_SIZE)).isEqualTo(1472);
        assertThat(m.optionString(DhcpOption.VENDOR_CLASS)).isEqualTo("PXEClient:Arch:00000:UNDI:002001");
        assertThat(m.option(DhcpOption.CLIENT_ARCH)).containsExactly(0, 0);
        assertThat(m.option(DhcpOption.CLIENT_NDI)).containsExactly(1, 2, 1);
        assertThat(m.optionString(DhcpOption.USER_CLASS)).isEqualTo("iPXE");
        assertThat(m.option(DhcpOption.CLIENT_ID)).containsExactly(hex("01525400bdca01"));
        // the 2019 iPXE asks for neither 42 (NTP) nor 121 (classless routes), unlike iPXE HEAD
        assertThat(prl(m)).containsExactly(1, 3, 6, 7, 12, 15, 17, 26, 43, 60, 66, 67, 119, 128, 129, 130, 131, 132,
                133, 134, 135, 175, 203);
        // banner: "Features: DNS HTTP iSCSI NFS TFTP AoE ELF MBOOT PXE bzImage Menu PXEXT"
        assertThat(subOptions(m, DhcpOption.IPXE)).containsExactly(
                Map.entry(0xb1, "011af41000"), // bus id: PCI 1af4:1000 (virtio-net)
                Map.entry(0xeb, "010000"),     // version 1.0.0
                Map.entry(0x17, "01"), Map.entry(0x22, "01"), Map.entry(0x13, "01"), Map.entry(0x11, "01"),
                Map.entry(0x27, "01"), Map.entry(0x19, "01"), Map.entry(0x29, "01"),
                Map.entry(0x10, "02"),         // PXE API extensions: version 2, not 1
                Map.entry(0x21, "01"), Map.entry(0x15, "01"), Map.entry(0x18, "01"), Map.entry(0x12, "01"));
        // SMBIOS UUID c0ffee00-1234-5678-9abc-def000000001 in GUID byte order (first three fields little-endian)
        assertThat(m.option(DhcpOption.CLIENT_UUID)).containsExactly(hex("0000eeffc0341278569abcdef000000001"));
        assertThat(m.options().keySet()).containsExactly(53, 57, 93, 94, 60, 77, 55, 175, 61, 97);
    }

    @Test
    void seaBiosIpxeRomRequest() {
        DhcpMessage m = Golden.message("bios-ipxe/request");
        assertThat(m.messageType()).isEqualTo(MessageType.REQUEST);
        assertThat(m.xid()).as("same transaction as its DISCOVER").isEqualTo(Golden.message("bios-ipxe/discover").xid());
        assertThat(m.secs()).isEqualTo(18);
        assertThat(m.ciaddr()).isZero();
        assertThat(Ip4.format(m.optionIp(DhcpOption.SERVER_ID))).isEqualTo("10.99.0.1");
        assertThat(Ip4.format(m.optionIp(DhcpOption.REQUESTED_IP))).isEqualTo("10.99.0.104");
        assertThat(m.options().keySet()).containsExactly(53, 57, 93, 94, 60, 77, 55, 175, 61, 97, 54, 50);
    }

    @Test
    void ovmfWithIpxeEfiRomDiscover() {
        DhcpMessage m = Golden.message("efi-ipxe/discover");
        assertThat(m.messageType()).isEqualTo(MessageType.DISCOVER);
        assertThat(m.xid()).isEqualTo(0xeaf6da67);
        assertThat(mac(m)).isEqualTo("52:54:00:bd:ca:02");
        assertThat(m.optionString(DhcpOption.VENDOR_CLASS)).isEqualTo("PXEClient:Arch:00007:UNDI:003010");
        assertThat(m.option(DhcpOption.CLIENT_ARCH)).containsExactly(0, 7);
        assertThat(m.option(DhcpOption.CLIENT_NDI)).containsExactly(1, 3, 10);
        assertThat(m.optionString(DhcpOption.USER_CLASS)).isEqualTo("iPXE");
        assertThat(prl(m)).isEqualTo(prl(Golden.message("bios-ipxe/discover")));
        // banner: "Features: DNS HTTP iSCSI NFS TFTP AoE EFI Menu"; no HTTPS in Debian 12's iPXE
        assertThat(subOptions(m, DhcpOption.IPXE)).containsExactly(
                Map.entry(0xb1, "011af41000"), Map.entry(0xeb, "010000"),
                Map.entry(0x17, "01"), Map.entry(0x24, "01"), Map.entry(0x13, "01"), Map.entry(0x11, "01"),
                Map.entry(0x27, "01"), Map.entry(0x29, "01"), Map.entry(0x15, "01"), Map.entry(0x12, "01"));
        assertThat(m.option(DhcpOption.CLIENT_UUID)).containsExactly(hex("0000eeffc0341278569abcdef000000002"));
    }

    // ------------------------------------------------------------------------------------------------ OVMF PXE

    @Test
    void ovmfPxeDiscover() {
        DhcpMessage m = Golden.message("efi-pxe/discover");
        assertThat(m.messageType()).isEqualTo(MessageType.DISCOVER);
        assertThat(m.xid()).isEqualTo(0x5de54ade);
        assertThat(m.secs()).isZero();
        assertThat(m.broadcastFlag()).as("edk2 asks for broadcast replies").isTrue();
        assertThat(mac(m)).isEqualTo("52:54:00:bd:ca:03");
        assertThat(m.optionString(DhcpOption.VENDOR_CLASS)).isEqualTo("PXEClient:Arch:00007:UNDI:003000");
        assertThat(m.option(DhcpOption.CLIENT_ARCH)).containsExactly(0, 7);
        assertThat(m.option(DhcpOption.CLIENT_NDI)).containsExactly(1, 3, 0);
        assertThat(m.optionUnsigned(DhcpOption.MAX_MESSAGE_SIZE)).isEqualTo(1472);
        assertThat(m.has(DhcpOption.USER_CLASS)).isFalse();
        assertThat(m.has(DhcpOption.IPXE)).isFalse();
        assertThat(m.has(DhcpOption.CLIENT_ID)).as("edk2 sends no client identifier").isFalse();
        assertThat(prl(m)).containsExactly(1, 2, 3, 4, 5, 6, 12, 13, 15, 17, 18, 22, 23, 28, 40, 41, 42, 43, 50, 51,
                54, 58, 59, 60, 66, 67, 97, 128, 129, 130, 131, 132, 133, 134, 135);
        assertThat(m.option(DhcpOption.CLIENT_UUID)).containsExactly(hex("0000eeffc0341278569abcdef000000003"));
        assertThat(m.options().keySet()).containsExactly(53, 57, 55, 97, 94, 93, 60);
    }

    @Test
    void ovmfPxeRequestAdvertisesA64kMaximumMessageSize() {
        DhcpMessage m = Golden.message("efi-pxe/request");
        assertThat(m.messageType()).isEqualTo(MessageType.REQUEST);
        assertThat(m.xid()).isEqualTo(Golden.message("efi-pxe/discover").xid());
        assertThat(Ip4.format(m.optionIp(DhcpOption.SERVER_ID))).isEqualTo("10.99.0.1");
        assertThat(Ip4.format(m.optionIp(DhcpOption.REQUESTED_IP))).isEqualTo("10.99.0.106");
        // the DISCOVER said 1472; the REQUEST of OVMF 2022.11 says 65280
        assertThat(m.optionUnsigned(DhcpOption.MAX_MESSAGE_SIZE)).isEqualTo(0xff00);
        assertThat(m.options().keySet()).containsExactly(53, 54, 50, 57, 55, 97, 94, 93, 60);
    }

    @Test
    void ovmfPxeBootServerRequestOnPort4011() {
        DhcpMessage m = Golden.message("efi-pxe-proxy/pxe-request");
        assertThat(m.messageType()).isEqualTo(MessageType.REQUEST);
        assertThat(m.xid()).as("a new transaction").isNotEqualTo(Golden.message("efi-pxe-proxy/discover").xid());
        assertThat(m.xid()).isEqualTo(0xd15c2d37);
        assertThat(Ip4.format(m.ciaddr())).as("the address the real DHCP server gave").isEqualTo("10.99.0.161");
        assertThat(m.broadcastFlag()).isFalse();
        assertThat(m.has(DhcpOption.SERVER_ID)).isFalse();
        assertThat(m.has(DhcpOption.REQUESTED_IP)).isFalse();
        assertThat(m.optionString(DhcpOption.VENDOR_CLASS)).isEqualTo("PXEClient:Arch:00007:UNDI:003000");
        assertThat(m.option(DhcpOption.CLIENT_UUID)).containsExactly(hex("0000eeffc0341278569abcdef000000004"));
        assertThat(m.options().keySet()).containsExactly(53, 55, 57, 60, 93, 94, 97);
    }

    @Test
    void snponlyChainedByOvmfPxeDiscover() {
        DhcpMessage m = Golden.message("efi-pxe/snponly-discover");
        assertThat(m.messageType()).isEqualTo(MessageType.DISCOVER);
        assertThat(m.xid()).isEqualTo(0x8d9bb01d);
        assertThat(mac(m)).isEqualTo("52:54:00:bd:ca:03");
        assertThat(m.optionString(DhcpOption.VENDOR_CLASS)).isEqualTo("PXEClient:Arch:00007:UNDI:003010");
        assertThat(m.optionString(DhcpOption.USER_CLASS)).isEqualTo("iPXE");
        // the same build as the EFI ROM (ipxe and ipxe-qemu come from one source package): same feature list
        assertThat(subOptions(m, DhcpOption.IPXE)).isEqualTo(subOptions(Golden.message("efi-ipxe/discover"), DhcpOption.IPXE));
        assertThat(m.option(DhcpOption.CLIENT_UUID)).containsExactly(hex("0000eeffc0341278569abcdef000000003"));
    }

    // ------------------------------------------------------------------------------------------------ OVMF HTTP

    @Test
    void ovmfHttpBootDiscover() {
        DhcpMessage m = Golden.message("efi-http/discover");
        assertThat(m.messageType()).isEqualTo(MessageType.DISCOVER);
        assertThat(m.xid()).isEqualTo(0xbb4b24a1);
        assertThat(m.broadcastFlag()).isTrue();
        assertThat(mac(m)).isEqualTo("52:54:00:bd:ca:05");
        assertThat(m.optionString(DhcpOption.VENDOR_CLASS)).isEqualTo("HTTPClient:Arch:00016:UNDI:003000");
        assertThat(m.option(DhcpOption.CLIENT_ARCH)).containsExactly(0, 0x10);
        assertThat(m.option(DhcpOption.CLIENT_NDI)).containsExactly(1, 3, 0);
        // asks for 235 (edk2's HTTP boot) but not for 66 or the PXE options 128-135
        assertThat(prl(m)).containsExactly(1, 2, 3, 4, 5, 6, 12, 13, 15, 17, 18, 22, 23, 28, 40, 41, 42, 43, 50, 51,
                54, 58, 59, 60, 235, 67, 97);
        assertThat(m.option(DhcpOption.CLIENT_UUID)).containsExactly(hex("0000eeffc0341278569abcdef000000005"));
        assertThat(m.options().keySet()).containsExactly(53, 57, 55, 97, 94, 93, 60);
    }

    @Test
    void dnsmasqsHttpBootOfferEchoesHttpClientAndNulTerminatesTheUrl() {
        DhcpMessage m = Golden.message("efi-http/offer");
        assertThat(m.messageType()).isEqualTo(MessageType.OFFER);
        assertThat(m.optionString(DhcpOption.VENDOR_CLASS)).isEqualTo("HTTPClient");
        assertThat(m.option(DhcpOption.BOOTFILE)).endsWith(0); // dnsmasq sends the NUL
        assertThat(m.optionString(DhcpOption.BOOTFILE)).isEqualTo("http://10.99.0.1/ipxe/snponly.efi");
        assertThat(Ip4.format(m.yiaddr())).isEqualTo("10.99.0.108");
        assertThat(m.fileName()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ not booting

    @Test
    void busyboxUdhcpcDiscover() {
        DhcpMessage m = Golden.message("os-udhcpc/discover");
        assertThat(m.messageType()).isEqualTo(MessageType.DISCOVER);
        assertThat(m.xid()).isEqualTo(0xa1912277);
        assertThat(mac(m)).isEqualTo("52:54:00:bd:ca:09");
        assertThat(m.optionString(DhcpOption.VENDOR_CLASS)).isEqualTo("udhcp 1.35.0");
        assertThat(m.optionUnsigned(DhcpOption.MAX_MESSAGE_SIZE)).isEqualTo(576);
        assertThat(prl(m)).containsExactly(1, 3, 6, 12, 15, 28, 42);
        assertThat(m.options().keySet()).containsExactly(53, 57, 55, 60, 61);
        assertThat(Golden.bytes("os-udhcpc/discover")).hasSize(300); // padded to the BOOTP minimum after END
    }

    // ------------------------------------------------------------------------------------------------ classification

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // fixture,                 mac,              kind,      arch,         ipxe,  https, uuid (SMBIOS, from -uuid)
        "bios-ipxe/discover,        52:54:00:bd:ca:01, IPXE,      BIOS_X86,     true,  false, c0ffee00-1234-5678-9abc-def000000001",
        "bios-ipxe/request,         52:54:00:bd:ca:01, IPXE,      BIOS_X86,     true,  false, c0ffee00-1234-5678-9abc-def000000001",
        "efi-ipxe/discover,         52:54:00:bd:ca:02, IPXE,      EFI_X64,      true,  false, c0ffee00-1234-5678-9abc-def000000002",
        "efi-pxe/discover,          52:54:00:bd:ca:03, PXE,       EFI_X64,      false, false, c0ffee00-1234-5678-9abc-def000000003",
        "efi-pxe/request,           52:54:00:bd:ca:03, PXE,       EFI_X64,      false, false, c0ffee00-1234-5678-9abc-def000000003",
        "efi-pxe/snponly-discover,  52:54:00:bd:ca:03, IPXE,      EFI_X64,      true,  false, c0ffee00-1234-5678-9abc-def000000003",
        "efi-pxe/snponly-request,   52:54:00:bd:ca:03, IPXE,      EFI_X64,      true,  false, c0ffee00-1234-5678-9abc-def000000003",
        "efi-pxe-proxy/pxe-request, 52:54:00:bd:ca:04, PXE,       EFI_X64,      false, false, c0ffee00-1234-5678-9abc-def000000004",
        "efi-http/discover,         52:54:00:bd:ca:05, UEFI_HTTP, EFI_X64_HTTP, false, false, c0ffee00-1234-5678-9abc-def000000005",
        "efi-http/request,          52:54:00:bd:ca:05, UEFI_HTTP, EFI_X64_HTTP, false, false, c0ffee00-1234-5678-9abc-def000000005",
        "os-udhcpc/discover,        52:54:00:bd:ca:09, OTHER,     UNKNOWN,      false, false, ",
    })
    void classification(String fixture, String mac, ClientKind kind, ClientArch arch, boolean ipxe, boolean https,
                        String uuid) {
        DhcpMessage m = Golden.message(fixture);
        ClientInfo c = ClientInfo.of(m);
        assertThat(c.mac()).isEqualTo(MacAddress.parse(mac));
        assertThat(c.type()).isEqualTo(m.messageType());
        assertThat(c.kind()).isEqualTo(kind);
        assertThat(c.arch()).isEqualTo(arch);
        assertThat(c.ipxe()).isEqualTo(ipxe);
        assertThat(c.ipxeHttps()).isEqualTo(https);
        assertThat(c.uuid()).isEqualTo(uuid);
        assertThat(c.vendorClass()).isEqualTo(m.optionString(DhcpOption.VENDOR_CLASS));
        assertThat(c.userClass()).isEqualTo(ipxe ? "iPXE" : null);
    }

    @Test
    void everyCapturedRequestClassifiesAsItsClient() {
        for (String name : Golden.requests()) {
            ClientInfo c = ClientInfo.of(Golden.message(name));
            String client = name.substring(0, name.indexOf('/'));
            String packet = name.substring(name.indexOf('/') + 1);
            ClientKind expected = packet.startsWith("snponly") || client.contains("ipxe") ? ClientKind.IPXE
                    : client.startsWith("efi-http") ? ClientKind.UEFI_HTTP
                    : client.startsWith("efi-pxe") ? ClientKind.PXE : ClientKind.OTHER;
            assertThat(c.kind()).as(name).isEqualTo(expected);
            // the SMBIOS UUID capture.sh passed with -uuid ends in the MAC's last byte: the case number
            if (expected != ClientKind.OTHER) {
                String nn = c.mac().toString().substring(15);
                assertThat(c.uuid()).as(name).isEqualTo("c0ffee00-1234-5678-9abc-def0000000" + nn);
            }
        }
    }

    /** The Debian 12 iPXE has no HTTPS; a later build adds 175.0x14. The sub-option is what decides. */
    @Test
    void ipxeHttpsIsTheFeatureFlag0x14InOption175() {
        DhcpMessage real = Golden.message("efi-ipxe/discover");
        byte[] features = real.option(DhcpOption.IPXE);
        byte[] withHttps = java.util.Arrays.copyOf(features, features.length + 3);
        withHttps[features.length] = (byte) DhcpOption.IPXE_FEATURE_HTTPS;
        withHttps[features.length + 1] = 1;
        withHttps[features.length + 2] = 1;
        DhcpMessage https = real.toBuilder().option(DhcpOption.IPXE, withHttps).build();
        assertThat(ClientInfo.of(real).ipxeHttps()).isFalse();
        assertThat(ClientInfo.of(https).ipxeHttps()).isTrue();
        assertThat(ClientInfo.of(https).kind()).isEqualTo(ClientKind.IPXE);
    }

    /** Option 175 alone makes iPXE, even when a script changed the user class (ipxe.org/cfg/user-class). */
    @Test
    void option175WithoutUserClassIsStillIpxe() {
        DhcpMessage m = Golden.message("bios-ipxe/discover").toBuilder().option(DhcpOption.USER_CLASS, "pixiecore").build();
        ClientInfo c = ClientInfo.of(m);
        assertThat(c.ipxe()).isTrue();
        assertThat(c.kind()).isEqualTo(ClientKind.IPXE);
        assertThat(c.userClass()).isEqualTo("pixiecore");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static String mac(DhcpMessage m) {
        return MacAddress.of(m.chaddr(), 0).toString();
    }

    static List<Integer> prl(DhcpMessage m) {
        List<Integer> out = new ArrayList<>();
        for (byte b : m.option(DhcpOption.PARAMETER_LIST)) {
            out.add(b & 0xff);
        }
        return out;
    }

    static Map<Integer, String> subOptions(DhcpMessage m, int code) {
        Map<Integer, String> out = new LinkedHashMap<>();
        DhcpCodec.subOptions(m.option(code)).forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
        return out;
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
