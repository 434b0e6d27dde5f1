package io.bootdesk.tftp;

import io.bootdesk.tftp.TftpPacket.Ack;
import io.bootdesk.tftp.TftpPacket.Data;
import io.bootdesk.tftp.TftpPacket.ErrorPacket;
import io.bootdesk.tftp.TftpPacket.OptionAck;
import io.bootdesk.tftp.TftpPacket.ReadRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A minimal TFTP read client for the server tests, on 127.0.0.1: RFC 1350 lock-step, RFC 2347 OACK, RFC 7440
 * windows (ACK after windowsize blocks; ACK of the last in-order block on a gap), block-number wrap to 0. It can
 * lose chosen ACKs or DATA blocks once, to drive the server's recovery paths.
 */
final class TestClient implements AutoCloseable {
    final DatagramSocket socket;
    final InetSocketAddress server;
    /** ACKs (absolute block numbers) not sent, once each. */
    final Set<Long> loseAcks = new HashSet<>();
    /** DATA blocks (absolute numbers) treated as lost, once each. */
    final Set<Long> loseData = new HashSet<>();
    int maxPacket = 65_535 + 4;

    TestClient(int serverPort) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(3000);
        server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
    }

    /** What a download ended with. */
    static final class Result {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OptionAck oack;
        ErrorPacket error;
        InetSocketAddress tid;
        long blocks;
        long duplicates;
        long acksSent;
        boolean complete;
        String failure;

        byte[] data() {
            return bytes.toByteArray();
        }
    }

    void send(TftpPacket p, InetSocketAddress to) throws IOException {
        sendRaw(TftpCodec.encode(p), to);
    }

    void sendRaw(byte[] b, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(b, b.length, to));
    }

    /** The next packet and who sent it, or null on timeout. */
    Received receive(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buf = new byte[maxPacket];
        DatagramPacket dp = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(dp);
        } catch (SocketTimeoutException e) {
            return null;
        }
        byte[] b = java.util.Arrays.copyOf(dp.getData(), dp.getLength());
        try {
            return new Received(TftpCodec.decode(b), (InetSocketAddress) dp.getSocketAddress());
        } catch (TftpDecodeException e) {
            throw new IOException("server sent a malformed packet: " + e.getMessage());
        }
    }

    record Received(TftpPacket packet, InetSocketAddress from) {
    }

    Result download(String name, String mode, Map<String, String> options) throws IOException {
        Result r = new Result();
        send(new ReadRequest(name, mode, options), server);
        Received first = receive(3000);
        if (first == null) {
            r.failure = "no answer to the request";
            return r;
        }
        r.tid = first.from();
        int blksize = 512;
        int window = 1;
        TftpPacket p = first.packet();
        if (p instanceof ErrorPacket e) {
            r.error = e;
            return r;
        }
        if (p instanceof OptionAck o) {
            r.oack = o;
            blksize = o.option("blksize").map(Integer::parseInt).orElse(512);
            window = o.option("windowsize").map(Integer::parseInt).orElse(1);
            ack(r, 0);
            p = null;
        }
        long expected = 1;
        int inWindow = 0;
        int idle = 0;
        long gapAcked = -1;
        while (true) {
            if (p == null) {
                Received next = receive(1500);
                if (next == null) {
                    if (++idle > 6) {
                        r.failure = "server went silent waiting for block " + expected;
                        return r;
                    }
                    ack(r, expected - 1); // RFC 7440 receiver timeout: ACK the last block in order
                    inWindow = 0;
                    continue;
                }
                if (!next.from().equals(r.tid)) {
                    r.failure = "packet from " + next.from() + ", not the transfer's " + r.tid;
                    return r;
                }
                p = next.packet();
            }
            idle = 0;
            TftpPacket current = p;
            p = null;
            if (current instanceof ErrorPacket e) {
                r.error = e;
                return r;
            }
            if (!(current instanceof Data d)) {
                continue; // e.g. a repeated OACK: our ACK 0 will follow from the timeout path if needed
            }
            if (d.block() != (int) (expected & 0xffff)) {
                r.duplicates++;
                if (window == 1 || gapAcked != expected) {
                    ack(r, expected - 1); // a gap or a repeat: ACK the last block in order (once per gap in a window)
                    gapAcked = expected;
                    inWindow = 0;
                }
                continue;
            }
            if (loseData.remove(expected)) {
                continue; // pretend this block never arrived
            }
            r.bytes.write(d.data(), 0, d.length());
            r.blocks++;
            inWindow++;
            boolean last = d.length() < blksize;
            if (last || inWindow == window) {
                ack(r, expected);
                inWindow = 0;
            }
            expected++;
            if (last) {
                r.complete = true;
                return r;
            }
        }
    }

    private void ack(Result r, long abs) throws IOException {
        if (loseAcks.remove(abs)) {
            return;
        }
        send(new Ack((int) (abs & 0xffff)), r.tid);
        r.acksSent++;
    }

    @Override
    public void close() {
        socket.close();
    }
}
