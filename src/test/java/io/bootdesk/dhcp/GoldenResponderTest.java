package io.bootdesk.dhcp;

import static io.bootdesk.dhcp.ResponderRig.DHCP_PORT;
import static io.bootdesk.dhcp.ResponderRig.PXE_PORT;
import static io.bootdesk.dhcp.ResponderRig.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.EventType;
import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The requests of real clients (golden fixtures) through DhcpResponder in full and proxy mode: what each kind of
 * client is told, and where the answer goes. Expected boot answers follow reference/ipxe-uefi-protocol.md §1, §6, §7
 * (iPXE: script URL + 175.176; PXE: TFTP file + 60 PXEClient + 43.6 = 8; UEFI HTTP: 60 HTTPClient + absolute URL;
 * UEFI PXE in proxy mode: no 43, then port 4011).
 */
class GoldenResponderTest {

    static final InetSocketAddress BROADCAST_68 = new InetSocketAddress(Ip4.inet(0xFFFFFFFF), 68);
    static final byte[] PXE_DISCOVERY_CONTROL_8 = {6, 1, 8, (byte) 0xff};
    static final byte[] NO_PXEDHCP = {(byte) 176, 1, 1};

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

    static Reply only(List<Reply> replies) {
        assertThat(replies).hasSize(1);
        return replies.get(0);
    }

    static List<Reply> onDhcpPort(DhcpResponder r, String fixture) {
        return r.handle(Golden.message(fixture), ResponderRig.unconfiguredClient(), DHCP_PORT);
    }

    static String scriptUrl(DhcpMessage request) {
        return "http://10.99.0.1/boot/" + MacAddress.of(request.chaddr(), 0).hyphenated() + ".ipxe";
    }

    /** What every reply to {@code req} has, whatever the client. */
    static void isAnswerTo(DhcpMessage reply, DhcpMessage req, MessageType type) {
        assertThat(reply.op()).isEqualTo(DhcpMessage.BOOTREPLY);
        assertThat(reply.messageType()).isEqualTo(type);
        assertThat(reply.xid()).isEqualTo(req.xid());
        assertThat(reply.chaddr()).isEqualTo(req.chaddr());
        assertThat(reply.htype()).isEqualTo(1);
        assertThat(reply.hlen()).isEqualTo(6);
        assertThat(reply.flags()).isEqualTo(req.flags());
        assertThat(reply.optionIp(DhcpOption.SERVER_ID)).isEqualTo(SERVER);
    }

    static void isIpxeScriptAnswer(DhcpMessage reply, DhcpMessage req, boolean proxy) {
        assertThat(reply.siaddr()).isEqualTo(SERVER);
        assertThat(reply.fileName()).isEqualTo(scriptUrl(req));
        assertThat(reply.optionString(DhcpOption.BOOTFILE)).isEqualTo(scriptUrl(req));
        if (proxy) {
            // iPXE takes a proxy offer as such only with 60 PXEClient; siaddr + file let it skip port 4011
            assertThat(reply.optionString(DhcpOption.VENDOR_CLASS)).isEqualTo("PXEClient");
            assertThat(reply.option(DhcpOption.VENDOR_SPECIFIC)).isEqualTo(PXE_DISCOVERY_CONTROL_8);
            assertThat(reply.has(DhcpOption.IPXE)).isFalse();
        } else {
            assertThat(reply.option(DhcpOption.IPXE)).as("175.176 no-pxedhcp = 1").isEqualTo(NO_PXEDHCP);
            assertThat(reply.has(DhcpOption.VENDOR_CLASS)).isFalse();
            assertThat(reply.has(DhcpOption.VENDOR_SPECIFIC)).isFalse();
        }
    }

    static void isTftpAnswer(DhcpMessage reply, String file) {
        assertThat(reply.siaddr()).isEqualTo(SERVER);
        assertThat(reply.serverName()).isEqualTo("10.99.0.1");
        assertThat(reply.fileName()).isEqualTo(file);
        assertThat(reply.optionString(DhcpOption.TFTP_SERVER)).isEqualTo("10.99.0.1");
        assertThat(reply.optionString(DhcpOption.BOOTFILE)).isEqualTo(file);
        assertThat(reply.optionString(DhcpOption.VENDOR_CLASS)).isEqualTo("PXEClient");
        assertThat(reply.has(DhcpOption.IPXE)).isFalse();
    }

    static void isHttpBootAnswer(DhcpMessage reply) {
        assertThat(reply.optionString(DhcpOption.VENDOR_CLASS)).isEqualTo("HTTPClient");
        String url = reply.optionString(DhcpOption.BOOTFILE);
        assertThat(url).isEqualTo("http://10.99.0.1/ipxe/snponly.efi").startsWith("http://").endsWith(".efi");
        assertThat(reply.fileName()).isEqualTo(url);
        assertThat(reply.has(DhcpOption.VENDOR_SPECIFIC)).isFalse();
        assertThat(reply.has(DhcpOption.IPXE)).isFalse();
    }

    static void hasLeaseOptions(DhcpMessage reply) {
        assertThat(reply.optionUnsigned(DhcpOption.LEASE_TIME)).isEqualTo(3600);
        assertThat(reply.optionUnsigned(DhcpOption.RENEWAL_TIME)).isEqualTo(1800);
        assertThat(reply.optionUnsigned(DhcpOption.REBINDING_TIME)).isEqualTo(3150);
        assertThat(Ip4.format(reply.optionIp(DhcpOption.SUBNET_MASK))).isEqualTo("255.255.255.0");
    }

    static void hasNoBootOptions(DhcpMessage reply) {
        for (int code : new int[] {DhcpOption.VENDOR_CLASS, DhcpOption.VENDOR_SPECIFIC, DhcpOption.TFTP_SERVER,
                DhcpOption.BOOTFILE, DhcpOption.IPXE}) {
            assertThat(reply.has(code)).as("option %d", code).isFalse();
        }
        assertThat(reply.fileName()).isEmpty();
        assertThat(reply.siaddr()).isZero();
    }

    /** A BIOS PXE ROM: no such ROM exists for QEMU except iPXE, so iPXE's own DISCOVER without 77 and 175. */
    static DhcpMessage biosPxeRomDiscover() {
        return Golden.message("bios-ipxe/discover").toBuilder()
                .remove(DhcpOption.USER_CLASS).remove(DhcpOption.IPXE).build();
    }

    // ================================================================================================ full mode
    @Nested
    class FullMode {

        @Test
        void ipxeBiosRomGetsItsScriptUrlAndAnAddress() {
            DhcpResponder r = rig.full();
            DhcpMessage discover = Golden.message("bios-ipxe/discover");
            Reply offer = only(onDhcpPort(r, "bios-ipxe/discover"));
            isAnswerTo(offer.message(), discover, MessageType.OFFER);
            assertThat(Ip4.format(offer.message().yiaddr())).isEqualTo("10.99.0.100");
            hasLeaseOptions(offer.message());
            isIpxeScriptAnswer(offer.message(), discover, false);
            assertThat(offer.message().fileName()).isEqualTo("http://10.99.0.1/boot/52-54-00-bd-ca-01.ipxe");
            assertThat(offer.to()).isEqualTo(BROADCAST_68);
            assertThat(offer.fromPort()).isEqualTo(DHCP_PORT);

            // the captured REQUEST selected 10.99.0.104 (dnsmasq's offer, also from 10.99.0.1): free, so granted
            DhcpMessage request = Golden.message("bios-ipxe/request");
            Reply ack = only(r.handle(request, ResponderRig.unconfiguredClient(), DHCP_PORT));
            isAnswerTo(ack.message(), request, MessageType.ACK);
            assertThat(ack.message().yiaddr()).isEqualTo(request.optionIp(DhcpOption.REQUESTED_IP));
            assertThat(Ip4.format(ack.message().yiaddr())).isEqualTo("10.99.0.104");
            hasLeaseOptions(ack.message());
            isIpxeScriptAnswer(ack.message(), request, false);
            assertThat(ack.to()).isEqualTo(BROADCAST_68);
            ack.after().join();
            assertThat(rig.persistedLeases()).extracting(Lease::ip, Lease::mac, Lease::declined)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("10.99.0.104", MacAddress.parse("52:54:00:bd:ca:01"), false));
        }

        @ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(strings = {"efi-ipxe/discover", "efi-ipxe/request",
                "efi-pxe/snponly-discover", "efi-pxe/snponly-request"})
        void ipxeEfiGetsItsScriptUrl(String fixture) {
            DhcpMessage req = Golden.message(fixture);
            DhcpResponder r = rig.full();
            if (req.messageType() == MessageType.REQUEST) {
                only(onDhcpPort(r, fixture.replace("request", "discover"))); // as on the wire: DISCOVER first
            }
            Reply reply = only(onDhcpPort(r, fixture));
            isAnswerTo(reply.message(), req, req.messageType() == MessageType.DISCOVER ? MessageType.OFFER : MessageType.ACK);
            isIpxeScriptAnswer(reply.message(), req, false);
            hasLeaseOptions(reply.message());
            assertThat(reply.to()).isEqualTo(BROADCAST_68);
        }

        @Test
        void uefiPxeGetsSnponlyByTftpWithDiscoveryControl() {
            DhcpResponder r = rig.full();
            DhcpMessage discover = Golden.message("efi-pxe/discover");
            Reply offer = only(onDhcpPort(r, "efi-pxe/discover"));
            isAnswerTo(offer.message(), discover, MessageType.OFFER);
            assertThat(offer.message().broadcastFlag()).isTrue();
            assertThat(Ip4.format(offer.message().yiaddr())).isEqualTo("10.99.0.100");
            isTftpAnswer(offer.message(), "snponly.efi");
            // full mode: 43.6 = 8 so edk2 boots the file instead of asking port 4011 (protocol notes §8.1)
            assertThat(offer.message().option(DhcpOption.VENDOR_SPECIFIC)).isEqualTo(PXE_DISCOVERY_CONTROL_8);
            hasLeaseOptions(offer.message());
            assertThat(offer.to()).isEqualTo(BROADCAST_68);

            DhcpMessage request = Golden.message("efi-pxe/request");
            Reply ack = only(r.handle(request, ResponderRig.unconfiguredClient(), DHCP_PORT));
            isAnswerTo(ack.message(), request, MessageType.ACK);
            assertThat(Ip4.format(ack.message().yiaddr())).isEqualTo("10.99.0.106");
            isTftpAnswer(ack.message(), "snponly.efi");
            assertThat(ack.message().option(DhcpOption.VENDOR_SPECIFIC)).isEqualTo(PXE_DISCOVERY_CONTROL_8);
        }

        @Test
        void biosPxeRomGetsUndionlyByTftpWithDiscoveryControl() {
            DhcpMessage discover = biosPxeRomDiscover();
            assertThat(ClientInfo.of(discover).kind()).isEqualTo(io.bootdesk.model.ClientKind.PXE);
            Reply offer = only(rig.full().handle(discover, ResponderRig.unconfiguredClient(), DHCP_PORT));
            isAnswerTo(offer.message(), discover, MessageType.OFFER);
            isTftpAnswer(offer.message(), "undionly.kpxe");
            assertThat(offer.message().option(DhcpOption.VENDOR_SPECIFIC)).isEqualTo(PXE_DISCOVERY_CONTROL_8);
            assertThat(offer.to()).isEqualTo(BROADCAST_68);
        }

        @Test
        void uefiHttpBootGetsHttpClientAndAnAbsoluteEfiUrl() {
            DhcpResponder r = rig.full();
            DhcpMessage discover = Golden.message("efi-http/discover");
            Reply offer = only(onDhcpPort(r, "efi-http/discover"));
            isAnswerTo(offer.message(), discover, MessageType.OFFER);
            isHttpBootAnswer(offer.message());
            hasLeaseOptions(offer.message());
            assertThat(offer.to()).isEqualTo(BROADCAST_68);

            DhcpMessage request = Golden.message("efi-http/request");
            Reply ack = only(r.handle(request, ResponderRig.unconfiguredClient(), DHCP_PORT));
            isAnswerTo(ack.message(), request, MessageType.ACK);
            assertThat(Ip4.format(ack.message().yiaddr())).isEqualTo("10.99.0.108");
            isHttpBootAnswer(ack.message());
        }

        @Test
        void aClientThatIsNotNetworkBootingGetsAnAddressOnly() {
            DhcpResponder r = rig.full();
            Reply offer = only(onDhcpPort(r, "os-udhcpc/discover"));
            isAnswerTo(offer.message(), Golden.message("os-udhcpc/discover"), MessageType.OFFER);
            assertThat(Ip4.format(offer.message().yiaddr())).isEqualTo("10.99.0.100");
            hasLeaseOptions(offer.message());
            hasNoBootOptions(offer.message());

            Reply ack = only(onDhcpPort(r, "os-udhcpc/request"));
            assertThat(Ip4.format(ack.message().yiaddr())).isEqualTo("10.99.0.112");
            hasNoBootOptions(ack.message());
        }

        @Test
        void port4011IsAnsweredInFullModeToo() {
            DhcpMessage req = Golden.message("efi-pxe-proxy/pxe-request");
            InetSocketAddress client = new InetSocketAddress(Ip4.inet(req.ciaddr()), 4011);
            Reply ack = only(rig.full().handle(req, client, PXE_PORT));
            isAnswerTo(ack.message(), req, MessageType.ACK);
            isTftpAnswer(ack.message(), "snponly.efi");
            assertThat(ack.to()).isEqualTo(client);
            assertThat(ack.fromPort()).isEqualTo(PXE_PORT);
        }

        @Test
        void everyCapturedDiscoverIsOfferedAndEveryEventIsJournaled() {
            DhcpResponder r = rig.full();
            for (String name : Golden.requests()) {
                DhcpMessage req = Golden.message(name);
                if (req.messageType() != MessageType.DISCOVER) {
                    continue;
                }
                Reply offer = only(r.handle(req, ResponderRig.unconfiguredClient(), DHCP_PORT));
                isAnswerTo(offer.message(), req, MessageType.OFFER);
                assertThat(ResponderRig.POOL.inRange(offer.message().yiaddr())).as(name).isTrue();
                assertThat(rig.events(EventType.DHCP_OFFER, MacAddress.of(req.chaddr(), 0))).as(name).isNotEmpty();
            }
        }
    }

    // ================================================================================================ proxy mode
    @Nested
    class ProxyMode {

        @Test
        void ipxeGetsAProxyOfferWithItsScriptUrl() {
            DhcpMessage discover = Golden.message("bios-ipxe/discover");
            Reply offer = only(onDhcpPort(rig.proxy(), "bios-ipxe/discover"));
            isAnswerTo(offer.message(), discover, MessageType.OFFER);
            assertThat(offer.message().yiaddr()).as("proxyDHCP gives no address").isZero();
            assertThat(offer.message().option(DhcpOption.CLIENT_UUID)).isEqualTo(discover.option(DhcpOption.CLIENT_UUID));
            isIpxeScriptAnswer(offer.message(), discover, true);
            assertThat(offer.message().has(DhcpOption.LEASE_TIME)).isFalse();
            assertThat(offer.message().has(DhcpOption.SUBNET_MASK)).isFalse();
            assertThat(offer.to()).isEqualTo(BROADCAST_68);
            assertThat(offer.fromPort()).isEqualTo(DHCP_PORT);
            assertThat(rig.events(EventType.PROXY_OFFER, MacAddress.parse("52:54:00:bd:ca:01"))).hasSize(1);
        }

        @Test
        void uefiPxeGetsNoOption43OnPort67AndAProperAckOn4011() {
            DhcpResponder r = rig.proxy();
            DhcpMessage discover = Golden.message("efi-pxe/discover");
            Reply offer = only(onDhcpPort(r, "efi-pxe/discover"));
            isAnswerTo(offer.message(), discover, MessageType.OFFER);
            assertThat(offer.message().yiaddr()).isZero();
            assertThat(offer.message().option(DhcpOption.CLIENT_UUID)).isEqualTo(discover.option(DhcpOption.CLIENT_UUID));
            isTftpAnswer(offer.message(), "snponly.efi");
            assertThat(offer.message().has(DhcpOption.VENDOR_SPECIFIC))
                    .as("no 43: edk2 then treats the offer as BINL and asks port 4011").isFalse();
            assertThat(offer.to()).isEqualTo(BROADCAST_68);

            // what OVMF sent next in the capture: a unicast REQUEST from 10.99.0.161:4011 to 10.99.0.1:4011
            DhcpMessage pxeRequest = Golden.message("efi-pxe-proxy/pxe-request");
            InetSocketAddress sender = new InetSocketAddress(Ip4.inet(Ip4.parse("10.99.0.161")), 4011);
            Reply ack = only(r.handle(pxeRequest, sender, PXE_PORT));
            isAnswerTo(ack.message(), pxeRequest, MessageType.ACK);
            assertThat(ack.message().xid()).isEqualTo(0xd15c2d37);
            assertThat(Ip4.format(ack.message().ciaddr())).isEqualTo("10.99.0.161");
            assertThat(ack.message().yiaddr()).isZero();
            isTftpAnswer(ack.message(), "snponly.efi");
            assertThat(ack.message().option(DhcpOption.CLIENT_UUID)).isEqualTo(pxeRequest.option(DhcpOption.CLIENT_UUID));
            assertThat(ack.to()).as("unicast back to the sender, port 4011").isEqualTo(sender);
            assertThat(ack.fromPort()).isEqualTo(PXE_PORT);
            assertThat(rig.events(EventType.PROXY_ACK, MacAddress.parse("52:54:00:bd:ca:04"))).hasSize(1);
        }

        @Test
        void biosPxeRomGetsUndionlyWithDiscoveryControl() {
            DhcpMessage discover = biosPxeRomDiscover();
            Reply offer = only(rig.proxy().handle(discover, ResponderRig.unconfiguredClient(), DHCP_PORT));
            assertThat(offer.message().yiaddr()).isZero();
            isTftpAnswer(offer.message(), "undionly.kpxe");
            assertThat(offer.message().option(DhcpOption.VENDOR_SPECIFIC)).isEqualTo(PXE_DISCOVERY_CONTROL_8);
            assertThat(offer.message().option(DhcpOption.CLIENT_UUID)).isEqualTo(discover.option(DhcpOption.CLIENT_UUID));
        }

        @Test
        void uefiHttpBootGetsAProxyOfferWithHttpClientAndAnIpLiteralUrl() {
            DhcpMessage discover = Golden.message("efi-http/discover");
            Reply offer = only(onDhcpPort(rig.proxy(), "efi-http/discover"));
            isAnswerTo(offer.message(), discover, MessageType.OFFER);
            assertThat(offer.message().yiaddr()).isZero();
            isHttpBootAnswer(offer.message());
            assertThat(offer.message().option(DhcpOption.CLIENT_UUID)).isEqualTo(discover.option(DhcpOption.CLIENT_UUID));
            assertThat(offer.to()).isEqualTo(BROADCAST_68);
        }

        @Test
        void aClientThatIsNotNetworkBootingIsNeverAnswered() {
            DhcpResponder r = rig.proxy();
            assertThat(onDhcpPort(r, "os-udhcpc/discover")).isEmpty();
            assertThat(onDhcpPort(r, "os-udhcpc/request")).isEmpty();
            assertThat(r.handle(Golden.message("os-udhcpc/discover"), ResponderRig.unconfiguredClient(), PXE_PORT)).isEmpty();
            assertThat(rig.events(EventType.DHCP_IGNORED, MacAddress.parse("52:54:00:bd:ca:09")))
                    .singleElement().satisfies(e -> assertThat(e.message()).contains("network-boot clients only"));
        }

        static List<String> capturedRequests() {
            return Golden.requests().stream().filter(n -> Golden.message(n).messageType() == MessageType.REQUEST)
                    .filter(n -> !n.endsWith("pxe-request")).toList();
        }

        @ParameterizedTest
        @MethodSource("capturedRequests")
        void requestsOnPort67BelongToTheNetworksDhcpServer(String fixture) {
            assertThat(onDhcpPort(rig.proxy(), fixture)).isEmpty();
        }

        @Test
        void aRelayedDiscoverIsAnsweredThroughTheRelay() {
            DhcpMessage relayed = Golden.message("bios-ipxe/discover").toBuilder()
                    .giaddr(Ip4.parse("10.50.0.1")).hops(1).build();
            Reply offer = only(rig.proxy().handle(relayed, new InetSocketAddress(Ip4.inet(Ip4.parse("10.50.0.1")), 67), DHCP_PORT));
            assertThat(offer.to()).isEqualTo(new InetSocketAddress(Ip4.inet(Ip4.parse("10.50.0.1")), 67));
            assertThat(Ip4.format(offer.message().giaddr())).isEqualTo("10.50.0.1");
            assertThat(offer.message().yiaddr()).isZero();
        }
    }

    // ================================================================================================ replay
    /**
     * The runs capture.sh made against BootDesk itself: the same requests into a fresh responder configured as
     * that BootDesk was (full: --pool 10.99.0.100-10.99.0.150, lease 3600 s; proxy) give the very bytes the real
     * clients received and accepted (each one went on to its next step: REQUEST, port 4011, TFTP, HTTP), but for
     * the NUL that now ends option 67 ({@link Golden#answerWithTerminatedBootfile}).
     */
    @Nested
    class Replay {

        void replay(DhcpResponder r, String request, InetSocketAddress from, int port, String capturedAnswer,
                    InetSocketAddress capturedDestination) {
            Reply reply = only(r.handle(Golden.message(request), from, port));
            assertThat(DhcpCodec.encode(reply.message())).as("%s -> %s", request, capturedAnswer)
                    .isEqualTo(Golden.answerWithTerminatedBootfile(capturedAnswer));
            assertThat(reply.to()).isEqualTo(capturedDestination);
            reply.after().join();
        }

        @Test
        void ipxeBiosRomAgainstBootDeskFullMode() {
            DhcpResponder r = rig.full();
            replay(r, "bios-ipxe-bootdesk/discover", ResponderRig.unconfiguredClient(), DHCP_PORT, "bios-ipxe-bootdesk/offer", BROADCAST_68);
            replay(r, "bios-ipxe-bootdesk/request", ResponderRig.unconfiguredClient(), DHCP_PORT, "bios-ipxe-bootdesk/ack", BROADCAST_68);
        }

        @Test
        void ovmfPxeThenSnponlyAgainstBootDeskFullMode() {
            DhcpResponder r = rig.full();
            replay(r, "efi-pxe-bootdesk/discover", ResponderRig.unconfiguredClient(), DHCP_PORT, "efi-pxe-bootdesk/offer", BROADCAST_68);
            replay(r, "efi-pxe-bootdesk/request", ResponderRig.unconfiguredClient(), DHCP_PORT, "efi-pxe-bootdesk/ack", BROADCAST_68);
            replay(r, "efi-pxe-bootdesk/snponly-discover", ResponderRig.unconfiguredClient(), DHCP_PORT, "efi-pxe-bootdesk/snponly-offer", BROADCAST_68);
            replay(r, "efi-pxe-bootdesk/snponly-request", ResponderRig.unconfiguredClient(), DHCP_PORT, "efi-pxe-bootdesk/snponly-ack", BROADCAST_68);
        }

        @Test
        void ovmfHttpBootAgainstBootDeskFullMode() {
            DhcpResponder r = rig.full();
            replay(r, "efi-http-bootdesk/discover", ResponderRig.unconfiguredClient(), DHCP_PORT, "efi-http-bootdesk/offer", BROADCAST_68);
            replay(r, "efi-http-bootdesk/request", ResponderRig.unconfiguredClient(), DHCP_PORT, "efi-http-bootdesk/ack", BROADCAST_68);
        }

        @Test
        void ovmfPxeThenSnponlyAgainstBootDeskProxyMode() {
            DhcpResponder r = rig.proxy();
            replay(r, "efi-pxe-proxy/discover", ResponderRig.unconfiguredClient(), DHCP_PORT, "efi-pxe-proxy/proxy-offer", BROADCAST_68);
            assertThat(onDhcpPort(r, "efi-pxe-proxy/request")).as("the REQUEST went to dnsmasq").isEmpty();
            InetSocketAddress ovmf = new InetSocketAddress(Ip4.inet(Ip4.parse("10.99.0.161")), 4011);
            replay(r, "efi-pxe-proxy/pxe-request", ovmf, PXE_PORT, "efi-pxe-proxy/pxe-ack", ovmf);
            replay(r, "efi-pxe-proxy/snponly-discover", ResponderRig.unconfiguredClient(), DHCP_PORT, "efi-pxe-proxy/snponly-proxy-offer", BROADCAST_68);
        }

        @Test
        void theCapturedProxyAnswersSayWhatTheClientsActedOn() {
            DhcpMessage ack = Golden.message("efi-pxe-proxy/pxe-ack");
            assertThat(new String(ack.option(DhcpOption.BOOTFILE), StandardCharsets.US_ASCII)).isEqualTo("snponly.efi");
            DhcpMessage offer = Golden.message("efi-pxe-proxy/snponly-proxy-offer");
            assertThat(offer.fileName()).isEqualTo("http://10.99.0.1/boot/52-54-00-bd-ca-04.ipxe");
        }
    }
}
