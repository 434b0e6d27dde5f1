package io.bootdesk.net;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends IPv6 router advertisements on the boot interface: every 10 s and in answer to a router solicitation. iPXE
 * waits for IPv6 router discovery to time out (about 13 s) before it continues booting when no router answers;
 * an RA ends that wait. The RA has router lifetime 0 (BootDesk is not a default router) and advertises the
 * interface's own /64 prefixes, if it has any, for address autoconfiguration.
 */
public final class RouterAdvertiser implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RouterAdvertiser.class);
    private static final byte[] ALL_NODES = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final int INTERVAL_MS = 10_000;

    private final NativeNet.Icmp6Socket socket;
    private final byte[] advertisement;
    private final Thread thread;
    private volatile boolean running = true;

    private RouterAdvertiser(NativeNet.Icmp6Socket socket, byte[] advertisement, String ifname) {
        this.socket = socket;
        this.advertisement = advertisement;
        this.thread = Thread.ofPlatform().daemon().name("bootdesk-ra-" + ifname).unstarted(this::run);
    }

    public static RouterAdvertiser start(BootInterface nif) throws IOException {
        NativeNet net = NativeNet.get();
        if (!net.available()) {
            throw new IOException("cannot send router advertisements: " + net.unavailableReason());
        }
        RouterAdvertiser ra = new RouterAdvertiser(net.openIcmp6(nif.name()), advertisement(nif), nif.name());
        ra.thread.start();
        return ra;
    }

    /** The RA message (ICMPv6 type 134), checksum left 0 for the kernel. */
    static byte[] advertisement(BootInterface nif) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(134);
        b.write(0);
        b.write(0);
        b.write(0); // checksum
        b.write(64); // current hop limit
        b.write(0); // flags: no DHCPv6 (M=0, O=0)
        b.write(0);
        b.write(0); // router lifetime 0: not a default router
        b.writeBytes(new byte[8]); // reachable time, retrans timer: unspecified
        b.write(1); // source link-layer address option
        b.write(1);
        b.writeBytes(nif.mac());
        for (Inet6Address p : nif.ipv6Prefixes()) {
            b.write(3); // prefix information
            b.write(4);
            b.write(64);
            b.write(0xC0); // on-link, autonomous
            writeInt(b, 1800); // valid lifetime
            writeInt(b, 900); // preferred lifetime
            writeInt(b, 0);
            b.writeBytes(p.getAddress());
        }
        return b.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream b, int v) {
        b.write(v >>> 24);
        b.write(v >>> 16);
        b.write(v >>> 8);
        b.write(v);
    }

    private void run() {
        byte[] buf = new byte[1500];
        byte[] from = new byte[16];
        long next = 0;
        try {
            while (running) {
                long now = System.currentTimeMillis();
                if (now >= next) {
                    send();
                    next = now + INTERVAL_MS;
                }
                int n = socket.receive(buf, from);
                if (n > 0 && (buf[0] & 0xff) == 133 && running) {
                    send(); // router solicitation: answer at once
                }
            }
        } catch (IOException e) {
            if (running) {
                log.warn("router advertisements stopped: {}", e.getMessage());
            }
        } finally {
            socket.close();
        }
    }

    private void send() {
        try {
            socket.send(advertisement, ALL_NODES);
        } catch (IOException e) {
            log.warn("sending a router advertisement failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
