package io.bootdesk.console.jetkvm;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import io.bootdesk.console.client.Json;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JetKVM running firmware 0.4.7 on 127.0.0.1, written from the device's source (github jetkvm/kvm at
 * bde0a086, facts only, nothing copied; read for this fake in that commit, beyond the summary in the reference
 * note consoles.md section 1):
 * <ul>
 *   <li>{@code web.go setupRouter}: unauthenticated {@code GET /device/status} ({@code {"isSetup":…}}),
 *       {@code GET /device/ui-config.js} ({@code window.JETKVM_CONFIG = {…DEVICE_VERSION…}}),
 *       {@code POST /auth/login-local}; protected {@code GET /device} and the WebSocket
 *       {@code GET /webrtc/signaling/client}.</li>
 *   <li>{@code web.go handleLogin}: noPassword mode → 400 "Login is disabled in noPassword mode"; wrong password →
 *       401; right password → a new UUID becomes the ONE stored token and is set as cookie
 *       {@code authToken=…; Max-Age=604800; Path=/; HttpOnly}. {@code protectedMiddleware}: noPassword → open; else
 *       the cookie must equal the one token (so an older login's cookie gets 401).</li>
 *   <li>{@code web.go handleWebRTCSignalWsMessages}: sends {@code device-metadata {deviceVersion}} first, answers the
 *       text {@code ping} with {@code pong}, takes {@code offer {sd: base64(JSON)}} and {@code new-ice-candidate};
 *       {@code cloud.go handleSessionRequest}: answers with {@code answer} (base64 of the JSON description) and, if a
 *       session exists, sends it the JSON-RPC event {@code otherSessionConnected} and closes its peer connection
 *       about one second later (one session at a time).</li>
 *   <li>{@code webrtc.go newSession}: the device is the answerer; data channels {@code rpc} (JSON-RPC) and
 *       {@code serial} are created by the client; candidates are trickled over the WebSocket. This fake uses
 *       webrtc-java instead of pion and no video track.</li>
 *   <li>{@code jsonrpc.go onRPCMessage / callRPCHandler / rpcHandlers}: named params, every declared param required
 *       ("missing parameter: X" as -32603 Internal error with the text in {@code data}); unknown method → -32601
 *       "Method not found"; handler errors → -32603 "Internal error" with {@code data} = the error text;
 *       notifications have no id ({@code writeJSONRPCEvent}).</li>
 *   <li>{@code jsonrpc.go rpcSetATXPowerAction / rpcGetATXState / rpcSetActiveExtension} and {@code serial.go
 *       pressATXPowerButton / runATXControl}: neither ATX call checks the active extension and
 *       {@code setActiveExtension} accepts any id; power-short 200 ms, power-long 5 s (shortened to 500 ms here),
 *       reset 200 ms. The LED state getATXState reports is only read from the board while {@code atx-power} is
 *       the active extension, and every line read goes to the current session as an {@code atxState} event (here:
 *       every 100 ms). The simulated machine: a short press toggles power, a long press turns it off, reset keeps
 *       it; {@link #atxBoard} false = no board on the UART (no lines, presses reach nothing).</li>
 *   <li>{@code usb.go rpcKeyboardReport(modifier uint8, keys []uint8)} / {@code internal/usbgadget/hid_keyboard.go}:
 *       one 8-byte boot-keyboard report, recorded here in {@link #keyboardReports}; {@code jsonrpc.go
 *       riskyCallRPCHandler} converts JSON numbers and says "value out of range for uint8: N".</li>
 *   <li>{@code usb_mass_storage.go rpcMountWithHTTP}: "another virtual media is already mounted" when one is; the
 *       device probes the URL's size with {@code GET} + {@code Range: bytes=0-0} ({@code psanford/httpreadat}) and
 *       needs 206 with {@code Content-Range: bytes 0-0/<size>}; {@code rpcUnmountImage},
 *       {@code rpcGetVirtualMediaState} (null when nothing is mounted).</li>
 *   <li>{@code serial.go handleSerialChannel} / {@code rpcSetSerialSettings} (0.4.7: every setting a string):
 *       bytes on the {@code serial} channel go raw to the UART and UART output comes back as binary messages; the
 *       UART here is a loopback (echo), as if TX were wired to RX.</li>
 * </ul>
 * Error texts follow bde0a086 ({@code jsonrpc.go}, {@code usb_mass_storage.go}, {@code web.go}); the text after
 * "failed to use http url:" is this fake's (psanford/httpreadat's own wording was not checked).
 */
public final class FakeJetKvm implements AutoCloseable {

    static final String VERSION = "0.4.7";
    static final String DEVICE_ID = "fake-jetkvm-0001";

    /** One boot-keyboard report as written to /dev/hidg0. */
    public record Report(int modifier, List<Integer> keys) {
    }

    final String password;
    public final List<Report> keyboardReports = new CopyOnWriteArrayList<>();
    public final List<String> atxActions = new CopyOnWriteArrayList<>();
    final List<String> rpcMethods = new CopyOnWriteArrayList<>();
    final List<Map<String, Object>> serialSettings = new CopyOnWriteArrayList<>();
    final java.io.ByteArrayOutputStream uartTx = new java.io.ByteArrayOutputStream();
    final List<String> rangeProbes = new CopyOnWriteArrayList<>();
    /** Candidates this fake saw from clients (the address part), to show ICE stayed on this host. */
    final List<String> remoteCandidates = new CopyOnWriteArrayList<>();

    volatile String token;
    volatile String activeExtension = "";
    /** The simulated machine's real power state (what the ATX board's power LED input sees). */
    public volatile boolean machinePower = false;
    /** {@code ledPWRState}: what getATXState reports; only updated while the ATX extension reads the board. */
    volatile boolean powerLed = false;
    /** Whether an ATX extension board is connected to the UART (it then reports LED lines while read). */
    volatile boolean atxBoard = true;
    volatile boolean dcOn = false;
    volatile Map<String, Object> mounted;
    volatile boolean neverAnswerRpc = false;
    volatile boolean stallSignaling = false;
    volatile int sessionsAccepted = 0;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final ExecutorService work = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-jetkvm");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-jetkvm-timer");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private volatile Session current;

    private final javax.net.ssl.SSLContext tls;

    /** {@code password} null: the device is set up in noPassword mode. */
    public FakeJetKvm(String password) {
        this(password, null);
    }

    /** With {@code tls}: HTTPS and WSS only, like {@code web_tls.go} in self-signed mode. */
    FakeJetKvm(String password, javax.net.ssl.SSLContext tls) {
        this.password = password;
        this.tls = tls;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            javax.net.ssl.SSLEngine engine = tls.createSSLEngine();
                            engine.setUseClientMode(false);
                            ch.pipeline().addLast(new io.netty.handler.ssl.SslHandler(engine));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        timers.scheduleAtFixedRate(this::atxBoardLine, 100, 100, TimeUnit.MILLISECONDS);
    }

    /**
     * {@code serial.go runATXControl} (0.4.7): while the ATX extension is active, every state line the board sends
     * updates the LED state and goes to the current session as an {@code atxState} event.
     */
    private void atxBoardLine() {
        if (!atxBoard || !"atx-power".equals(activeExtension)) {
            return;
        }
        powerLed = machinePower;
        Session s = current;
        if (s != null) {
            s.notifyRpc("atxState", Map.of("power", powerLed, "hdd", false));
        }
    }

    public URI uri() {
        return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
    }

    synchronized byte[] uartBytes() {
        return uartTx.toByteArray();
    }

    @Override
    public void close() {
        for (Session s : sessions) {
            s.close();
        }
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        timers.shutdownNow();
        work.shutdownNow();
    }

    // ---- HTTP (web.go)

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private WebSocketServerHandshaker handshaker;
        private Session session;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest req) {
                http(ctx, req);
            } else if (msg instanceof WebSocketFrame frame) {
                frame(ctx, frame);
            }
        }

        private void http(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = URI.create(req.uri()).getPath();
            HttpMethod m = req.method();
            if (m.equals(HttpMethod.GET) && path.equals("/device/status")) {
                json(ctx, 200, Map.of("isSetup", true), null);
            } else if (m.equals(HttpMethod.GET) && path.equals("/device/ui-config.js")) {
                send(ctx, 200, "application/javascript", "window.JETKVM_CONFIG = {\"CLOUD_API\":\"https://api.jetkvm.com\","
                        + "\"DEVICE_VERSION\":\"" + VERSION + "\"};", null);
            } else if (m.equals(HttpMethod.POST) && path.equals("/auth/login-local")) {
                login(ctx, req);
            } else if (!authorized(req)) {
                json(ctx, 401, Map.of("error", "Unauthorized"), null);
            } else if (m.equals(HttpMethod.GET) && path.equals("/device")) {
                json(ctx, 200, Map.of("authMode", password == null ? "noPassword" : "password", "deviceId", DEVICE_ID,
                        "loopbackOnly", false), null);
            } else if (m.equals(HttpMethod.GET) && path.equals("/webrtc/signaling/client")) {
                handshaker = new WebSocketServerHandshakerFactory((tls == null ? "ws" : "wss") + "://127.0.0.1" + path, null, false, 1 << 20)
                        .newHandshaker(req);
                if (handshaker == null) {
                    WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                    return;
                }
                handshaker.handshake(ctx.channel(), req).addListener(f -> {
                    if (f.isSuccess()) {
                        session = new Session(ctx.channel());
                        sessions.add(session);
                        if (!stallSignaling) {
                            session.signal(Map.of("type", "device-metadata", "data", Map.of("deviceVersion", VERSION)));
                        }
                    }
                });
            } else {
                json(ctx, 404, Map.of("error", "Not Found"), null);
            }
        }

        private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame c) {
                handshaker.close(ctx.channel(), c.retain());
                if (session != null) {
                    session.close();
                }
            } else if (frame instanceof PingWebSocketFrame p) {
                ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
            } else if (frame instanceof TextWebSocketFrame t && session != null) {
                String text = t.text();
                work.execute(() -> session.onSignal(text));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (session != null) {
                session.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private boolean authorized(FullHttpRequest req) {
        if (password == null) {
            return true;
        }
        String header = req.headers().get(HttpHeaderNames.COOKIE);
        if (header == null || token == null) {
            return false;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
            if (c.name().equals("authToken") && c.value().equals(token)) {
                return true;
            }
        }
        return false;
    }

    private void login(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (password == null) {
            json(ctx, 400, Map.of("error", "Login is disabled in noPassword mode"), null);
            return;
        }
        String given;
        try {
            given = Json.string(Json.parseObject(req.content().toString(StandardCharsets.UTF_8)), "password");
        } catch (IllegalArgumentException e) {
            json(ctx, 400, Map.of("error", "Invalid request body"), null);
            return;
        }
        if (!password.equals(given)) {
            json(ctx, 401, Map.of("error", "Invalid password"), null);
            return;
        }
        token = UUID.randomUUID().toString();
        json(ctx, 200, Map.of("message", "Login successful"),
                "authToken=" + token + "; Path=/; Max-Age=604800; HttpOnly");
    }

    private static void json(ChannelHandlerContext ctx, int status, Object body, String cookie) {
        send(ctx, status, "application/json; charset=utf-8", Json.write(body), cookie);
    }

    private static void send(ChannelHandlerContext ctx, int status, String type, String body, String cookie) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        if (cookie != null) {
            r.headers().add(HttpHeaderNames.SET_COOKIE, cookie);
        }
        ctx.writeAndFlush(r);
    }

    // ---- one WebRTC session (webrtc.go, cloud.go)

    final class Session {
        private final Channel ws;
        private volatile RTCPeerConnection pc;
        private volatile RTCDataChannel rpc;
        private final List<RTCIceCandidate> early = new ArrayList<>();
        private boolean remoteSet;
        private volatile boolean closed;

        Session(Channel ws) {
            this.ws = ws;
        }

        void signal(Map<String, Object> msg) {
            ws.writeAndFlush(new TextWebSocketFrame(Json.write(msg)));
        }

        void onSignal(String text) {
            if (text.equals("ping")) {
                ws.writeAndFlush(new TextWebSocketFrame("pong"));
                return;
            }
            Map<String, Object> m = Json.parseObject(text);
            String type = Json.string(m, "type");
            if ("offer".equals(type) && !stallSignaling) {
                try {
                    offer(Json.string(m, "data", "sd"));
                } catch (Exception e) {
                    ws.close();
                }
            } else if ("new-ice-candidate".equals(type)) {
                Map<String, Object> c = Json.object(m, "data");
                String cand = Json.string(c, "candidate");
                if (cand == null || cand.isEmpty()) {
                    return;
                }
                String[] f = cand.split(" ");
                if (f.length > 5) {
                    remoteCandidates.add(f[4]);
                }
                Object idx = c.get("sdpMLineIndex");
                RTCIceCandidate ice = new RTCIceCandidate(Json.string(c, "sdpMid"),
                        idx instanceof BigDecimal d ? d.intValue() : 0, cand);
                synchronized (early) {
                    if (remoteSet) {
                        pc.addIceCandidate(ice);
                    } else {
                        early.add(ice);
                    }
                }
            }
        }

        private void offer(String sd) throws Exception {
            String json = new String(Base64.getDecoder().decode(sd), StandardCharsets.UTF_8);
            Session previous;
            synchronized (FakeJetKvm.this) {
                previous = current;
                current = this;
                sessionsAccepted++;
            }
            if (previous != null && previous != this) {
                previous.notifyRpc("otherSessionConnected", null);
                timers.schedule(previous::close, 1, TimeUnit.SECONDS);
            }
            pc = WebRtc.factory().createPeerConnection(WebRtc.configuration(), new PeerConnectionObserver() {
                @Override
                public void onIceCandidate(RTCIceCandidate c) {
                    Map<String, Object> init = new LinkedHashMap<>();
                    init.put("candidate", c.sdp);
                    init.put("sdpMid", c.sdpMid);
                    init.put("sdpMLineIndex", c.sdpMLineIndex);
                    signal(Map.of("type", "new-ice-candidate", "data", init));
                }

                @Override
                public void onDataChannel(RTCDataChannel ch) {
                    String label = ch.getLabel();
                    if (label.equals("rpc")) {
                        rpc = ch;
                    }
                    ch.registerObserver(new RTCDataChannelObserver() {
                        @Override
                        public void onBufferedAmountChange(long previousAmount) {
                        }

                        @Override
                        public void onStateChange() {
                        }

                        @Override
                        public void onMessage(RTCDataChannelBuffer buffer) {
                            byte[] b = new byte[buffer.data.remaining()];
                            buffer.data.get(b);
                            if (label.equals("rpc")) {
                                work.execute(() -> onRpc(ch, new String(b, StandardCharsets.UTF_8)));
                            } else if (label.equals("serial")) {
                                uart(ch, b);
                            }
                        }
                    });
                }
            });
            String sdp = Json.string(Json.parseObject(json), "sdp");
            CompletableFuture<Void> remote = new CompletableFuture<>();
            pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, sdp), done(remote));
            remote.get(5, TimeUnit.SECONDS);
            synchronized (early) {
                remoteSet = true;
                early.forEach(pc::addIceCandidate);
                early.clear();
            }
            CompletableFuture<RTCSessionDescription> answer = new CompletableFuture<>();
            pc.createAnswer(new RTCAnswerOptions(), new CreateSessionDescriptionObserver() {
                @Override
                public void onSuccess(RTCSessionDescription d) {
                    answer.complete(d);
                }

                @Override
                public void onFailure(String error) {
                    answer.completeExceptionally(new IllegalStateException(error));
                }
            });
            RTCSessionDescription a = answer.get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> local = new CompletableFuture<>();
            pc.setLocalDescription(a, done(local));
            local.get(5, TimeUnit.SECONDS);
            String body = Json.write(Map.of("type", "answer", "sdp", a.sdp));
            signal(Map.of("type", "answer", "data",
                    Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8))));
        }

        void notifyRpc(String method, Object params) {
            RTCDataChannel ch = rpc;
            if (ch == null) {
                return;
            }
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("jsonrpc", "2.0");
            n.put("method", method);
            n.put("params", params);
            sendText(ch, Json.write(n));
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            RTCPeerConnection p = pc;
            if (p != null) {
                p.close();
            }
            ws.close();
            synchronized (FakeJetKvm.this) {
                if (current == this) {
                    current = null;
                }
            }
        }
    }

    private static SetSessionDescriptionObserver done(CompletableFuture<Void> f) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                f.complete(null);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new IllegalStateException(error));
            }
        };
    }

    private static void sendText(RTCDataChannel ch, String text) {
        try {
            ch.send(new RTCDataChannelBuffer(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), false));
        } catch (Exception e) {
            // the session is gone
        }
    }

    private void uart(RTCDataChannel ch, byte[] b) {
        synchronized (this) {
            uartTx.writeBytes(b);
        }
        try {
            ch.send(new RTCDataChannelBuffer(ByteBuffer.wrap(b), true));
        } catch (Exception e) {
            // the session is gone
        }
    }

    // ---- JSON-RPC (jsonrpc.go)

    /** A handler error: becomes -32603 Internal error with the text as data. */
    private static final class RpcError extends Exception {
        RpcError(String message) {
            super(message);
        }
    }

    private static final Map<String, List<String>> PARAMS = Map.ofEntries(
            Map.entry("ping", List.of()),
            Map.entry("getDeviceID", List.of()),
            Map.entry("getActiveExtension", List.of()),
            Map.entry("setActiveExtension", List.of("extensionId")),
            Map.entry("setATXPowerAction", List.of("action")),
            Map.entry("getATXState", List.of()),
            Map.entry("getDCPowerState", List.of()),
            Map.entry("setDCPowerState", List.of("enabled")),
            Map.entry("keyboardReport", List.of("modifier", "keys")),
            Map.entry("mountWithHTTP", List.of("url", "mode")),
            Map.entry("unmountImage", List.of()),
            Map.entry("getVirtualMediaState", List.of()),
            Map.entry("getSerialSettings", List.of()),
            Map.entry("setSerialSettings", List.of("settings")));

    private void onRpc(RTCDataChannel ch, String text) {
        Map<String, Object> req = Json.parseObject(text);
        String method = Json.string(req, "method");
        rpcMethods.add(method);
        if (neverAnswerRpc) {
            return;
        }
        Map<String, Object> resp = new LinkedHashMap<>();
        resp.put("jsonrpc", "2.0");
        List<String> names = PARAMS.get(method);
        if (names == null) {
            resp.put("error", Map.of("code", -32601, "message", "Method not found"));
        } else {
            Map<String, Object> params = Json.object(req, "params");
            try {
                for (String n : names) {
                    if (params == null || !params.containsKey(n)) {
                        throw new RpcError("missing parameter: " + n);
                    }
                }
                resp.put("result", dispatch(method, params));
            } catch (RpcError e) {
                resp.put("error", Map.of("code", -32603, "message", "Internal error", "data", e.getMessage()));
            }
        }
        resp.put("id", req.get("id"));
        sendText(ch, Json.write(resp));
    }

    private Object dispatch(String method, Map<String, Object> p) throws RpcError {
        switch (method) {
            case "ping":
                return "pong";
            case "getDeviceID":
                return DEVICE_ID;
            case "getActiveExtension":
                return activeExtension;
            case "setActiveExtension":
                // 0.4.7 does not validate the id (any string is stored)
                activeExtension = str(p, "extensionId");
                return null;
            case "setATXPowerAction":
                return atx(str(p, "action"));
            case "getATXState":
                // 0.4.7 checks nothing: without the active ATX extension this is the last LED state read
                return Map.of("power", powerLed, "hdd", false);
            case "getDCPowerState":
                return Map.of("isOn", dcOn, "voltage", 12.0, "current", 0.5, "power", 6.0);
            case "setDCPowerState":
                if (!(p.get("enabled") instanceof Boolean b)) {
                    throw new RpcError("invalid parameter type for: enabled, type: bool");
                }
                if ("dc-power".equals(activeExtension)) {
                    dcOn = b;
                }
                return null;
            case "keyboardReport": {
                if (!(p.get("modifier") instanceof BigDecimal mod)) {
                    throw new RpcError("invalid parameter type for: modifier, type: uint8");
                }
                if (!(p.get("keys") instanceof List<?> keys)) {
                    throw new RpcError("invalid parameter type for: keys, type: slice");
                }
                List<Integer> k = new ArrayList<>();
                for (Object o : keys) {
                    if (!(o instanceof BigDecimal d)) {
                        throw new RpcError("invalid element type in slice for parameter keys");
                    }
                    if (d.intValue() < 0 || d.intValue() > 255) {
                        throw new RpcError("value out of range for uint8: " + d.intValue());
                    }
                    k.add(d.intValue());
                }
                keyboardReports.add(new Report(mod.intValue(), List.copyOf(k)));
                return null;
            }
            case "mountWithHTTP":
                return mount(str(p, "url"), str(p, "mode"));
            case "unmountImage":
                // 0.4.7: no error when nothing is mounted
                mounted = null;
                return null;
            case "getVirtualMediaState":
                return mounted;
            case "getSerialSettings":
                return serialSettings.isEmpty() ? Map.of("baudRate", "115200", "dataBits", "8", "stopBits", "1",
                        "parity", "none") : serialSettings.get(serialSettings.size() - 1);
            case "setSerialSettings": {
                Map<String, Object> s = Json.object(p, "settings");
                if (s == null) {
                    throw new RpcError("invalid parameter type for settings");
                }
                for (String k : List.of("baudRate", "dataBits", "stopBits", "parity")) {
                    if (s.get(k) != null && !(s.get(k) instanceof String)) {
                        throw new RpcError("failed to unmarshal JSON into struct: json: cannot unmarshal number into"
                                + " Go struct field SerialSettings." + k + " of type string");
                    }
                }
                serialSettings.add(s);
                return null;
            }
            default:
                throw new IllegalStateException(method);
        }
    }

    private static String str(Map<String, Object> p, String name) throws RpcError {
        if (!(p.get(name) instanceof String s)) {
            throw new RpcError("invalid parameter type for: " + name + ", type: string");
        }
        return s;
    }

    /**
     * {@code jsonrpc.go rpcSetATXPowerAction} (0.4.7) checks no extension: the button lines are written to the shared
     * UART and reach a connected board either way; only the LED reading needs the active ATX extension.
     */
    private Object atx(String action) throws RpcError {
        long ms;
        switch (action) {
            case "power-short" -> ms = 200;
            case "power-long" -> ms = 500;
            case "reset" -> ms = 200;
            default -> throw new RpcError("invalid action: " + action);
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        atxActions.add(action);
        if (atxBoard) {
            if (action.equals("power-short")) {
                machinePower = !machinePower;
            } else if (action.equals("power-long")) {
                machinePower = false;
            }
        }
        return null;
    }

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes 0-0/(\\d+)");

    private Object mount(String url, String mode) throws RpcError {
        if (mounted != null) {
            throw new RpcError("another virtual media is already mounted");
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("Range", "bytes=0-0").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new RpcError("failed to use http url: " + e);
        }
        String cr = r.headers().firstValue("Content-Range").orElse("");
        rangeProbes.add(r.statusCode() + " " + cr);
        Matcher m = CONTENT_RANGE.matcher(cr);
        if (r.statusCode() != 206 || !m.matches() || r.body().length != 1) {
            throw new RpcError("failed to use http url: the server did not answer the range request"
                    + " (HTTP " + r.statusCode() + ")");
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("source", "HTTP");
        state.put("mode", mode);
        state.put("url", url);
        state.put("size", Long.parseLong(m.group(1)));
        mounted = state;
        return null;
    }
}
