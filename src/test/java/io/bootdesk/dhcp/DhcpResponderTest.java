package io.bootdesk.dhcp;

import static io.bootdesk.dhcp.ResponderRig.DHCP_PORT;
import static io.bootdesk.dhcp.ResponderRig.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bootdesk.model.EventType;
import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import io.bootdesk.store.LeaseStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full-mode address logic of DhcpResponder (RFC 2131 §3, §4.3) with the real journal and SQLite file behind it.
 * Requests are built here (the captured clients never renew, release, decline, inform or come through a relay).
 */
class DhcpResponderTest {

    static final MacAddress A = MacAddress.parse("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.parse("52:54:00:00:00:0b");
    static final MacAddress C = MacAddress.parse("52:54:00:00:00:0c");
    static final InetSocketAddress BROADCAST_68 = new InetSocketAddress(Ip4.inet(0xFFFFFFFF), 68);
    static final int OTHER_SERVER = Ip4.parse("10.99.0.2");
    static final Pool ONE_ADDRESS = Pool.parseRange("10.99.0.100-10.99.0.100", SERVER, 24, 0);
    static final Pool TWO_ADDRESSES = Pool.parseRange("10.99.0.100-10.99.0.101", SERVER, 24, 0);
    static final int RELAY = Ip4.parse("10.50.0.1");
    static final Pool RELAY_POOL = Pool.parseRelayPool("10.50.0.0/16=10.50.1.10-10.50.1.20,router=10.50.0.1");

    @TempDir
    Path dir;
    ResponderRig rig;
    int xid = 0x1000;

    @BeforeEach
    void open() {
        rig = new ResponderRig(dir);
    }

    @AfterEach
    void close() {
        rig.close();
    }

    static int ip(String dotted) {
        return Ip4.parse(dotted);
    }

    DhcpMessage.Builder msg(MessageType type, MacAddress mac) {
        return DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).xid(++xid).chaddr(mac.bytes()).messageType(type)
                .option(DhcpOption.PARAMETER_LIST, new byte[] {1, 3, 6, 15, 51, 54});
    }

    DhcpMessage discover(MacAddress mac) {
        return msg(MessageType.DISCOVER, mac).build();
    }

    /** SELECTING: the REQUEST after our OFFER. */
    DhcpMessage select(MacAddress mac, int offered) {
        return msg(MessageType.REQUEST, mac).optionIp(DhcpOption.SERVER_ID, SERVER)
                .optionIp(DhcpOption.REQUESTED_IP, offered).build();
    }

    /** INIT-REBOOT: "I had this address", no server id, ciaddr 0. */
    DhcpMessage initReboot(MacAddress mac, int address) {
        return msg(MessageType.REQUEST, mac).optionIp(DhcpOption.REQUESTED_IP, address).build();
    }

    static List<Reply> send(DhcpResponder r, DhcpMessage m) {
        InetSocketAddress from = m.ciaddr() != 0 ? new InetSocketAddress(Ip4.inet(m.ciaddr()), 68)
                : m.giaddr() != 0 ? new InetSocketAddress(Ip4.inet(m.giaddr()), 67) : ResponderRig.unconfiguredClient();
        return r.handle(m, from, DHCP_PORT);
    }

    static Reply only(List<Reply> replies) {
        assertThat(replies).hasSize(1);
        return replies.get(0);
    }

    /** DISCOVER, OFFER, REQUEST, ACK; returns the ACK after its lease is committed. */
    Reply dora(DhcpResponder r, MacAddress mac) {
        Reply offer = only(send(r, discover(mac)));
        assertThat(offer.message().messageType()).isEqualTo(MessageType.OFFER);
        Reply ack = only(send(r, select(mac, offer.message().yiaddr())));
        assertThat(ack.message().messageType()).isEqualTo(MessageType.ACK);
        assertThat(ack.message().yiaddr()).isEqualTo(offer.message().yiaddr());
        ack.after().join();
        return ack;
    }

    static void isNak(Reply nak, String because) {
        assertThat(nak.message().messageType()).isEqualTo(MessageType.NAK);
        assertThat(nak.message().yiaddr()).isZero();
        assertThat(nak.message().optionIp(DhcpOption.SERVER_ID)).isEqualTo(SERVER);
        assertThat(nak.message().optionString(DhcpOption.MESSAGE)).contains(because);
        assertThat(nak.message().has(DhcpOption.LEASE_TIME)).isFalse();
        assertThat(nak.message().fileName()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ DORA

    @Test
    void doraLeasesTheFirstFreeAddressAndCommitsIt() {
        DhcpResponder r = rig.full();
        long before = System.currentTimeMillis();
        Reply offer = only(send(r, discover(A)));
        assertThat(offer.message().messageType()).isEqualTo(MessageType.OFFER);
        assertThat(Ip4.format(offer.message().yiaddr())).isEqualTo("10.99.0.100");
        assertThat(offer.to()).isEqualTo(BROADCAST_68);
        assertThat(offer.fromPort()).isEqualTo(DHCP_PORT);
        assertThat(offer.after()).isDone(); // an offer promises nothing durable

        Reply ack = only(send(r, select(A, offer.message().yiaddr())));
        assertThat(ack.message().messageType()).isEqualTo(MessageType.ACK);
        assertThat(Ip4.format(ack.message().yiaddr())).isEqualTo("10.99.0.100");
        assertThat(ack.message().optionUnsigned(DhcpOption.LEASE_TIME)).isEqualTo(3600);
        assertThat(ack.to()).isEqualTo(BROADCAST_68);
        ack.after().join();

        List<Lease> leases = rig.persistedLeases();
        assertThat(leases).hasSize(1);
        assertThat(leases.get(0).ip()).isEqualTo("10.99.0.100");
        assertThat(leases.get(0).mac()).isEqualTo(A);
        assertThat(leases.get(0).declined()).isFalse();
        assertThat(leases.get(0).expires().toEpochMilli()).isCloseTo(before + 3_600_000, within(10_000L));
        assertThat(rig.events(EventType.DHCP_OFFER, A)).hasSize(1);
        assertThat(rig.events(EventType.DHCP_ACK, A)).hasSize(1);
        assertThat(rig.inventory.get(A)).hasValueSatisfying(m -> assertThat(m.ip()).isEqualTo("10.99.0.100"));
    }

    @Test
    void aSecondClientGetsTheNextAddressAndTheFirstKeepsItsOwn() {
        DhcpResponder r = rig.full();
        dora(r, A);
        assertThat(Ip4.format(only(send(r, discover(B))).message().yiaddr())).isEqualTo("10.99.0.101");
        assertThat(Ip4.format(only(send(r, discover(A))).message().yiaddr())).isEqualTo("10.99.0.100");
    }

    @Test
    void renewalIsUnicastToTheClientAndExtendsTheLease() throws InterruptedException {
        DhcpResponder r = rig.full();
        dora(r, A);
        long firstExpiry = rig.persistedLeases().get(0).expires().toEpochMilli();
        Thread.sleep(20);
        // RENEWING: ciaddr filled in, neither server id nor requested address (RFC 2131 §4.3.2)
        Reply ack = only(send(r, msg(MessageType.REQUEST, A).ciaddr(ip("10.99.0.100")).build()));
        assertThat(ack.message().messageType()).isEqualTo(MessageType.ACK);
        assertThat(Ip4.format(ack.message().yiaddr())).isEqualTo("10.99.0.100");
        assertThat(ack.to()).isEqualTo(new InetSocketAddress(Ip4.inet(ip("10.99.0.100")), 68));
        ack.after().join();
        assertThat(rig.persistedLeases()).singleElement()
                .satisfies(l -> assertThat(l.expires().toEpochMilli()).isGreaterThan(firstExpiry));
    }

    @Test
    void initRebootConfirmsTheClientsOwnAddressAlsoAfterARestart() {
        dora(rig.full(), A);
        Reply ack = only(send(rig.full(), initReboot(A, ip("10.99.0.100"))));
        assertThat(ack.message().messageType()).isEqualTo(MessageType.ACK);
        assertThat(ack.to()).isEqualTo(BROADCAST_68);

        rig.reopen();
        DhcpResponder afterRestart = rig.full();
        assertThat(only(send(afterRestart, initReboot(A, ip("10.99.0.100")))).message().messageType())
                .isEqualTo(MessageType.ACK);
        isNak(only(send(afterRestart, initReboot(B, ip("10.99.0.100")))), "leased to " + A);
    }

    @Test
    void aRequestForAnotherServerWithdrawsOurOffer() {
        DhcpResponder r = rig.full(ONE_ADDRESS);
        assertThat(Ip4.format(only(send(r, discover(A))).message().yiaddr())).isEqualTo("10.99.0.100");
        // A chose the other server's offer
        DhcpMessage elsewhere = msg(MessageType.REQUEST, A).optionIp(DhcpOption.SERVER_ID, OTHER_SERVER)
                .optionIp(DhcpOption.REQUESTED_IP, ip("10.99.0.170")).build();
        assertThat(send(r, elsewhere)).isEmpty();
        assertThat(r.leases().addressOf(A)).isZero();
        assertThat(rig.events(EventType.DHCP_IGNORED, A)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("10.99.0.2"));
        // the only address is free again at once, not after the 30 s offer hold
        assertThat(Ip4.format(only(send(r, discover(B))).message().yiaddr())).isEqualTo("10.99.0.100");
        assertThat(rig.persistedLeases()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ NAK

    @Test
    void nakForAnAddressOnAnotherSubnet() {
        DhcpResponder r = rig.full();
        Reply nak = only(send(r, initReboot(A, ip("192.168.1.50"))));
        isNak(nak, "not on this network");
        assertThat(nak.to()).as("RFC 2131 §4.1: a NAK is broadcast when not relayed").isEqualTo(BROADCAST_68);
        assertThat(rig.events(EventType.DHCP_NAK, A)).hasSize(1);
        assertThat(rig.persistedLeases()).isEmpty();
    }

    @Test
    void nakForAnAddressOutsideThePool() {
        isNak(only(send(rig.full(), initReboot(A, ip("10.99.0.20")))), "outside the pool");
    }

    @Test
    void nakForTheAddressOfAnotherClient() {
        DhcpResponder r = rig.full();
        dora(r, A);
        isNak(only(send(r, initReboot(B, ip("10.99.0.100")))), "leased to 52:54:00:00:00:0a");
        isNak(only(send(r, select(B, ip("10.99.0.100")))), "leased to 52:54:00:00:00:0a");
        assertThat(rig.persistedLeases()).extracting(Lease::mac).containsExactly(A);
    }

    @Test
    void nakForAnAddressAnotherClientWasJustOffered() {
        DhcpResponder r = rig.full();
        only(send(r, discover(A)));
        isNak(only(send(r, initReboot(B, ip("10.99.0.100")))), "leased to 52:54:00:00:00:0a");
    }

    @Test
    void nakForAQuarantinedAddress() {
        DhcpResponder r = rig.full();
        dora(r, A);
        assertThat(send(r, msg(MessageType.DECLINE, A).optionIp(DhcpOption.REQUESTED_IP, ip("10.99.0.100"))
                .optionIp(DhcpOption.SERVER_ID, SERVER).build())).isEmpty();
        isNak(only(send(r, initReboot(B, ip("10.99.0.100")))), "quarantined");
        isNak(only(send(r, initReboot(A, ip("10.99.0.100")))), "quarantined");
    }

    @Test
    void aRelayedNakGoesToTheRelayWithTheBroadcastFlag() {
        DhcpResponder r = rig.full(ResponderRig.POOL, RELAY_POOL);
        DhcpMessage request = msg(MessageType.REQUEST, A).giaddr(RELAY).hops(1)
                .optionIp(DhcpOption.REQUESTED_IP, ip("192.168.1.50")).build();
        Reply nak = only(send(r, request));
        isNak(nak, "not on this network");
        assertThat(nak.to()).isEqualTo(new InetSocketAddress(Ip4.inet(RELAY), 67));
        assertThat(nak.message().giaddr()).isEqualTo(RELAY);
        // RFC 2131 §4.3.2: the client may have no usable address, so the relay must broadcast the NAK
        assertThat(nak.message().broadcastFlag()).isTrue();
    }

    // ------------------------------------------------------------------------------------------------ RELEASE, DECLINE

    @Test
    void releaseFreesTheAddress() {
        DhcpResponder r = rig.full(ONE_ADDRESS);
        dora(r, A);
        assertThat(send(r, discover(B))).as("pool exhausted while A holds it").isEmpty();
        // a RELEASE from another machine for A's address changes nothing
        assertThat(send(r, msg(MessageType.RELEASE, B).ciaddr(ip("10.99.0.100")).build())).isEmpty();
        assertThat(rig.persistedLeases()).hasSize(1);

        assertThat(send(r, msg(MessageType.RELEASE, A).ciaddr(ip("10.99.0.100"))
                .optionIp(DhcpOption.SERVER_ID, SERVER).build())).isEmpty();
        assertThat(rig.events(EventType.DHCP_RELEASE, A)).hasSize(1);
        assertThat(rig.persistedLeases()).isEmpty();
        assertThat(Ip4.format(only(send(r, discover(B))).message().yiaddr())).isEqualTo("10.99.0.100");
    }

    @Test
    void declineQuarantinesTheAddressAndPersistsTheQuarantine() {
        DhcpResponder r = rig.full(TWO_ADDRESSES);
        dora(r, A);
        assertThat(send(r, msg(MessageType.DECLINE, A).optionIp(DhcpOption.REQUESTED_IP, ip("10.99.0.100"))
                .optionIp(DhcpOption.SERVER_ID, SERVER).build())).isEmpty();
        assertThat(rig.events(EventType.DHCP_DECLINE, A)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("quarantined"));
        List<Lease> persisted = rig.persistedLeases();
        assertThat(persisted).singleElement().satisfies(l -> {
            assertThat(l.ip()).isEqualTo("10.99.0.100");
            assertThat(l.declined()).isTrue();
            assertThat(l.mac()).isNull();
            assertThat(l.expires().toEpochMilli()).isGreaterThan(System.currentTimeMillis() + 3_000_000);
        });
        assertThat(Ip4.format(only(send(r, discover(A))).message().yiaddr())).isEqualTo("10.99.0.101");
        assertThat(send(r, discover(C))).as(".100 quarantined, .101 offered to A").isEmpty();

        rig.reopen();
        DhcpResponder afterRestart = rig.full(TWO_ADDRESSES);
        assertThat(Ip4.format(only(send(afterRestart, discover(C))).message().yiaddr())).isEqualTo("10.99.0.101");
        assertThat(send(afterRestart, discover(B))).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ INFORM

    @Test
    void informGetsConfigurationButNoAddressUnicastToItsAddress() {
        DhcpResponder r = rig.full();
        int own = ip("10.99.0.77"); // configured by hand, outside the pool
        DhcpMessage inform = msg(MessageType.INFORM, A).ciaddr(own)
                .option(DhcpOption.VENDOR_CLASS, "PXEClient:Arch:00000:UNDI:002001").build();
        Reply ack = only(send(r, inform));
        assertThat(ack.message().messageType()).isEqualTo(MessageType.ACK);
        assertThat(ack.message().ciaddr()).isEqualTo(own);
        assertThat(ack.message().yiaddr()).isZero();
        assertThat(ack.message().has(DhcpOption.LEASE_TIME)).as("RFC 2131 §4.3.5: no lease time").isFalse();
        assertThat(Ip4.format(ack.message().optionIp(DhcpOption.SUBNET_MASK))).isEqualTo("255.255.255.0");
        assertThat(ack.message().fileName()).isEqualTo("undionly.kpxe");
        assertThat(ack.to()).isEqualTo(new InetSocketAddress(Ip4.inet(own), 68));
        assertThat(rig.events(EventType.DHCP_INFORM, A)).hasSize(1);
        assertThat(rig.persistedLeases()).isEmpty();
        assertThat(r.leases().addressOf(A)).isZero();
    }

    // ------------------------------------------------------------------------------------------------ pools, relays

    @Test
    void anExhaustedPoolAnswersNothingAndSaysWhy() {
        DhcpResponder r = rig.full(TWO_ADDRESSES);
        assertThat(Ip4.format(only(send(r, discover(A))).message().yiaddr())).isEqualTo("10.99.0.100");
        assertThat(Ip4.format(only(send(r, discover(B))).message().yiaddr())).isEqualTo("10.99.0.101");
        assertThat(send(r, discover(C))).isEmpty();
        assertThat(rig.events(EventType.DHCP_IGNORED, C)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("no free address in pool 10.99.0.100-10.99.0.101"));
    }

    @Test
    void aRelayedClientGetsAnAddressFromThePoolOfItsRelayAndOption82Back() {
        DhcpResponder r = rig.full(ResponderRig.POOL, RELAY_POOL);
        byte[] agent = HexFormat.of().parseHex("010465746837" + "0206" + "0011223344aa"); // circuit "eth7", remote id
        DhcpMessage discover = msg(MessageType.DISCOVER, A).giaddr(RELAY).hops(1).option(DhcpOption.RELAY_AGENT, agent).build();
        Reply offer = only(send(r, discover));
        assertThat(Ip4.format(offer.message().yiaddr())).isEqualTo("10.50.1.10");
        assertThat(Ip4.format(offer.message().optionIp(DhcpOption.SUBNET_MASK))).isEqualTo("255.255.0.0");
        assertThat(Ip4.format(offer.message().optionIp(DhcpOption.ROUTER))).isEqualTo("10.50.0.1");
        assertThat(offer.message().giaddr()).isEqualTo(RELAY);
        assertThat(offer.message().option(DhcpOption.RELAY_AGENT)).isEqualTo(agent);
        assertThat(offer.to()).isEqualTo(new InetSocketAddress(Ip4.inet(RELAY), 67));

        DhcpMessage request = msg(MessageType.REQUEST, A).giaddr(RELAY).hops(1).option(DhcpOption.RELAY_AGENT, agent)
                .optionIp(DhcpOption.SERVER_ID, SERVER).optionIp(DhcpOption.REQUESTED_IP, offer.message().yiaddr()).build();
        Reply ack = only(send(r, request));
        assertThat(ack.message().messageType()).isEqualTo(MessageType.ACK);
        assertThat(ack.message().option(DhcpOption.RELAY_AGENT)).isEqualTo(agent);
        assertThat(ack.to()).isEqualTo(new InetSocketAddress(Ip4.inet(RELAY), 67));
        ack.after().join();
        assertThat(rig.persistedLeases()).extracting(Lease::ip).containsExactly("10.50.1.10");

        // a client on the boot interface's own subnet still gets the first pool
        assertThat(Ip4.format(only(send(r, discover(B))).message().yiaddr())).isEqualTo("10.99.0.100");
    }

    @Test
    void aRelayOnAnUnknownSubnetIsIgnoredWithAReason() {
        DhcpResponder r = rig.full(ResponderRig.POOL, RELAY_POOL);
        assertThat(send(r, msg(MessageType.DISCOVER, A).giaddr(ip("172.16.0.1")).hops(1).build())).isEmpty();
        assertThat(rig.events(EventType.DHCP_IGNORED, A)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("172.16.0.1").contains("--relay-pool"));
    }

    // ------------------------------------------------------------------------------------------------ persistence

    @Test
    void leasesAreReloadedFromTheDatabaseFile() {
        DhcpResponder r = rig.full();
        dora(r, B); // .100
        Reply a = dora(r, A);
        assertThat(Ip4.format(a.message().yiaddr())).isEqualTo("10.99.0.101");

        rig.reopen(); // a new Database over the same file, a new journal, a new responder
        assertThat(new LeaseStore(rig.db).all()).extracting(Lease::ip).containsExactlyInAnyOrder("10.99.0.100", "10.99.0.101");
        DhcpResponder again = rig.full();
        assertThat(Ip4.format(only(send(again, discover(A))).message().yiaddr())).isEqualTo("10.99.0.101");
        assertThat(Ip4.format(only(send(again, discover(B))).message().yiaddr())).isEqualTo("10.99.0.100");
        assertThat(Ip4.format(only(send(again, discover(C))).message().yiaddr())).isEqualTo("10.99.0.102");
    }

    @Test
    void theAckIsReleasedOnlyOnceItsLeaseIsCommitted() throws Exception {
        DhcpResponder r = rig.full();
        Reply offer = only(send(r, discover(A)));
        rig.journal.flush().join();

        AutoCloseable writerHeld = rig.core.holdWriter(); // the journal cannot commit
        try {
            Reply ack = only(send(r, select(A, offer.message().yiaddr())));
            assertThat(ack.message().messageType()).isEqualTo(MessageType.ACK);
            Thread.sleep(300);
            assertThat(ack.after()).as("lease not yet on disk").isNotDone();
            assertThat(new LeaseStore(rig.db).all()).isEmpty();
            writerHeld.close();
            ack.after().get(10, TimeUnit.SECONDS);
            assertThat(new LeaseStore(rig.db).all()).extracting(Lease::ip, Lease::mac)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("10.99.0.100", A));
        } finally {
            writerHeld.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ filters

    @Test
    void repliesFromOtherServersAndNonEthernetRequestsAreNotAnswered() {
        DhcpResponder r = rig.full();
        assertThat(send(r, Golden.message("os-udhcpc/offer"))).as("a BOOTREPLY heard on port 67").isEmpty();
        assertThat(send(r, msg(MessageType.DISCOVER, A).htype(6).build())).isEmpty();
        assertThat(send(r, msg(MessageType.DISCOVER, A).hlen(8).build())).isEmpty();
        DhcpMessage bootp = DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).chaddr(A.bytes()).build();
        assertThat(send(r, bootp)).isEmpty();
        assertThat(rig.events(EventType.DHCP_IGNORED, A)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("BOOTP"));
    }
}
