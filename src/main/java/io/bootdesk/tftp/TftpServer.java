package io.bootdesk.tftp;

import io.bootdesk.core.EventLog;
import io.bootdesk.core.Loaders;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.net.PortBinding;
import io.bootdesk.tftp.TftpPacket.ErrorPacket;
import io.bootdesk.tftp.TftpPacket.ReadRequest;
import io.bootdesk.tftp.TftpPacket.WriteRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only TFTP server (RFC 1350; options RFC 2347, blksize RFC 2348, tsize and timeout RFC 2349, windowsize
 * RFC 7440) on Netty UDP. Requests arrive on {@code bindIp:port}; each read gets its own UDP port on
 * {@code bindIp} (its transfer ID) and runs as a {@link TftpTransfer} on one of the group's event loops, so many
 * transfers run at once. Files come from {@link Loaders#resolvePath}: the TFTP root first, then the iPXE directory,
 * never outside them. Writes are refused. Nothing thrown while handling a datagram leaves the handler: a malformed
 * one is logged (once a minute per sender) and dropped.
 */
public final class TftpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TftpServer.class);

    /** Retransmission timeout when the client did not ask for one (RFC 2349 timeout). */
    static final long DEFAULT_TIMEOUT_MILLIS = 1000;
    /** Retransmissions of one window (or OACK) before the transfer is given up. */
    static final int DEFAULT_RETRIES = 5;
    /** Transfers at once; each holds a socket and an open file. */
    static final int MAX_TRANSFERS = 1024;

    private final String bindIp;
    private final int port;
    private final Loaders files;
    private final EventLog events;
    private final long timeoutMillis;
    private final int maxRetries;
    private final RateLimitedLog dropped = new RateLimitedLog(log);
    /** The latest transfer per client address, to recognise a repeated request. */
    private final ConcurrentHashMap<InetSocketAddress, TftpTransfer> byClient = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final ChannelGroup transferChannels = new DefaultChannelGroup("tftp-transfers", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup group;
    private NioDatagramChannel listener;
    private InetAddress bindAddress;
    private volatile boolean closed;

    public TftpServer(String bindIp, int port, Loaders files, EventLog events) {
        this(bindIp, port, files, events, DEFAULT_TIMEOUT_MILLIS, DEFAULT_RETRIES);
    }

    /** For tests: a shorter default timeout and another retry bound. */
    TftpServer(String bindIp, int port, Loaders files, EventLog events, long timeoutMillis, int maxRetries) {
        this.bindIp = bindIp;
        this.port = port;
        this.files = files;
        this.events = events;
        this.timeoutMillis = timeoutMillis;
        this.maxRetries = maxRetries;
    }

    /** Binds the request port; fails with a sentence naming the port and the fix. */
    public void start() throws IOException {
        if (group != null) {
            throw new IllegalStateException("the TFTP server was already started");
        }
        bindAddress = InetAddress.getByName(bindIp);
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bootdesk-tftp", true),
                NioIoHandler.newFactory());
        DatagramChannel ch = DatagramChannel.open(family(bindAddress));
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            try {
                ch.bind(new InetSocketAddress(bindAddress, port));
            } catch (IOException e) {
                throw PortBinding.explain("the TFTP server", "UDP", bindIp, port, e);
            }
            NioDatagramChannel nc = new NioDatagramChannel(ch);
            nc.pipeline().addLast(new RequestHandler());
            group.register(nc).syncUninterruptibly();
            listener = nc;
        } catch (IOException | RuntimeException e) {
            ch.close();
            close();
            throw e;
        }
        log.info("TFTP (read-only) on {}:{} serving {}", bindIp, localPort(), files.dirs());
    }

    /** The bound request port (the configured one, or the one the system chose for port 0). */
    int localPort() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Transfers running now. */
    int activeTransfers() {
        return running.get();
    }

    private static ProtocolFamily family(InetAddress a) {
        return a instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private final class RequestHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            InetSocketAddress from = packet.sender();
            try {
                TftpPacket p;
                try {
                    p = TftpCodec.decode(packet.content());
                } catch (TftpDecodeException e) {
                    dropped.warn(from, "malformed TFTP request from " + from + " dropped: " + e.getMessage());
                    return;
                }
                switch (p) {
                    case ReadRequest r -> read(ctx, r, from);
                    case WriteRequest w -> {
                        reply(ctx, from, ErrorPacket.ACCESS_VIOLATION, "read-only server: writing is refused");
                        record(from, EventType.TFTP_FAILED, "refused to receive " + TftpCodec.printable(w.filename())
                                + ": BootDesk's TFTP server is read-only (WRQ)", 0);
                    }
                    default -> dropped.warn(from, "TFTP " + p.getClass().getSimpleName() + " from " + from
                            + " on the request port dropped: only RRQ and WRQ start a transfer");
                }
            } catch (RuntimeException e) {
                log.error("TFTP request from {} dropped: the server failed on it", from, e);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("TFTP request channel error on port {}: {}", port, cause.toString());
        }
    }

    private void read(ChannelHandlerContext ctx, ReadRequest r, InetSocketAddress client) {
        if (closed) {
            return;
        }
        String name = TftpCodec.printable(r.filename());
        String mode = r.mode().toLowerCase(Locale.ROOT);
        if (!mode.equals("octet") && !mode.equals("netascii")) {
            reply(ctx, client, ErrorPacket.ILLEGAL_OPERATION, "unsupported mode " + r.mode() + " (octet or netascii)");
            record(client, EventType.TFTP_FAILED, "refused " + name + ": transfer mode "
                    + TftpCodec.printable(r.mode()) + " is not supported (octet or netascii)", 0);
            return;
        }
        TftpTransfer previous = byClient.get(client);
        if (previous != null && previous.isRepeatOf(r)) {
            // the client repeated its request before our first answer reached it: that transfer answers it.
            // Any other request from the same port starts anew (say a PXE ROM's tsize probe, aborted with error
            // 8, then the real request); a transfer the client left gets error 5 from it or times out.
            log.debug("repeated TFTP request for {} from {} ignored", name, client);
            return;
        }
        if (running.get() >= MAX_TRANSFERS) {
            reply(ctx, client, ErrorPacket.NOT_DEFINED, "server busy, try again");
            record(client, EventType.TFTP_FAILED, "refused " + name + ": " + MAX_TRANSFERS
                    + " transfers are already running", 0);
            return;
        }
        Optional<Path> path = files.resolvePath(r.filename());
        if (path.isEmpty()) {
            String refusal = refusal(r.filename());
            if (refusal != null) {
                reply(ctx, client, ErrorPacket.ACCESS_VIOLATION, "access violation");
                record(client, EventType.TFTP_FAILED, "refused path " + name + ": " + refusal, 0);
            } else {
                reply(ctx, client, ErrorPacket.FILE_NOT_FOUND, "file not found");
                record(client, EventType.TFTP_FAILED, "not found: " + name + " is in none of " + files.dirs(), 0);
            }
            return;
        }
        FileChannel file;
        long size;
        try {
            file = FileChannel.open(path.get(), StandardOpenOption.READ);
            size = file.size();
        } catch (IOException | RuntimeException e) {
            reply(ctx, client, ErrorPacket.ACCESS_VIOLATION, "cannot read the file");
            record(client, EventType.TFTP_FAILED, "cannot read " + name + " (" + path.get() + "): " + e, 0);
            return;
        }
        boolean netascii = mode.equals("netascii");
        Negotiation options = Negotiation.of(r, netascii ? -1 : size);
        MacAddress mac = events.inventory().macOf(client.getAddress().getHostAddress()).orElse(null);
        TftpTransfer.Plan plan = new TftpTransfer.Plan(client, r, file, netascii, options, timeoutMillis, maxRetries,
                mac);
        TftpTransfer transfer = new TftpTransfer(plan, events, dropped, t -> {
            byClient.remove(t.client(), t);
            running.decrementAndGet();
        });
        running.incrementAndGet();
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(family(bindAddress));
            ch.bind(new InetSocketAddress(bindAddress, 0));
            NioDatagramChannel nc = new NioDatagramChannel(ch);
            nc.pipeline().addLast(transfer);
            byClient.put(client, transfer);
            int tid = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            record(client, EventType.TFTP_START, "sending " + name + " (" + size + " bytes, " + mode + ", "
                    + options.describe() + ") to port " + client.getPort() + " from port " + tid, 0);
            transferChannels.add(nc);
            DatagramChannel opened = ch;
            group.register(nc).addListener(f -> {
                if (!f.isSuccess()) {
                    log.warn("TFTP transfer of {} to {} could not start: {}", name, client, f.cause().toString());
                    closeQuietly(opened);
                    transfer.release();
                }
            });
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            transfer.release();
            reply(ctx, client, ErrorPacket.NOT_DEFINED, "server cannot open a transfer port");
            record(client, EventType.TFTP_FAILED, "cannot send " + name + ": no transfer port on " + bindIp + ": " + e, 0);
        }
    }

    /**
     * Why {@link Loaders#resolvePath} refused a name it refuses on purpose (leaving the root, hidden files, a link
     * out of the root), or null when the file is simply not there. Only chooses the error code and the words.
     */
    private String refusal(String requested) {
        if (requested.indexOf('\0') >= 0 || requested.indexOf('\\') >= 0) {
            return "NUL or backslash in the name";
        }
        String rel = requested.startsWith("/") ? requested.substring(1) : requested;
        if (rel.startsWith("/")) {
            return "an absolute path";
        }
        for (String segment : rel.split("/", -1)) {
            if (segment.equals("..")) {
                return "'..' leaves the TFTP root";
            }
            if (segment.length() > 1 && segment.startsWith(".")) {
                return "hidden files are not served";
            }
        }
        for (Path dir : files.dirs()) {
            try {
                Path p = dir.resolve(rel);
                if (!rel.isEmpty() && Files.isRegularFile(p)) {
                    return "it resolves outside " + dir + " (a symbolic link out of the root)";
                }
            } catch (InvalidPathException | SecurityException e) {
                return "not a valid path here";
            }
        }
        return null;
    }

    private void reply(ChannelHandlerContext ctx, InetSocketAddress to, int code, String message) {
        ByteBuf buf = ctx.alloc().ioBuffer(64);
        TftpCodec.encode(new ErrorPacket(code, message), buf);
        ctx.writeAndFlush(new DatagramPacket(buf, to), ctx.voidPromise());
    }

    private void record(InetSocketAddress client, EventType type, String message, long bytes) {
        String ip = client.getAddress().getHostAddress();
        MacAddress mac = events.inventory().macOf(ip).orElse(null);
        events.record(BootEvent.of(mac, ip, type, message, bytes));
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                log.debug("closing a TFTP transfer socket: {}", e.toString());
            }
        }
    }

    /** Stops answering, ends every transfer (each is journaled as failed) and stops the event loops. */
    @Override
    public void close() {
        closed = true;
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        transferChannels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
