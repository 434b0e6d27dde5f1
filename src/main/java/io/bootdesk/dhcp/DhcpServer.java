package io.bootdesk.dhcp;

import io.bootdesk.net.BootInterface;
import io.bootdesk.net.NativeNet;
import io.bootdesk.net.PortBinding;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCP server on Netty UDP: port 67 on the boot interface only (bound to all addresses, so it hears
 * broadcasts, and SO_BINDTODEVICE to the interface, so it hears nothing else) and the PXE boot server port 4011 on
 * the interface's address. Both channels share one event-loop thread, which is the {@link DhcpResponder}'s.
 * Nothing thrown by decoding or answering leaves the handler: a bad datagram is logged and dropped.
 */
public final class DhcpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DhcpServer.class);

    private final DhcpConfig config;
    private final DhcpResponder responder;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private NioDatagramChannel dhcp;
    private NioDatagramChannel pxe;
    private final Map<String, Long> malformedLogged = new HashMap<>();

    public DhcpServer(DhcpConfig config, DhcpResponder responder) {
        this.config = config;
        this.responder = responder;
    }

    /** Binds both ports; fails with a sentence naming the port and the fix. */
    public void start(BootInterface nif) throws IOException {
        try {
            dhcp = open(nif, new InetSocketAddress(config.port()), true, "the DHCP server");
            if (config.pxePort() > 0) {
                pxe = open(nif, new InetSocketAddress(nif.address(), config.pxePort()), false, "the PXE boot server");
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        log.info("DHCP ({} mode) on {} port {}{}", config.mode().name().toLowerCase(java.util.Locale.ROOT), nif.name(),
                config.port(), config.pxePort() > 0 ? " and " + nif.ip() + ":" + config.pxePort() : "");
    }

    private NioDatagramChannel open(BootInterface nif, InetSocketAddress bind, boolean toDevice, String what)
            throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            // 1 MiB: rides out a short stall (a GC, the JIT at start) without queueing seconds of requests whose
            // clients have long given up
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            if (toDevice) {
                restrictToInterface(ch, nif);
            }
            try {
                ch.bind(bind);
            } catch (IOException e) {
                throw PortBinding.explain(what, "UDP", bind.getAddress().getHostAddress(), bind.getPort(), e);
            }
            NioDatagramChannel nc = new NioDatagramChannel(ch);
            int localPort = bind.getPort();
            nc.pipeline().addLast(new Handler(localPort));
            group.register(nc).syncUninterruptibly();
            return nc;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * SO_BINDTODEVICE. Without it (Java 21, not Linux) the socket would hear DHCP on every interface, so BootDesk
     * goes on only if the boot interface is the only one with an IPv4 address.
     */
    private static void restrictToInterface(DatagramChannel ch, BootInterface nif) throws IOException {
        NativeNet net = NativeNet.get();
        if (net.available()) {
            net.bindToDevice(ch, nif.name());
            return;
        }
        List<String> others = nif.otherIpv4Interfaces();
        if (!others.isEmpty()) {
            throw new IOException("refusing to answer DHCP: cannot restrict the DHCP socket to " + nif.name() + " ("
                    + net.unavailableReason() + ") and other interfaces with IPv4 are up (" + String.join(", ", others)
                    + "), which would hear BootDesk's answers too. Run BootDesk on Java 22 or newer on Linux.");
        }
        log.warn("DHCP socket not restricted to {} ({}); {} is the only IPv4 interface, so that is the same",
                nif.name(), net.unavailableReason(), nif.name());
    }

    /** Decodes, answers and sends; package-private so tests can drive it through an EmbeddedChannel. */
    final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final int localPort;

        Handler(int localPort) {
            this.localPort = localPort;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            DhcpMessage msg;
            try {
                msg = DhcpCodec.decode(packet.content());
            } catch (DhcpDecodeException e) {
                malformed(packet.sender(), e.getMessage());
                return;
            }
            List<Reply> replies;
            try {
                replies = responder.handle(msg, packet.sender(), localPort);
            } catch (RuntimeException e) {
                log.warn("DHCP request from {} dropped: {}", packet.sender(), e.toString(), e);
                return;
            }
            for (Reply r : replies) {
                send(r, r.fromPort() == localPort ? ctx.channel() : r.fromPort() == config.pxePort() ? pxe : dhcp);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("DHCP channel error on port {}: {}", localPort, cause.toString());
        }
    }

    /** Sends {@code r} through {@code ch} (the channel bound to {@code r.fromPort()}) once its lease is durable. */
    private void send(Reply r, Channel ch) {
        byte[] bytes = DhcpCodec.encode(r.message());
        r.after().whenComplete((v, err) -> {
            if (err != null) {
                log.error("not answering {}: the lease could not be saved: {}", r.to(), err.getMessage());
                return;
            }
            ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), r.to())).addListener(f -> {
                if (!f.isSuccess()) {
                    log.warn("sending DHCP reply to {} failed: {}", r.to(), f.cause().toString());
                }
            });
        });
    }

    private void malformed(InetSocketAddress from, String why) {
        String key = from.getAddress().getHostAddress();
        long now = System.currentTimeMillis();
        Long last = malformedLogged.get(key);
        if (last == null || now - last > 60_000) {
            if (malformedLogged.size() > 10_000) {
                malformedLogged.clear();
            }
            malformedLogged.put(key, now);
            log.warn("malformed DHCP datagram from {} dropped: {}", from, why);
        }
    }

    @Override
    public void close() {
        if (dhcp != null) {
            dhcp.close().syncUninterruptibly();
        }
        if (pxe != null) {
            pxe.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
