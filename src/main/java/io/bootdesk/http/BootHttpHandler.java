package io.bootdesk.http;

import io.bootdesk.core.BootPlan;
import io.bootdesk.core.BootPlanner;
import io.bootdesk.core.BootRequest;
import io.bootdesk.core.BootTracker;
import io.bootdesk.core.Channel;
import io.bootdesk.core.Catalog;
import io.bootdesk.core.EventLog;
import io.bootdesk.core.ImageLibrary;
import io.bootdesk.core.Loaders;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.pki.CertificateAuthority;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedFile;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests, answered in order. Scripts come from the boot planner; a waiting machine's poll is
 * held up to {@link #POLL_HOLD_MS} and answered as soon as an assignment for it appears. Nothing thrown here
 * leaves the handler: a bad request gets a 4xx and the connection stays usable or is closed.
 */
final class BootHttpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(BootHttpHandler.class);
    static final long POLL_HOLD_MS = 8_000;
    /** Bytes per chunk of a file sent through TLS (the SslHandler cuts it into 16 KiB records). */
    private static final int TLS_CHUNK = 256 * 1024;
    private static final long PROGRESS_UI_MS = 250;
    private static final long PROGRESS_EVENT_MS = 2_000;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** State shared by all connections of one server. */
    record Shared(BootPlanner planner, Catalog catalog, ImageLibrary images, Loaders loaders, EventLog events,
                  BootTracker tracker, CertificateAuthority ca, ClientVerifier verifier, Set<Poll> polls) {
        Shared(BootPlanner planner, Catalog catalog, ImageLibrary images, Loaders loaders, EventLog events,
               BootTracker tracker, CertificateAuthority ca, ClientVerifier verifier) {
            this(planner, catalog, images, loaders, events, tracker, ca, verifier, ConcurrentHashMap.newKeySet());
        }

        /** Images or assignments changed: every held poll looks again (on its own event loop). */
        void assignmentsChanged() {
            for (Poll p : polls) {
                p.ctx.executor().execute(p::retry);
            }
        }
    }

    private final Shared shared;
    private final Channel channel;
    /** Mutual TLS: the verdict on this connection's client certificate, decided at its first request. */
    private ClientVerifier.Verdict verdict;

    BootHttpHandler(Shared shared, Channel channel) {
        this.shared = shared;
        this.channel = channel;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                try {
                    handle(ctx, req);
                } catch (RuntimeException e) {
                    log.warn("HTTP request {} from {} failed: {}", req.uri(), remoteIp(ctx), e.toString(), e);
                    sendText(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n", false);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            log.warn("HTTP connection from {} failed: {}", remoteIp(ctx), cause.toString());
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        shared.polls().removeIf(p -> p.ctx == ctx);
        ctx.fireChannelInactive();
    }

    private void handle(ChannelHandlerContext ctx, HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            sendText(ctx, req, HttpResponseStatus.BAD_REQUEST, "malformed request\n", false);
            return;
        }
        boolean head = req.method().equals(HttpMethod.HEAD);
        boolean post = req.method().equals(HttpMethod.POST);
        if (!head && !post && !req.method().equals(HttpMethod.GET)) {
            sendText(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD (and POST to /ca/ocsp)\n",
                    HttpUtil.isKeepAlive(req));
            return;
        }
        String rawPath = req.uri().indexOf('?') < 0 ? req.uri() : req.uri().substring(0, req.uri().indexOf('?'));
        if (rawPath.startsWith("/ca/")) {
            CaEndpoints.handle(ctx, req, rawPath, shared.ca());
            return;
        }
        if (post) {
            sendText(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "POST only to /ca/ocsp\n", HttpUtil.isKeepAlive(req));
            return;
        }
        QueryStringDecoder q = new QueryStringDecoder(req.uri());
        Optional<List<String>> path = UrlPath.segments(q.rawPath());
        if (path.isEmpty()) {
            refuse(ctx, req, null, "path '" + req.uri() + "' is not allowed (escapes the served folders or is malformed)");
            return;
        }
        List<String> seg = path.get();
        if (seg.isEmpty()) {
            sendText(ctx, req, HttpResponseStatus.OK, "BootDesk boot server\n", HttpUtil.isKeepAlive(req));
        } else if (seg.size() == 2 && seg.get(0).equals("boot") && seg.get(1).endsWith(".ipxe")) {
            script(ctx, req, seg.get(1).substring(0, seg.get(1).length() - 5), q);
        } else if (seg.size() == 3 && seg.get(0).equals("images")) {
            imageFile(ctx, req, seg.get(1), seg.get(2), mac(ctx, q));
        } else if (seg.size() == 2 && seg.get(0).equals("ipxe")) {
            loaderFile(ctx, req, seg.get(1), mac(ctx, q));
        } else {
            sendText(ctx, req, HttpResponseStatus.NOT_FOUND, "not found\n", HttpUtil.isKeepAlive(req));
        }
    }

    // ---------------------------------------------------------------- scripts

    private void script(ChannelHandlerContext ctx, HttpRequest req, String macText, QueryStringDecoder q) {
        MacAddress mac;
        try {
            mac = MacAddress.parse(macText);
        } catch (IllegalArgumentException e) {
            sendText(ctx, req, HttpResponseStatus.NOT_FOUND, "no such machine script\n", HttpUtil.isKeepAlive(req));
            return;
        }
        boolean poll = q.parameters().containsKey("poll");
        BootRequest.Step step = poll ? BootRequest.Step.POLL
                : q.parameters().containsKey("stage") && channel == Channel.HTTP ? BootRequest.Step.STAGE
                : BootRequest.Step.SCRIPT;
        String ip = remoteIp(ctx);
        String agent = req.headers().get(HttpHeaderNames.USER_AGENT);
        // an iPXE that fetched its script over HTTPS has HTTPS (whatever its DHCP request said)
        Boolean https = channel != Channel.HTTP && agent != null && agent.startsWith("iPXE/") ? Boolean.TRUE : null;
        shared.events().inventory().observeHttp(mac, ip, agent, https);
        MacAddress proven = channel == Channel.MTLS ? verdict(ctx).mac() : null;
        BootRequest request = BootRequest.script(mac, step, channel, proven);
        BootPlan plan = shared.planner().plan(request);
        if (plan instanceof BootPlan.Wait && poll) {
            Poll p = new Poll(ctx, req, request, ip);
            shared.polls().add(p);
            ctx.channel().config().setAutoRead(false);
            p.timeout = ctx.executor().schedule(p::expire, POLL_HOLD_MS, TimeUnit.MILLISECONDS);
            return;
        }
        answer(ctx, req, mac, ip, plan);
    }

    /** The mutual-TLS verdict on this connection's client certificate (once per connection). */
    private ClientVerifier.Verdict verdict(ChannelHandlerContext ctx) {
        if (verdict == null) {
            X509Certificate[] chain = null;
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null) {
                try {
                    java.security.cert.Certificate[] peer = ssl.engine().getSession().getPeerCertificates();
                    chain = java.util.Arrays.stream(peer).filter(X509Certificate.class::isInstance)
                            .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
                } catch (SSLPeerUnverifiedException e) {
                    chain = null;
                }
            }
            verdict = shared.verifier() == null ? ClientVerifier.Verdict.none("no certificate authority")
                    : shared.verifier().verify(chain);
        }
        return verdict;
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest req, MacAddress mac, String ip, BootPlan plan) {
        String over = channel == Channel.HTTP ? "" : channel == Channel.HTTPS ? " over HTTPS" : " over mutual TLS";
        switch (plan) {
            case BootPlan.Script s -> {
                // never the script's text: it may carry secrets or a private key
                shared.events().record(BootEvent.of(mac, ip, EventType.HTTP_SCRIPT, "script served" + over + ": " + s.why()));
                if (s.image() != null) {
                    shared.tracker().expect(mac, s.image(), ip);
                }
                sendScript(ctx, req, s.text());
            }
            case BootPlan.Wait w -> {
                if (!w.text().equals("#!ipxe\n")) {
                    shared.events().record(BootEvent.of(mac, ip, EventType.HTTP_WAITING,
                            "waiting script served" + over + " (" + w.why() + ")"));
                }
                sendScript(ctx, req, w.text());
            }
            case BootPlan.Refused f -> {
                String cert = channel == Channel.MTLS && verdict(ctx).mac() == null ? " [" + verdict(ctx).reason() + "]" : "";
                shared.events().record(BootEvent.of(mac, ip, EventType.HTTP_REFUSED, "script refused" + over + ": "
                        + f.why() + cert));
                sendText(ctx, req, HttpResponseStatus.valueOf(f.status()), "refused: " + f.why() + cert + "\n",
                        HttpUtil.isKeepAlive(req));
            }
            default -> sendText(ctx, req, HttpResponseStatus.NOT_FOUND, "no script\n", HttpUtil.isKeepAlive(req));
        }
    }

    /** A waiting machine's held poll. Touched only on its channel's event loop. */
    final class Poll {
        final ChannelHandlerContext ctx;
        final HttpRequest req;
        final BootRequest request;
        final MacAddress mac;
        final String ip;
        ScheduledFuture<?> timeout;
        boolean done;

        Poll(ChannelHandlerContext ctx, HttpRequest req, BootRequest request, String ip) {
            this.ctx = ctx;
            this.req = req;
            this.request = request;
            this.mac = request.mac();
            this.ip = ip;
        }

        void retry() {
            if (done) {
                return;
            }
            BootPlan plan = shared.planner().plan(request);
            if (!(plan instanceof BootPlan.Wait)) {
                finish(plan);
            }
        }

        void expire() {
            if (!done) {
                finish(shared.planner().plan(request));
            }
        }

        private void finish(BootPlan plan) {
            done = true;
            shared.polls().remove(this);
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (!ctx.channel().isActive()) {
                return;
            }
            ctx.channel().config().setAutoRead(true);
            try {
                answer(ctx, req, mac, ip, plan);
            } catch (RuntimeException e) {
                log.warn("answering the poll of {} failed: {}", mac, e.toString());
                ctx.close();
            }
        }
    }

    // ---------------------------------------------------------------- files

    private void imageFile(ChannelHandlerContext ctx, HttpRequest req, String imageName, String file, MacAddress mac) {
        Optional<BootImage> image = shared.catalog().image(imageName);
        Optional<Path> path = image.flatMap(i -> shared.images().file(i, file));
        if (path.isEmpty()) {
            sendText(ctx, req, HttpResponseStatus.NOT_FOUND, "no such image file\n", HttpUtil.isKeepAlive(req));
            return;
        }
        sendFile(ctx, req, path.get(), file, mac, imageName, BootStage.DOWNLOADING);
    }

    private void loaderFile(ChannelHandlerContext ctx, HttpRequest req, String file, MacAddress mac) {
        Optional<Path> path = shared.loaders().resolve(file);
        if (path.isEmpty()) {
            sendText(ctx, req, HttpResponseStatus.NOT_FOUND, "no such iPXE binary\n", HttpUtil.isKeepAlive(req));
            return;
        }
        sendFile(ctx, req, path.get(), file, mac, null, BootStage.LOADER);
    }

    private void sendFile(ChannelHandlerContext ctx, HttpRequest req, Path path, String name, MacAddress mac,
                          String imageName, BootStage stage) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean head = req.method().equals(HttpMethod.HEAD);
        FileChannel fc;
        long length;
        String modified;
        try {
            fc = FileChannel.open(path, StandardOpenOption.READ);
            length = fc.size();
            modified = HTTP_DATE.format(Files.getLastModifiedTime(path).toInstant());
        } catch (IOException e) {
            sendText(ctx, req, HttpResponseStatus.NOT_FOUND, "cannot read file\n", keepAlive);
            return;
        }
        ByteRange.Parsed parsed = ByteRange.parse(req.headers().get(HttpHeaderNames.RANGE), length);
        if (parsed instanceof ByteRange.Unsatisfiable) {
            close(fc);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + length).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            finish(ctx, r, keepAlive);
            return;
        }
        ByteRange range = parsed instanceof ByteRange.Partial p ? p.range() : new ByteRange(0, length - 1);
        boolean partial = parsed instanceof ByteRange.Partial;
        long count = length == 0 ? 0 : range.length();
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, partial ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.of(name))
                .set(HttpHeaderNames.CONTENT_LENGTH, count)
                .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
                .set(HttpHeaderNames.LAST_MODIFIED, modified);
        if (partial) {
            r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range.start() + "-" + range.end() + "/" + length);
        }
        HttpUtil.setKeepAlive(r, keepAlive);
        if (head) {
            close(fc);
            ctx.write(r);
            finish(ctx, LastHttpContent.EMPTY_LAST_CONTENT, keepAlive);
            return;
        }
        String ip = remoteIp(ctx);
        Transfer t = new Transfer(mac, ip, name, imageName, stage, range.start(), count, length, range.end() == length - 1);
        t.started();
        ctx.write(r);
        if (count > 0 && channel == Channel.HTTP) {
            ctx.write(new DefaultFileRegion(fc, range.start(), count), ctx.newProgressivePromise()).addListener(t);
        } else if (count > 0) {
            // through TLS the bytes must pass the SslHandler: large chunks, read as the connection drains
            try {
                // heap chunks: the JDK's SSLEngine encrypts heap buffers without another copy
                ctx.write(new ChunkedFile(new RandomAccessFile(path.toFile(), "r"), range.start(), count, TLS_CHUNK),
                        ctx.newProgressivePromise()).addListener(t);
                close(fc);
            } catch (IOException e) {
                close(fc);
                ctx.close();
                return;
            }
        } else {
            close(fc);
            t.done(0);
        }
        finish(ctx, LastHttpContent.EMPTY_LAST_CONTENT, keepAlive);
    }

    /** Reports one file transfer: start, throttled progress, completion or failure. */
    private final class Transfer implements ChannelProgressiveFutureListener {
        final MacAddress mac;
        final String ip;
        final String name;
        final String imageName;
        final BootStage stage;
        final long start;
        final long count;
        final long length;
        final boolean reachesEnd;
        final long startNanos = System.nanoTime();
        long lastUi;
        long lastEvent;

        Transfer(MacAddress mac, String ip, String name, String imageName, BootStage stage, long start, long count,
                 long length, boolean reachesEnd) {
            this.mac = mac;
            this.ip = ip;
            this.name = name;
            this.imageName = imageName;
            this.stage = stage;
            this.start = start;
            this.count = count;
            this.length = length;
            this.reachesEnd = reachesEnd;
            this.lastEvent = System.currentTimeMillis();
        }

        void started() {
            String what = imageName != null ? " of image " + imageName : " (iPXE for UEFI HTTP Boot)";
            String part = count == length ? mb(length) : mb(count) + " of " + mb(length) + " from byte " + start;
            shared.events().record(BootEvent.of(mac, ip, EventType.HTTP_FILE_START, "sending " + name + what + ", " + part), stage);
        }

        @Override
        public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
            if (mac == null) {
                return;
            }
            long now = System.currentTimeMillis();
            if (now - lastUi >= PROGRESS_UI_MS) {
                lastUi = now;
                double fraction = count == 0 ? 1 : (double) progress / count;
                shared.events().inventory().stage(mac, stage, name + " " + mb(progress) + " of " + mb(count), fraction);
            }
            if (now - lastEvent >= PROGRESS_EVENT_MS) {
                lastEvent = now;
                shared.events().record(BootEvent.of(mac, ip, EventType.HTTP_FILE_PROGRESS,
                        name + " " + (count == 0 ? 100 : progress * 100 / count) + " % (" + mb(progress) + " of " + mb(count) + ")",
                        progress), null);
            }
        }

        @Override
        public void operationComplete(ChannelProgressiveFuture future) {
            if (future.isSuccess()) {
                done(count);
            } else {
                shared.events().record(BootEvent.of(mac, ip, EventType.HTTP_FAILED, name + ": transfer broken off ("
                        + future.cause().getMessage() + ")"));
            }
        }

        void done(long bytes) {
            double secs = (System.nanoTime() - startNanos) / 1e9;
            shared.events().record(BootEvent.of(mac, ip, EventType.HTTP_FILE_DONE, name + " delivered: " + mb(bytes)
                    + String.format(Locale.ROOT, " in %.2f s (%.1f MB/s)", secs, bytes / 1e6 / Math.max(secs, 1e-6)), bytes), null);
            if (mac != null && imageName != null && reachesEnd) {
                shared.tracker().delivered(mac, imageName, name, ip);
            }
        }
    }

    private static String mb(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        return bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3) : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static void close(FileChannel fc) {
        try {
            fc.close();
        } catch (IOException ignored) {
            // read-only
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The machine a file request belongs to: the ?mac= BootDesk puts in its URLs, else who last had that IP. */
    private MacAddress mac(ChannelHandlerContext ctx, QueryStringDecoder q) {
        List<String> m = q.parameters().get("mac");
        if (m != null && !m.isEmpty()) {
            try {
                return MacAddress.parse(m.get(0));
            } catch (IllegalArgumentException ignored) {
                // fall through to the address
            }
        }
        return shared.events().inventory().macOf(remoteIp(ctx)).orElse(null);
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest req, MacAddress mac, String why) {
        shared.events().record(BootEvent.of(mac, remoteIp(ctx), EventType.HTTP_REFUSED, "refused: " + why), null);
        sendText(ctx, req, HttpResponseStatus.BAD_REQUEST, "refused\n", HttpUtil.isKeepAlive(req));
    }

    private static void sendScript(ChannelHandlerContext ctx, HttpRequest req, String text) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        finish(ctx, r, keepAlive);
    }

    static void sendText(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String text,
                                 boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                req.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, text.getBytes(StandardCharsets.UTF_8).length);
        HttpUtil.setKeepAlive(r, keepAlive);
        finish(ctx, r, keepAlive);
    }

    static void finish(ChannelHandlerContext ctx, Object last, boolean keepAlive) {
        var f = ctx.writeAndFlush(last);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String remoteIp(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : null;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
