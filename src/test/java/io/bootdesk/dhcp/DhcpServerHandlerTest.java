package io.bootdesk.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DhcpServer's channel handler in an EmbeddedChannel: bytes in, datagrams out, through the real responder. */
class DhcpServerHandlerTest {

    static final InetSocketAddress LOCAL_67 = new InetSocketAddress(Ip4.inet(0), 67);
    static final InetSocketAddress LOCAL_4011 = new InetSocketAddress(Ip4.inet(ResponderRig.SERVER), 4011);
    static final InetSocketAddress BROADCAST_68 = new InetSocketAddress(Ip4.inet(0xFFFFFFFF), 68);

    @TempDir
    Path dir;
    ResponderRig rig;
    DhcpServer server;
    ServerLog log;

    @BeforeEach
    void open() {
        rig = new ResponderRig(dir);
        log = new ServerLog();
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        log.close();
        rig.close();
    }

    EmbeddedChannel channel(DhcpResponder responder, boolean full, int port) {
        server = new DhcpServer(full ? ResponderRig.fullConfig(ResponderRig.POOL) : ResponderRig.proxyConfig(), responder);
        return new EmbeddedChannel(server.new Handler(port));
    }

    static DatagramPacket datagram(byte[] b, InetSocketAddress from, InetSocketAddress to) {
        return new DatagramPacket(Unpooled.wrappedBuffer(b), to, from);
    }

    static List<DatagramPacket> sent(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<DatagramPacket> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add((DatagramPacket) o);
        }
        return out;
    }

    static DhcpMessage decode(DatagramPacket p) {
        ByteBuf content = p.content();
        try {
            return DhcpCodec.decode(content);
        } catch (DhcpDecodeException e) {
            throw new AssertionError(e);
        } finally {
            p.release();
        }
    }

    @Test
    void aCapturedDiscoverIsAnsweredOnTheWire() {
        EmbeddedChannel ch = channel(rig.full(), true, 67);
        ch.writeInbound(datagram(Golden.bytes("efi-pxe/discover"), ResponderRig.unconfiguredClient(), LOCAL_67));
        List<DatagramPacket> out = sent(ch);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).recipient()).isEqualTo(BROADCAST_68);
        DhcpMessage offer = decode(out.get(0));
        assertThat(offer.messageType()).isEqualTo(MessageType.OFFER);
        assertThat(offer.xid()).isEqualTo(Golden.message("efi-pxe/discover").xid());
        assertThat(offer.fileName()).isEqualTo("snponly.efi");
        ch.checkException();
        assertThat(log.failures()).isEmpty();
    }

    @Test
    void theBootServerAnswersFromItsPortToTheSender() {
        EmbeddedChannel ch = channel(rig.proxy(), false, 4011);
        InetSocketAddress ovmf = new InetSocketAddress(Ip4.inet(Ip4.parse("10.99.0.161")), 4011);
        ch.writeInbound(datagram(Golden.bytes("efi-pxe-proxy/pxe-request"), ovmf, LOCAL_4011));
        List<DatagramPacket> out = sent(ch);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).recipient()).isEqualTo(ovmf);
        assertThat(DhcpCodec.encode(decode(out.get(0)))).isEqualTo(Golden.answerWithTerminatedBootfile("efi-pxe-proxy/pxe-ack"));
    }

    @Test
    void aMalformedDatagramIsDroppedAndLoggedOncePerSender() {
        EmbeddedChannel ch = channel(rig.full(), true, 67);
        InetSocketAddress from = new InetSocketAddress(Ip4.inet(Ip4.parse("10.99.0.77")), 68);
        byte[] truncated = java.util.Arrays.copyOf(Golden.bytes("bios-ipxe/discover"), 300); // cuts option 55
        ch.writeInbound(datagram(truncated, from, LOCAL_67));
        ch.writeInbound(datagram(new byte[] {1, 2, 3}, from, LOCAL_67));
        assertThat(sent(ch)).isEmpty();
        ch.checkException();
        assertThat(log.messages()).singleElement()
                .satisfies(m -> assertThat(m).contains("malformed DHCP datagram from").contains("option 55"));
        assertThat(log.failures()).isEmpty();
        // the handler still answers
        ch.writeInbound(datagram(Golden.bytes("bios-ipxe/discover"), ResponderRig.unconfiguredClient(), LOCAL_67));
        assertThat(sent(ch)).hasSize(1);
    }

    @Test
    void theAckLeavesOnlyAfterItsLeaseIsCommitted() throws Exception {
        EmbeddedChannel ch = channel(rig.full(), true, 67);
        ch.writeInbound(datagram(Golden.bytes("efi-pxe/discover"), ResponderRig.unconfiguredClient(), LOCAL_67));
        assertThat(sent(ch)).hasSize(1).allSatisfy(p -> p.release());
        rig.journal.flush().join();

        try (AutoCloseable writerHeld = rig.core.holdWriter()) {
            ch.writeInbound(datagram(Golden.bytes("efi-pxe/request"), ResponderRig.unconfiguredClient(), LOCAL_67));
            Thread.sleep(300);
            assertThat(sent(ch)).as("nothing sent while the lease is not on disk").isEmpty();
        }
        rig.journal.flush().get(10, TimeUnit.SECONDS); // the ACK is written when its lease commits, before this
        List<DatagramPacket> out = sent(ch);
        assertThat(out).hasSize(1);
        DhcpMessage ack = decode(out.get(0));
        assertThat(ack.messageType()).isEqualTo(MessageType.ACK);
        assertThat(Ip4.format(ack.yiaddr())).isEqualTo("10.99.0.106");
        assertThat(rig.persistedLeases()).extracting(io.bootdesk.model.Lease::ip).containsExactly("10.99.0.106");
    }
}
