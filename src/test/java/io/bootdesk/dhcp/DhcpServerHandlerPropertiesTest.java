package io.bootdesk.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Nothing escapes DhcpServer's handler (design.md, "Habits"): after any run of random, mutated and truncated
 * datagrams from any sender, nothing was thrown inside the handler or the responder, and a valid DISCOVER from a
 * real client is still answered. Full mode (addresses, leases, journal) and proxy mode, on ports 67 and 4011.
 */
class DhcpServerHandlerPropertiesTest {

    static final InetSocketAddress BROADCAST_68 = new InetSocketAddress(Ip4.inet(0xFFFFFFFF), 68);
    /** A /16 pool, so that thousands of junk DISCOVERs cannot exhaust it before the valid one. */
    static final Pool BIG = Pool.parseRange("10.99.1.0-10.99.255.254", ResponderRig.SERVER, 16, 0);

    Path dir;
    ResponderRig rig;
    ServerLog log;
    DhcpServer fullServer;
    DhcpServer proxyServer;

    @BeforeProperty
    void open() throws IOException {
        dir = Files.createTempDirectory("bootdesk-dhcp-fuzz");
        rig = new ResponderRig(dir);
        log = new ServerLog();
        fullServer = new DhcpServer(ResponderRig.fullConfig(BIG), rig.full(BIG));
        proxyServer = new DhcpServer(ResponderRig.proxyConfig(), rig.proxy());
    }

    @AfterProperty
    void close() throws IOException {
        fullServer.close();
        proxyServer.close();
        log.close();
        rig.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Property(tries = 150)
    void fullModeSurvivesAnythingAndStillAnswers(@ForAll("junk") List<Tuple.Tuple2<byte[], InetSocketAddress>> junk,
                                                @ForAll int xid) {
        survivesAndAnswers(fullServer, 67, junk, xid, true);
    }

    @Property(tries = 150)
    void proxyModeSurvivesAnythingAndStillAnswers(@ForAll("junk") List<Tuple.Tuple2<byte[], InetSocketAddress>> junk,
                                                 @ForAll int xid) {
        survivesAndAnswers(proxyServer, 67, junk, xid, false);
    }

    @Property(tries = 100)
    void theBootServerPortSurvivesAnything(@ForAll("junk") List<Tuple.Tuple2<byte[], InetSocketAddress>> junk) {
        log.clear();
        EmbeddedChannel ch = new EmbeddedChannel(proxyServer.new Handler(4011));
        for (var d : junk) {
            ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(d.get1()), ResponderRig.unconfiguredClient(), d.get2()));
        }
        drain(ch);
        ch.checkException();
        assertThat(log.failures()).isEmpty();
        InetSocketAddress ovmf = new InetSocketAddress(Ip4.inet(Ip4.parse("10.99.0.161")), 4011);
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(Golden.bytes("efi-pxe-proxy/pxe-request")),
                ResponderRig.unconfiguredClient(), ovmf));
        ch.runPendingTasks();
        DatagramPacket ack = ch.readOutbound();
        assertThat(ack).isNotNull();
        assertThat(ack.recipient()).isEqualTo(ovmf);
        ack.release();
        ch.finishAndReleaseAll();
    }

    void survivesAndAnswers(DhcpServer server, int port, List<Tuple.Tuple2<byte[], InetSocketAddress>> junk, int xid,
                            boolean full) {
        log.clear();
        EmbeddedChannel ch = new EmbeddedChannel(server.new Handler(port));
        for (var d : junk) {
            ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(d.get1()), ResponderRig.unconfiguredClient(), d.get2()));
            if (full) {
                rig.journal.flush().join(); // ACKs are written from the journal thread once their lease commits
            }
        }
        drain(ch);
        ch.checkException();
        assertThat(log.failures()).as("thrown inside the handler").isEmpty();

        DhcpMessage discover = Golden.message("bios-ipxe/discover").toBuilder().xid(xid).build();
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(DhcpCodec.encode(discover)),
                new InetSocketAddress(0), ResponderRig.unconfiguredClient()));
        ch.runPendingTasks();
        DatagramPacket answer = ch.readOutbound();
        assertThat(answer).as("the valid DISCOVER after the junk is answered").isNotNull();
        try {
            DhcpMessage offer = DhcpCodec.decode(answer.content());
            assertThat(offer.messageType()).isEqualTo(MessageType.OFFER);
            assertThat(offer.xid()).isEqualTo(xid);
            assertThat(answer.recipient()).isEqualTo(BROADCAST_68);
            assertThat(offer.fileName()).isEqualTo("http://10.99.0.1/boot/52-54-00-bd-ca-01.ipxe");
        } catch (DhcpDecodeException e) {
            throw new AssertionError(e);
        } finally {
            answer.release();
        }
        assertThat((Object) ch.readOutbound()).isNull();
        ch.finishAndReleaseAll();
    }

    static void drain(EmbeddedChannel ch) {
        ch.runPendingTasks();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ((DatagramPacket) o).release();
        }
    }

    /** 1..8 datagrams: random bytes, or captured packets mutated/truncated, from random senders. */
    @Provide
    Arbitrary<List<Tuple.Tuple2<byte[], InetSocketAddress>>> junk() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<byte[]> payload = Arbitraries.frequencyOf(
                Tuple.of(1, random),
                Tuple.of(4, DhcpCodecPropertiesTest.mutated(Golden.all())),
                Tuple.of(1, Arbitraries.of(Golden.all()).map(Golden::bytes)));
        Arbitrary<InetSocketAddress> sender = Arbitraries.integers().flatMap(ip -> Arbitraries.of(0, 67, 68, 4011, 40000)
                .map(p -> new InetSocketAddress(Ip4.inet(ip), p)));
        return payload.flatMap(p -> sender.map(s -> Tuple.of(p, s))).list().ofMinSize(1).ofMaxSize(8);
    }
}
