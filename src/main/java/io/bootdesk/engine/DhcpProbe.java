package io.bootdesk.engine;

import io.bootdesk.dhcp.DhcpCodec;
import io.bootdesk.dhcp.DhcpDecodeException;
import io.bootdesk.dhcp.DhcpMessage;
import io.bootdesk.dhcp.DhcpOption;
import io.bootdesk.dhcp.Ip4;
import io.bootdesk.dhcp.MessageType;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.net.NativeNet;
import io.bootdesk.net.PortBinding;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Asks the boot network whether another DHCP server is on it: one DHCPDISCOVER broadcast from the chosen interface
 * (and only that interface: the socket is bound to it), then listens a short while for offers. Nothing else is sent;
 * an offer that is not taken up simply lapses at the server. Used by the set-up, only after the operator confirmed.
 */
public final class DhcpProbe {
    public static final int SERVER_PORT = 67;
    public static final int CLIENT_PORT = 68;

    private DhcpProbe() {
    }

    /**
     * Where to probe.
     *
     * @param mac        the chaddr to send (the interface's own MAC)
     * @param serverPort 67 on a real network; tests use an unprivileged port
     * @param clientPort 68 on a real network (servers answer there)
     */
    public record Target(String interfaceName, byte[] mac, int serverPort, int clientPort) {
        public static Target of(String interfaceName, byte[] mac) {
            return new Target(interfaceName, mac, SERVER_PORT, CLIENT_PORT);
        }
    }

    /**
     * One answer.
     *
     * @param server     the server identifier (option 54), or the sender's address
     * @param offeredIp  the address offered, or null (a proxyDHCP offer: boot information only)
     * @param bootInfo   what boot information it gave ("" when none): boot file, next server, PXEClient
     */
    public record Offer(String server, String from, String offeredIp, String bootInfo) {
        public boolean proxyOnly() {
            return offeredIp == null;
        }
    }

    /**
     * What the probe found.
     *
     * @param problem why the probe could not run (with the fix), or "" when it ran
     */
    public record Result(String interfaceName, Duration waited, List<Offer> offers, String problem) {

        public boolean ran() {
            return problem.isEmpty();
        }

        /** Another server hands out addresses: BootDesk must not (proxy mode). */
        public boolean addressServerSeen() {
            return offers.stream().anyMatch(o -> !o.proxyOnly());
        }

        /** Proxy when another server hands out addresses or when the probe could not tell; full otherwise. */
        public DhcpMode recommendedMode() {
            return !ran() || addressServerSeen() ? DhcpMode.PROXY : DhcpMode.FULL;
        }

        /** The recommendation and its reason, in a sentence. */
        public String advice() {
            if (!ran()) {
                return "The probe could not run (" + problem + "). Proxy mode is the safe choice: it never hands out"
                        + " addresses, so it cannot disturb a DHCP server that may be on this network.";
            }
            StringBuilder s = new StringBuilder();
            List<Offer> servers = offers.stream().filter(o -> !o.proxyOnly()).toList();
            if (!servers.isEmpty()) {
                Offer o = servers.get(0);
                s.append("Another DHCP server (").append(o.server()).append(") offered ").append(o.offeredIp())
                        .append(" on ").append(interfaceName).append(": use proxy mode, so BootDesk only adds boot"
                                + " information and that server keeps handing out addresses.");
            } else {
                s.append("No DHCP server answered on ").append(interfaceName).append(" within ")
                        .append(waited.toMillis() / 1000.0).append(" s: full mode, BootDesk hands out addresses on"
                                + " this isolated network.");
            }
            offers.stream().filter(o -> !o.bootInfo().isEmpty()).findFirst().ifPresent(o -> s.append(" Note: ")
                    .append(o.server()).append(" already gives boot information (").append(o.bootInfo())
                    .append("); machines may follow its answer instead of BootDesk's."));
            return s.toString();
        }
    }

    /** Sends one DISCOVER from {@code target}'s interface and collects the offers that arrive within {@code wait}. */
    public static Result run(Target target, Duration wait) {
        NativeNet net = NativeNet.get();
        if (!net.available()) {
            return new Result(target.interfaceName(), Duration.ZERO, List.of(), "cannot restrict the probe to "
                    + target.interfaceName() + ": " + net.unavailableReason());
        }
        int xid = ThreadLocalRandom.current().nextInt();
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
             Selector selector = Selector.open()) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            net.bindToDevice(ch, target.interfaceName());
            try {
                ch.bind(new InetSocketAddress(target.clientPort()));
            } catch (IOException e) {
                return new Result(target.interfaceName(), Duration.ZERO, List.of(), PortBinding.explain(
                        "the DHCP client port for the probe", "UDP", "0.0.0.0", target.clientPort(), e).getMessage());
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ch.send(ByteBuffer.wrap(DhcpCodec.encode(discover(target.mac(), xid))),
                    new InetSocketAddress("255.255.255.255", target.serverPort()));
            Map<String, Offer> offers = new LinkedHashMap<>();
            long start = System.nanoTime();
            long deadline = start + wait.toNanos();
            ByteBuffer buf = ByteBuffer.allocate(1500);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                SocketAddress from;
                while ((from = ch.receive(buf.clear())) != null) {
                    byte[] b = new byte[buf.flip().remaining()];
                    buf.get(b);
                    Offer o = offer(b, xid, (InetSocketAddress) from);
                    if (o != null) {
                        offers.putIfAbsent(o.server() + "|" + o.offeredIp(), o);
                    }
                }
            }
            return new Result(target.interfaceName(), wait, List.copyOf(offers.values()), "");
        } catch (IOException e) {
            return new Result(target.interfaceName(), Duration.ZERO, List.of(), "probing " + target.interfaceName()
                    + " failed: " + e.getMessage());
        }
    }

    static DhcpMessage discover(byte[] mac, int xid) {
        return DhcpMessage.builder()
                .op(DhcpMessage.BOOTREQUEST).xid(xid).flags(DhcpMessage.FLAG_BROADCAST).chaddr(mac)
                .messageType(MessageType.DISCOVER)
                .option(DhcpOption.PARAMETER_LIST, new byte[] {1, 3, 6, 15, 28, 51, 54, 60, 66, 67})
                .option(DhcpOption.VENDOR_CLASS, "BootDesk-probe")
                .build();
    }

    /** An OFFER for our DISCOVER, or null for anything else (other clients' traffic, our own broadcast). */
    static Offer offer(byte[] bytes, int xid, InetSocketAddress from) {
        DhcpMessage m;
        try {
            m = DhcpCodec.decode(bytes);
        } catch (DhcpDecodeException e) {
            return null;
        }
        if (m.op() != DhcpMessage.BOOTREPLY || m.xid() != xid || m.messageType() != MessageType.OFFER) {
            return null;
        }
        int sid = m.optionIp(DhcpOption.SERVER_ID);
        String server = sid != 0 ? Ip4.format(sid) : from.getAddress().getHostAddress();
        List<String> boot = new ArrayList<>();
        String file = m.has(DhcpOption.BOOTFILE) ? m.optionString(DhcpOption.BOOTFILE) : m.fileName();
        if (file != null && !file.isEmpty()) {
            boot.add("boot file " + file);
        }
        if (m.siaddr() != 0) {
            boot.add("next server " + Ip4.format(m.siaddr()));
        }
        String vc = m.optionString(DhcpOption.VENDOR_CLASS);
        if (vc != null && vc.startsWith("PXEClient")) {
            boot.add("PXEClient");
        }
        return new Offer(server, from.getAddress().getHostAddress(), m.yiaddr() == 0 ? null : Ip4.format(m.yiaddr()),
                String.join(", ", boot));
    }
}
