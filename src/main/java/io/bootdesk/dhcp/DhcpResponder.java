package io.bootdesk.dhcp;

import io.bootdesk.model.DhcpMode;
import io.bootdesk.core.BootPlan;
import io.bootdesk.core.BootPlanner;
import io.bootdesk.core.BootRequest;
import io.bootdesk.core.BootTracker;
import io.bootdesk.core.EventLog;
import io.bootdesk.core.Journal;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.EventType;
import io.bootdesk.model.Firmware;
import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The DHCP server's logic without sockets: one request in, replies out, one event per exchange. Runs on a single
 * thread (the DHCP channel's event loop). The pipeline per request is receive -> filter -> classify -> ask the
 * planner -> record the event -> reply, and every step that drops a request says why.
 */
public final class DhcpResponder {

    static final int CLIENT_PORT = 68;
    private static final int BROADCAST = 0xFFFFFFFF;
    private static final long IGNORE_LOG_INTERVAL_MS = 60_000;
    /** At most this many "ignored" events per second are journaled in all; the rest are counted. */
    private static final int IGNORE_EVENTS_PER_SECOND = 20;

    private final DhcpConfig config;
    private final BootPlanner planner;
    private final EventLog events;
    private final Journal journal;
    private final BootTracker tracker;
    private final Leases leases;
    private final Map<MacAddress, Long> lastIgnored = new HashMap<>();
    private long ignoreSecond;
    private int ignoreEventsThisSecond;
    private long ignoredUnjournaled;

    public DhcpResponder(DhcpConfig config, BootPlanner planner, EventLog events, Journal journal, BootTracker tracker,
                         List<Lease> persisted) {
        this.config = config;
        this.planner = planner;
        this.events = events;
        this.journal = journal;
        this.tracker = tracker;
        this.leases = new Leases(config.pools(), config.leaseSeconds());
        persisted.forEach(leases::load);
    }

    public Leases leases() {
        return leases;
    }

    /** Handles one datagram that arrived on {@code localPort} from {@code from}. */
    public List<Reply> handle(DhcpMessage req, InetSocketAddress from, int localPort) {
        if (req.op() != DhcpMessage.BOOTREQUEST) {
            return List.of(); // a reply from another server, seen because we listen on 67: not ours to answer
        }
        if (req.htype() != 1 || req.hlen() != 6) {
            return ignore(null, "hardware type " + req.htype() + "/length " + req.hlen() + " is not Ethernet");
        }
        ClientInfo c = ClientInfo.of(req);
        if (c.type() == null) {
            return ignore(c.mac(), "BOOTP request without a DHCP message type: BootDesk serves DHCP only");
        }
        if (localPort == config.pxePort()) {
            return pxeBootServer(req, c, from);
        }
        return config.mode() == DhcpMode.FULL ? full(req, c) : proxy(req, c);
    }

    // ---------------------------------------------------------------- full mode

    private List<Reply> full(DhcpMessage req, ClientInfo c) {
        Pool pool = leases.poolFor(req.giaddr());
        if (pool == null) {
            return ignore(c.mac(), "relayed by " + Ip4.format(req.giaddr()) + ", which is on no configured subnet"
                    + " (add --relay-pool for it)");
        }
        long now = System.currentTimeMillis();
        return switch (c.type()) {
            case DISCOVER -> discover(req, c, pool, now);
            case REQUEST -> request(req, c, pool, now);
            case RELEASE -> release(req, c);
            case DECLINE -> decline(req, c, now);
            case INFORM -> inform(req, c);
            default -> ignore(c.mac(), c.type() + " is a server message");
        };
    }

    /** For the machine table: whether an iPXE has HTTPS (option 175 feature 0x14); null for other clients. */
    static Boolean ipxeHttps(ClientInfo c) {
        return c.ipxe() ? c.ipxeHttps() : null;
    }

    private List<Reply> discover(DhcpMessage req, ClientInfo c, Pool pool, long now) {
        int ip = leases.offer(pool, c.mac(), req.optionIp(DhcpOption.REQUESTED_IP), now);
        if (ip == 0) {
            return ignore(c.mac(), "no free address in pool " + pool);
        }
        BootPlan plan = planner.plan(c.request(BootRequest.Step.DHCP, req.xid()));
        DhcpMessage.Builder r = reply(req, MessageType.OFFER).yiaddr(ip);
        addressOptions(r, pool, true);
        bootOptions(r, req, c, plan, false);
        events.inventory().observeDhcp(c.mac(), Ip4.format(ip), c.vendorClass(), c.arch(), c.kind(), c.uuid(), ipxeHttps(c));
        record(c, Ip4.format(ip), EventType.DHCP_OFFER, "DISCOVER from " + c.describe() + relayed(req) + ": offered "
                + Ip4.format(ip) + "; " + plan.why());
        return List.of(new Reply(r.build(), destination(req, r), config.port()));
    }

    private List<Reply> request(DhcpMessage req, ClientInfo c, Pool pool, long now) {
        int serverId = req.optionIp(DhcpOption.SERVER_ID);
        if (serverId != 0 && serverId != config.serverIp()) {
            leases.withdrawOffer(c.mac());
            return ignore(c.mac(), "REQUEST is for the DHCP server " + Ip4.format(serverId) + ", not this one");
        }
        int requested = req.optionIp(DhcpOption.REQUESTED_IP);
        int ip = requested != 0 ? requested : req.ciaddr();
        if (ip == 0) {
            return ignore(c.mac(), "REQUEST names no address (neither option 50 nor ciaddr)");
        }
        String refusal = leases.refusal(pool, c.mac(), ip, now);
        if (refusal != null) {
            DhcpMessage.Builder nak = reply(req, MessageType.NAK);
            nak.option(DhcpOption.MESSAGE, refusal);
            if (req.giaddr() != 0) {
                // RFC 2131 4.3.2: the client may have no usable address, so the relay must broadcast the NAK
                nak.flags(req.flags() | DhcpMessage.FLAG_BROADCAST);
            }
            record(c, Ip4.format(ip), EventType.DHCP_NAK, "REQUEST for " + Ip4.format(ip) + " refused: " + refusal);
            // RFC 2131 4.3.2: a NAK goes to the relay, else broadcast
            InetSocketAddress to = req.giaddr() != 0 ? new InetSocketAddress(Ip4.inet(req.giaddr()), config.port())
                    : new InetSocketAddress(Ip4.inet(BROADCAST), CLIENT_PORT);
            return List.of(new Reply(nak.build(), to, config.port()));
        }
        Lease lease = leases.bind(c.mac(), ip, now);
        BootPlan plan = planner.plan(c.request(BootRequest.Step.DHCP, req.xid()));
        DhcpMessage.Builder r = reply(req, MessageType.ACK).yiaddr(ip);
        addressOptions(r, pool, true);
        bootOptions(r, req, c, plan, false);
        CompletableFuture<Void> durable = journal.lease(lease);
        events.inventory().observeDhcp(c.mac(), Ip4.format(ip), c.vendorClass(), c.arch(), c.kind(), c.uuid(), ipxeHttps(c));
        record(c, Ip4.format(ip), EventType.DHCP_ACK, "REQUEST from " + c.describe() + relayed(req) + ": "
                + Ip4.format(ip) + " leased for " + config.leaseSeconds() + " s; " + plan.why());
        expectDirectImage(c, plan, Ip4.format(ip));
        return List.of(new Reply(r.build(), destination(req, r), config.port(), durable));
    }

    private List<Reply> release(DhcpMessage req, ClientInfo c) {
        int ip = req.ciaddr();
        if (leases.release(c.mac(), ip)) {
            journal.release(Ip4.format(ip));
            record(c, Ip4.format(ip), EventType.DHCP_RELEASE, "released " + Ip4.format(ip));
        }
        return List.of();
    }

    private List<Reply> decline(DhcpMessage req, ClientInfo c, long now) {
        int ip = req.optionIp(DhcpOption.REQUESTED_IP);
        if (ip == 0) {
            return ignore(c.mac(), "DECLINE names no address");
        }
        journal.lease(leases.decline(ip, now));
        record(c, Ip4.format(ip), EventType.DHCP_DECLINE, Ip4.format(ip)
                + " declined (another host answers on it): quarantined for " + Leases.QUARANTINE_MS / 60_000 + " min");
        return List.of();
    }

    private List<Reply> inform(DhcpMessage req, ClientInfo c) {
        Pool pool = leases.poolFor(req.giaddr());
        DhcpMessage.Builder r = reply(req, MessageType.ACK);
        addressOptions(r, pool, false);
        BootPlan plan = planner.plan(c.request(BootRequest.Step.DHCP, req.xid()));
        bootOptions(r, req, c, plan, false);
        record(c, Ip4.format(req.ciaddr()), EventType.DHCP_INFORM, "INFORM from " + Ip4.format(req.ciaddr()) + "; " + plan.why());
        return List.of(new Reply(r.build(), destination(req, r), config.port()));
    }

    // ---------------------------------------------------------------- proxy mode

    private List<Reply> proxy(DhcpMessage req, ClientInfo c) {
        if (c.type() != MessageType.DISCOVER) {
            return List.of(); // REQUEST/RELEASE/... belong to the network's own DHCP server
        }
        if (c.kind() == ClientKind.OTHER) {
            return ignore(c.mac(), "proxy mode answers network-boot clients only; " + c.describe() + " is not one");
        }
        BootPlan plan = planner.plan(c.request(BootRequest.Step.PROXY_DHCP, req.xid()));
        if (plan instanceof BootPlan.Nothing n) {
            return ignore(c.mac(), n.why());
        }
        DhcpMessage.Builder r = reply(req, MessageType.OFFER);
        echoUuid(r, req);
        bootOptions(r, req, c, plan, true);
        events.inventory().observeDhcp(c.mac(), null, c.vendorClass(), c.arch(), c.kind(), c.uuid(), ipxeHttps(c));
        boolean binl = isUefiPxe(c);
        record(c, null, EventType.PROXY_OFFER, "DISCOVER from " + c.describe() + ": proxy offer"
                + (binl ? " (UEFI PXE asks port " + config.pxePort() + " next)" : "") + "; " + plan.why());
        if (!binl) {
            expectDirectImage(c, plan, null);
        }
        return List.of(new Reply(r.build(), destination(req, r), config.port()));
    }

    /** Port 4011: the PXE boot server request of UEFI (and some BIOS) PXE clients, in both modes. */
    private List<Reply> pxeBootServer(DhcpMessage req, ClientInfo c, InetSocketAddress from) {
        if (c.type() != MessageType.REQUEST && c.type() != MessageType.DISCOVER && c.type() != MessageType.INFORM) {
            return ignore(c.mac(), c.type() + " on port " + config.pxePort() + " is not a boot server request");
        }
        if (c.kind() == ClientKind.OTHER) {
            return ignore(c.mac(), "request on port " + config.pxePort() + " from a client that is not PXE");
        }
        BootPlan plan = planner.plan(c.request(BootRequest.Step.PROXY_DHCP, req.xid()));
        if (plan instanceof BootPlan.Nothing n) {
            return ignore(c.mac(), n.why());
        }
        DhcpMessage.Builder r = reply(req, MessageType.ACK).ciaddr(req.ciaddr());
        echoUuid(r, req);
        bootOptions(r, req, c, plan, false);
        String ip = req.ciaddr() != 0 ? Ip4.format(req.ciaddr()) : from.getAddress().getHostAddress();
        events.inventory().observeDhcp(c.mac(), ip, c.vendorClass(), c.arch(), c.kind(), c.uuid(), ipxeHttps(c));
        record(c, ip, EventType.PROXY_ACK, "boot server request (port " + config.pxePort() + ") from " + c.describe()
                + "; " + plan.why());
        expectDirectImage(c, plan, ip);
        return List.of(new Reply(r.build(), from, config.pxePort()));
    }

    // ---------------------------------------------------------------- building replies

    private DhcpMessage.Builder reply(DhcpMessage req, MessageType type) {
        DhcpMessage.Builder r = DhcpMessage.builder()
                .op(DhcpMessage.BOOTREPLY).htype(req.htype()).hlen(req.hlen()).xid(req.xid())
                .flags(req.flags()).giaddr(req.giaddr()).chaddr(req.chaddr())
                .messageType(type)
                .optionIp(DhcpOption.SERVER_ID, config.serverIp());
        if (type == MessageType.ACK && req.messageType() == MessageType.INFORM) {
            r.ciaddr(req.ciaddr());
        }
        if (req.has(DhcpOption.RELAY_AGENT)) {
            r.option(DhcpOption.RELAY_AGENT, req.option(DhcpOption.RELAY_AGENT)); // RFC 3046: echo unchanged
        }
        return r;
    }

    private void addressOptions(DhcpMessage.Builder r, Pool pool, boolean lease) {
        if (lease) {
            long t = config.leaseSeconds();
            r.optionInt(DhcpOption.LEASE_TIME, (int) t);
            r.optionInt(DhcpOption.RENEWAL_TIME, (int) (t / 2));
            r.optionInt(DhcpOption.REBINDING_TIME, (int) (t * 7 / 8));
        }
        if (pool != null) {
            r.optionIp(DhcpOption.SUBNET_MASK, pool.mask());
            if (pool.router() != 0) {
                r.optionIp(DhcpOption.ROUTER, pool.router());
            }
        }
        if (!config.dns().isEmpty()) {
            byte[] d = new byte[4 * config.dns().size()];
            for (int i = 0; i < config.dns().size(); i++) {
                System.arraycopy(Ip4.toBytes(config.dns().get(i)), 0, d, 4 * i, 4);
            }
            r.option(DhcpOption.DNS, d);
        }
    }

    /** Puts the plan into the reply in the form this kind of client reads. */
    private void bootOptions(DhcpMessage.Builder r, DhcpMessage req, ClientInfo c, BootPlan plan, boolean proxy) {
        switch (plan) {
            case BootPlan.TftpLoader t -> {
                r.siaddr(config.serverIp());
                r.sname(Ip4.format(config.serverIp()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                r.fileName(t.file());
                r.option(DhcpOption.TFTP_SERVER, Ip4.format(config.serverIp()));
                r.option(DhcpOption.BOOTFILE, bootfile(t.file()));
                pxeVendorOptions(r, c, proxy);
                // Sent unasked: edk2's PXE never asks for 175, but the iPXE it starts reads it from the cached answer.
                ipxeOptions(r, t.trust(), false);
            }
            case BootPlan.HttpEfi h -> {
                r.option(DhcpOption.VENDOR_CLASS, "HTTPClient"); // edk2 ignores an HTTP offer without it
                r.fileName(h.url());
                r.option(DhcpOption.BOOTFILE, bootfile(h.url()));
            }
            case BootPlan.ScriptUrl s -> {
                r.siaddr(config.serverIp());
                r.fileName(s.url());
                r.option(DhcpOption.BOOTFILE, bootfile(s.url()));
                if (proxy) {
                    pxeVendorOptions(r, c, true);
                }
                // 175.176 no-pxedhcp in full mode: this is the authoritative answer, do not wait 2 s for proxyDHCP
                ipxeOptions(r, s.trust(), !proxy);
            }
            case BootPlan.Nothing n -> {
                // an address only (full mode)
            }
            case BootPlan.Script s -> throw new IllegalStateException("a script is not a DHCP answer");
            case BootPlan.Wait w -> throw new IllegalStateException("a wait is not a DHCP answer");
            case BootPlan.Refused f -> throw new IllegalStateException("a refusal is not a DHCP answer");
        }
    }

    /**
     * Option 67 with a terminating NUL, as dnsmasq sends it: edk2's PXE client writes a NUL after option 67 inside
     * the packet it caches (PxeBcParseDhcp4Packet), and without one of ours that NUL lands on the next option's tag
     * and the iPXE it starts never sees that option (175.90: no trust).
     */
    static byte[] bootfile(String name) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return java.util.Arrays.copyOf(b, b.length + 1);
    }

    /** Option 175 for iPXE: no-pxedhcp, and BootDesk's trust (CA fingerprint 175.90, crosscert URL 175.93). */
    private void ipxeOptions(DhcpMessage.Builder r, boolean trust, boolean noPxeDhcp) {
        Map<Integer, byte[]> subs = new java.util.LinkedHashMap<>();
        if (noPxeDhcp) {
            subs.put(DhcpOption.IPXE_NO_PXEDHCP, new byte[] {1});
        }
        if (trust && config.trust() != null) {
            subs.put(DhcpOption.IPXE_TRUST, config.trust().caFingerprint());
            subs.put(DhcpOption.IPXE_CROSSCERT, config.trust().crosscertUrl().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (!subs.isEmpty()) {
            r.option(DhcpOption.IPXE, DhcpCodec.encodeSubOptions(subs));
        }
    }

    /**
     * Option 60 PXEClient (when the client sent it) and option 43 with discovery control 8 ("boot the file named
     * here, skip boot server discovery"). A UEFI PXE client's proxy offer carries no option 43, so edk2 treats it
     * as a BINL offer and asks port 4011, which it reliably does (pixiecore's finding).
     */
    private void pxeVendorOptions(DhcpMessage.Builder r, ClientInfo c, boolean proxy) {
        boolean pxeClient = c.vendorClass() != null && c.vendorClass().startsWith("PXEClient");
        if (!pxeClient && !proxy) {
            return;
        }
        r.option(DhcpOption.VENDOR_CLASS, "PXEClient");
        if (!(proxy && isUefiPxe(c))) {
            r.option(DhcpOption.VENDOR_SPECIFIC, new byte[] {(byte) DhcpOption.PXE_DISCOVERY_CONTROL, 1, 8, (byte) 0xff});
        }
    }

    private static boolean isUefiPxe(ClientInfo c) {
        return c.kind() == ClientKind.PXE && c.arch().firmware() == Firmware.UEFI;
    }

    private static void echoUuid(DhcpMessage.Builder r, DhcpMessage req) {
        byte[] uuid = req.option(DhcpOption.CLIENT_UUID);
        if (uuid != null) {
            r.option(DhcpOption.CLIENT_UUID, uuid);
        }
    }

    /**
     * RFC 2131 §4.1: via the relay when relayed; to ciaddr when the client has an address; otherwise broadcast
     * (unicast to yiaddr would need an ARP entry the client cannot answer yet).
     */
    private InetSocketAddress destination(DhcpMessage req, DhcpMessage.Builder r) {
        if (req.giaddr() != 0) {
            return new InetSocketAddress(Ip4.inet(req.giaddr()), config.port());
        }
        if (req.ciaddr() != 0) {
            return new InetSocketAddress(Ip4.inet(req.ciaddr()), CLIENT_PORT);
        }
        return new InetSocketAddress(Ip4.inet(BROADCAST), CLIENT_PORT);
    }

    private void expectDirectImage(ClientInfo c, BootPlan plan, String ip) {
        if (plan instanceof BootPlan.HttpEfi h && h.image() != null) {
            tracker.expect(c.mac(), h.image(), ip);
        }
    }

    private static String relayed(DhcpMessage req) {
        return req.giaddr() == 0 ? "" : " via relay " + Ip4.format(req.giaddr());
    }

    private void record(ClientInfo c, String ip, EventType type, String message) {
        events.record(BootEvent.of(c.mac(), ip, type, message));
    }

    /**
     * Drops the request; journals why, at most once a minute per machine and {@value #IGNORE_EVENTS_PER_SECOND} times
     * a second in all (a storm of foreign requests must not flood the journal); the rest are counted and the count
     * is told with the next event.
     */
    private List<Reply> ignore(MacAddress mac, String why) {
        long now = System.currentTimeMillis();
        Long last = mac == null ? null : lastIgnored.get(mac);
        if (last != null && now - last < IGNORE_LOG_INTERVAL_MS) {
            return new ArrayList<>(0);
        }
        if (now / 1000 != ignoreSecond) {
            ignoreSecond = now / 1000;
            ignoreEventsThisSecond = 0;
        }
        if (ignoreEventsThisSecond >= IGNORE_EVENTS_PER_SECOND) {
            ignoredUnjournaled++;
            return new ArrayList<>(0);
        }
        ignoreEventsThisSecond++;
        if (mac != null) {
            if (lastIgnored.size() > 10_000) {
                lastIgnored.clear();
            }
            lastIgnored.put(mac, now);
        }
        String more = ignoredUnjournaled == 0 ? "" : " (" + ignoredUnjournaled + " more ignored requests were not journaled)";
        ignoredUnjournaled = 0;
        events.record(BootEvent.of(mac, null, EventType.DHCP_IGNORED, "ignored: " + why + more), null);
        return new ArrayList<>(0);
    }
}
