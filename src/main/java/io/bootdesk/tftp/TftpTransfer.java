package io.bootdesk.tftp;

import io.bootdesk.core.EventLog;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.tftp.BlockReader.Block;
import io.bootdesk.tftp.BlockReader.Cursor;
import io.bootdesk.tftp.TftpPacket.Ack;
import io.bootdesk.tftp.TftpPacket.Data;
import io.bootdesk.tftp.TftpPacket.ErrorPacket;
import io.bootdesk.tftp.TftpPacket.OptionAck;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read transfer on its own UDP port (its TID), driven by ACKs and a retransmission timer, all on its channel's
 * event loop. Blocks are counted in 64 bits here and wrap to 0 after 65535 on the wire. A window of blocks
 * (RFC 7440) is sent, then the ACK of its last block slides it; the ACK of an earlier block of the window means
 * the client lost the next one, so the window restarts there. A repeated ACK never triggers a retransmission (the
 * Sorcerer's Apprentice bug): only the timer does, a bounded number of times.
 */
final class TftpTransfer extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(TftpTransfer.class);

    private enum State { STARTING, WAITING_FOR_OACK_ACK, SENDING, ENDED }

    /** What the server decided before the transfer's channel existed. */
    record Plan(InetSocketAddress client, TftpPacket.ReadRequest request, FileChannel file, boolean netascii,
                Negotiation options, long defaultTimeoutMillis, int maxRetries, MacAddress mac) {
        String name() {
            return request.filename();
        }
    }

    private final Plan plan;
    private final EventLog events;
    private final RateLimitedLog dropped;
    private final Consumer<TftpTransfer> onEnd;
    private final BlockReader reader;
    private final int blksize;
    private final long timeoutMillis;
    private final byte[] buffer;
    /** starts.get(i) is where block lastAcked + 1 + i starts; starts.get(0) always exists. */
    private final List<Cursor> starts = new ArrayList<>();

    private Channel channel;
    private State state = State.STARTING;
    private long lastAcked;
    private long lastSent;
    private long finalBlock = -1;
    private int finalLength;
    private int retries;
    private long retransmissions;
    private long startNanos;
    private ScheduledFuture<?> timer;
    private long deadline;
    private final AtomicBoolean released = new AtomicBoolean();
    /** Set once the client has answered at all (an ACK): a repeat of its request is then a new request. */
    private volatile boolean answered;

    TftpTransfer(Plan plan, EventLog events, RateLimitedLog dropped, Consumer<TftpTransfer> onEnd) {
        this.plan = plan;
        this.events = events;
        this.dropped = dropped;
        this.onEnd = onEnd;
        this.blksize = plan.options().blksize();
        this.timeoutMillis = plan.options().timeoutSeconds() > 0 ? plan.options().timeoutSeconds() * 1000L
                : plan.defaultTimeoutMillis();
        this.reader = BlockReader.of(plan.file(), plan.netascii(), blksize);
        this.buffer = new byte[blksize];
        this.starts.add(Cursor.START);
    }

    InetSocketAddress client() {
        return plan.client();
    }

    /** True for a repeat of this transfer's request that the client sent before any answer reached it. */
    boolean isRepeatOf(TftpPacket.ReadRequest request) {
        return !answered && plan.request().equals(request);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        startNanos = System.nanoTime();
        try {
            if (plan.options().sendsOack()) {
                state = State.WAITING_FOR_OACK_ACK;
                sendOack();
            } else {
                state = State.SENDING;
                sendWindow();
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        try {
            if (!packet.sender().equals(plan.client())) {
                // RFC 1350: a packet from a stranger is answered with "unknown transfer ID" and changes nothing
                send(new ErrorPacket(ErrorPacket.UNKNOWN_TID, "unknown transfer ID"), packet.sender(), true);
                return;
            }
            TftpPacket p;
            try {
                p = TftpCodec.decode(packet.content());
            } catch (TftpDecodeException e) {
                dropped.warn(packet.sender(), "malformed TFTP packet from " + packet.sender() + " dropped: "
                        + e.getMessage());
                return;
            }
            switch (p) {
                case Ack a -> onAck(a.block());
                case ErrorPacket e -> clientError(e);
                default -> dropped.warn(packet.sender(), "TFTP " + p.getClass().getSimpleName() + " from "
                        + packet.sender() + " dropped: only ACK and ERROR belong to a read transfer");
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    private void onAck(int block) {
        answered = true;
        if (state == State.WAITING_FOR_OACK_ACK) {
            if (block == 0) {
                state = State.SENDING;
                retries = 0;
                sendWindow();
            }
            return;
        }
        if (state != State.SENDING) {
            return;
        }
        int delta = (block - (int) (lastAcked & 0xffff)) & 0xffff;
        if (delta == 0 || delta > lastSent - lastAcked) {
            return; // a repeated or stale ACK: the timer, not this ACK, decides about retransmitting
        }
        starts.subList(0, delta).clear();
        lastAcked += delta;
        retries = 0;
        if (lastAcked == finalBlock) {
            finish();
            return;
        }
        sendWindow(); // after a whole window the next one; after a partial ACK the window restarts past it
    }

    private void sendOack() {
        send(new OptionAck(plan.options().acknowledged()), plan.client(), true);
        armTimer();
    }

    /** Sends blocks lastAcked+1 .. lastAcked+windowsize (fewer at the end of the file), then waits. */
    private void sendWindow() {
        long last = lastAcked + plan.options().windowsize();
        if (finalBlock >= 0) {
            last = Math.min(last, finalBlock);
        }
        for (long abs = lastAcked + 1; abs <= last; abs++) {
            int i = (int) (abs - lastAcked - 1);
            Block b;
            try {
                b = reader.read(starts.get(i), buffer, blksize);
            } catch (IOException e) {
                fail("cannot read the file: " + e.getMessage(), new ErrorPacket(ErrorPacket.NOT_DEFINED, "read error"));
                return;
            }
            if (starts.size() == i + 1) {
                starts.add(b.next());
            } else {
                starts.set(i + 1, b.next());
            }
            if (b.length() < blksize) {
                finalBlock = abs;
                finalLength = b.length();
            }
            send(new Data((int) (abs & 0xffff), Arrays.copyOf(buffer, b.length())), plan.client(), false);
            lastSent = abs;
            if (abs == finalBlock) {
                break;
            }
        }
        channel.flush();
        armTimer();
    }

    /**
     * Restarts the retransmission timeout. The scheduled task is kept and only the deadline moves, so a busy
     * transfer does not cancel and schedule a task for every window; a task that fires early reschedules itself.
     */
    private void armTimer() {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (timer == null) {
            timer = channel.eventLoop().schedule(this::onTimeout, timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void onTimeout() {
        timer = null;
        try {
            if (state == State.ENDED) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left > 0) {
                timer = channel.eventLoop().schedule(this::onTimeout, left, TimeUnit.NANOSECONDS);
                return;
            }
            if (retries >= plan.maxRetries() && state == State.SENDING && finalBlock >= 0 && lastSent == finalBlock) {
                // Every block went out at least once and the client fell silent: it most likely has the file and
                // stopped listening, and only its last ACK was lost (firmware does not repeat it). Not a failure.
                finish(" (no ACK for the last window: the client stopped answering after it was sent, as one that"
                        + " has the whole file does)");
                return;
            }
            if (retries >= plan.maxRetries()) {
                String waitingFor = state == State.WAITING_FOR_OACK_ACK ? "the ACK of the option acknowledgement"
                        : "the ACK of block " + (lastAcked + 1) + (lastAcked + 1 == finalBlock ? " (the last one)" : "");
                fail("timeout: no answer from the client after " + (retries + 1) + " tries, " + timeoutMillis
                        + " ms apart, waiting for " + waitingFor, null);
                return;
            }
            retries++;
            retransmissions++;
            if (state == State.WAITING_FOR_OACK_ACK) {
                sendOack();
            } else {
                sendWindow();
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    private void clientError(ErrorPacket e) {
        String tsize = tsizeOffered();
        if (state == State.WAITING_FOR_OACK_ACK && tsize != null) {
            // PXE and UEFI firmware ask for tsize, read it from the OACK and end that request with an error before
            // asking again for the download: a normal step of a boot, not a failure
            state = State.ENDED;
            cancelTimer();
            record(EventType.NOTICE, "size probe: " + TftpCodec.printable(plan.name()) + " is " + tsize
                    + " bytes; the client ended that request (error " + e.code() + ": "
                    + TftpCodec.printable(e.message()) + "), as PXE firmware does before downloading", 0);
            channel.close();
            return;
        }
        String reason = state == State.WAITING_FOR_OACK_ACK && e.code() == ErrorPacket.OPTION_REFUSED
                ? "client refused the options (" + plan.options().describe() + "): " + TftpCodec.printable(e.message())
                : "client error " + e.code() + ": " + TftpCodec.printable(e.message());
        fail(reason, null);
    }

    private String tsizeOffered() {
        for (var o : plan.options().acknowledged().entrySet()) {
            if (OptionNames.fold(o.getKey()).equals("tsize")) {
                return o.getValue();
            }
        }
        return null;
    }

    private void finish() {
        finish("");
    }

    private void finish(String note) {
        state = State.ENDED;
        cancelTimer();
        long bytes = (finalBlock - 1) * blksize + finalLength;
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        String rate = String.format(Locale.ROOT, "%.3f s, %.1f MiB/s", seconds, bytes / seconds / (1 << 20));
        record(EventType.TFTP_DONE, "sent " + TftpCodec.printable(plan.name()) + " (" + bytes + " bytes"
                + (plan.netascii() ? " as netascii" : "") + ") in " + rate
                + (retransmissions > 0 ? ", " + retransmissions + " retransmissions" : "") + note, bytes);
        channel.close();
    }

    /** Ends the transfer as failed; {@code tell} is sent to the client first when not null. */
    private void fail(String reason, ErrorPacket tell) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        cancelTimer();
        long delivered = Math.max(0, lastAcked) * blksize;
        record(EventType.TFTP_FAILED, "sending " + TftpCodec.printable(plan.name()) + " failed after "
                + delivered + " bytes: " + reason, delivered);
        if (tell != null && channel.isActive()) {
            ByteBuf buf = channel.alloc().ioBuffer(64);
            TftpCodec.encode(tell, buf);
            channel.writeAndFlush(new DatagramPacket(buf, plan.client())).addListener(f -> channel.close());
        } else {
            channel.close();
        }
    }

    private void internalError(RuntimeException e) {
        log.error("TFTP transfer of {} to {} failed inside the server", plan.name(), plan.client(), e);
        fail("internal error: " + e, new ErrorPacket(ErrorPacket.NOT_DEFINED, "server error"));
    }

    private void send(TftpPacket p, InetSocketAddress to, boolean flush) {
        ByteBuf buf = channel.alloc().ioBuffer(p instanceof Data d ? 4 + d.length() : 128);
        TftpCodec.encode(p, buf);
        DatagramPacket dp = new DatagramPacket(buf, to);
        if (flush) {
            channel.writeAndFlush(dp, channel.voidPromise());
        } else {
            channel.write(dp, channel.voidPromise());
        }
    }

    private void record(EventType type, String message, long bytes) {
        events.record(BootEvent.of(plan.mac(), plan.client().getAddress().getHostAddress(), type, message, bytes));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.ENDED) {
            state = State.ENDED;
            cancelTimer();
            record(EventType.TFTP_FAILED, "sending " + TftpCodec.printable(plan.name())
                    + " failed: the TFTP server stopped", Math.max(0, lastAcked) * blksize);
        }
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a failed send (ENOBUFS, EPERM, ...): the retransmission timer recovers from it or ends the transfer
        dropped.warn(plan.client(), "TFTP transfer of " + TftpCodec.printable(plan.name()) + " to " + plan.client()
                + ": " + cause);
    }

    /** Closes the file and tells the server this transfer is over; safe to call more than once. */
    void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        try {
            plan.file().close();
        } catch (IOException e) {
            log.debug("closing {}: {}", plan.name(), e.toString());
        }
        onEnd.accept(this);
    }
}
