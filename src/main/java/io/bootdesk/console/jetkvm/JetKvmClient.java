package io.bootdesk.console.jetkvm;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import io.bootdesk.console.ConsoleListener;
import io.bootdesk.console.client.Json;
import io.bootdesk.console.client.PinnedTls;
import io.bootdesk.console.jetkvm.JetKvmException.Kind;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a JetKVM running firmware 0.4.7 (github jetkvm/kvm at bde0a086). The device has no REST API for
 * control: after a cookie login ({@code POST /auth/login-local}) the client opens the signaling WebSocket
 * {@code /webrtc/signaling/client}, negotiates a WebRTC peer connection (offer and answer as base64 of the JSON
 * session description, trickled {@code new-ice-candidate}s) and speaks JSON-RPC 2.0 (named params, numeric ids)
 * over the {@code rpc} data channel; serial-console bytes flow raw over a {@code serial} data channel.
 *
 * <p>One token, one session: every login rotates the device's single token (a browser that logged in earlier
 * gets 401 on its next HTTP call), and every new WebRTC session gets the previous one an
 * {@code otherSessionConnected} notification and is closed about a second later. This client then marks itself
 * {@link #evicted() evicted}: pending and later calls fail with {@link Kind#EVICTED}.
 *
 * <p>{@link #close()} closes the peer connection and the WebSocket but does not log out: {@code POST /auth/logout}
 * would clear the one token the device keeps, which is the token a browser tab of the operator may hold too (the
 * last login wins), so logging out could throw the operator's own browser out instead of merely ending our session.
 *
 * <p>Thread-safe for concurrent calls; callbacks from libwebrtc run on its signaling thread and only complete futures.
 */
public final class JetKvmClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JetKvmClient.class);
    private static final Pattern VERSION = Pattern.compile("DEVICE_VERSION[\"']?\\s*[:=]\\s*[\"']([^\"']+)[\"']");
    static final String EVICTED_MESSAGE = "another JetKVM session (a browser tab?) took over; a JetKVM allows one"
            + " session at a time";

    /**
     * Connection settings of one binding.
     *
     * @param baseUri       {@code http://host[:port]} or {@code https://…} of the device
     * @param password      the device's local password, or null when it runs in noPassword mode
     * @param trustedSha256 the confirmed certificate fingerprint for HTTPS, or null for PKIX
     * @param readTimeout   per HTTP request, per signaling step and per JSON-RPC call
     */
    public record Config(URI baseUri, String password, String trustedSha256, Duration connectTimeout,
                         Duration readTimeout) {
        public Config {
            Objects.requireNonNull(baseUri, "baseUri");
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(15) : readTimeout;
        }

        public static Config of(URI baseUri, String password) {
            return new Config(baseUri, password, null, null, null);
        }

        public Config withTrustedSha256(String fp) {
            return new Config(baseUri, password, fp, connectTimeout, readTimeout);
        }

        public Config withTimeouts(Duration connect, Duration read) {
            return new Config(baseUri, password, trustedSha256, connect, read);
        }

        @Override
        public String toString() {
            return "Config[" + baseUri + (password == null ? ", noPassword" : "") + "]";
        }
    }

    /** {@code getATXState}: the power and HDD LEDs as the ATX extension reads them. */
    public record AtxState(boolean power, boolean hdd) {
    }

    /** The base URI for an address: {@code host}, {@code host:port} or a URL; plain http when no scheme is given. */
    public static URI baseUri(String address) {
        String a = address.strip();
        if (!a.contains("://")) {
            a = "http://" + a;
        }
        URI u = URI.create(a);
        if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
            throw new IllegalArgumentException("a JetKVM address is host, host:port or an http(s) URL (got '"
                    + address + "')");
        }
        return URI.create(u.getScheme() + "://" + u.getRawAuthority());
    }

    private final Config config;
    private final PinnedTls tls;
    private final HttpClient http;
    private final String base;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
    private final List<java.util.function.BiConsumer<String, Object>> eventListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile String token;
    private volatile WebSocket ws;
    private volatile RTCPeerConnection pc;
    private volatile RTCDataChannel rpc;
    private volatile RTCDataChannel serial;
    private volatile ConsoleListener serialListener;
    private volatile String deviceVersion;
    private volatile boolean evicted;
    private volatile String endedReason;
    private volatile boolean closed;
    private final CompletableFuture<RTCSessionDescription> answer = new CompletableFuture<>();
    private final CompletableFuture<Void> metadata = new CompletableFuture<>();
    private final List<RTCIceCandidate> earlyRemote = new ArrayList<>();
    private boolean remoteSet;
    /** Our ICE candidates gathered before the offer went out (the device only accepts them after the offer). */
    private final List<Map<String, Object>> earlyLocal = new ArrayList<>();
    private boolean offerSent;
    /** The JDK WebSocket allows one outstanding send; all signaling goes out in order through this thread. */
    private final java.util.concurrent.ExecutorService signalOut = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "jetkvm-signaling");
                t.setDaemon(true);
                return t;
            });

    public JetKvmClient(Config config) {
        this.config = config;
        this.tls = PinnedTls.create(config.trustedSha256());
        this.http = tls.httpClient(config.connectTimeout());
        this.base = PinnedTls.base(config.baseUri());
    }

    /** The device's web UI (for the system browser). */
    public URI webUi() {
        return URI.create(base + "/");
    }

    // ---- HTTP

    /** {@code GET /device/status} → {@code isSetup}. */
    public boolean isSetup() throws JetKvmException {
        HttpResponse<String> r = send(get("/device/status"), "read the device status");
        if (r.statusCode() != 200) {
            throw unexpected(r.statusCode(), "read the device status");
        }
        return Json.bool(parse(r.body(), "read the device status"), "isSetup");
    }

    /** The firmware version from {@code GET /device/ui-config.js} ({@code DEVICE_VERSION}), or null if absent. */
    public String firmwareVersion() throws JetKvmException {
        HttpResponse<String> r = send(get("/device/ui-config.js"), "read the firmware version");
        if (r.statusCode() != 200) {
            throw unexpected(r.statusCode(), "read the firmware version");
        }
        Matcher m = VERSION.matcher(r.body());
        return m.find() ? m.group(1) : null;
    }

    /**
     * {@code POST /auth/login-local}: keeps the {@code authToken} cookie. Skipped (returns false) when the config has
     * no password (noPassword mode, where the device answers 400 and leaves every route open).
     */
    public boolean login() throws JetKvmException {
        if (config.password() == null) {
            return false;
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/auth/login-local"))
                .timeout(config.readTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("password", config.password()))))
                .build();
        HttpResponse<String> r = send(req, "log in");
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new JetKvmException(Kind.LOGIN, "The JetKVM at " + base + " rejected the password (HTTP "
                    + r.statusCode() + "); check the device's local password.", null);
        }
        if (r.statusCode() == 400) {
            throw new JetKvmException(Kind.LOGIN, "The JetKVM at " + base + " refused the login (HTTP 400: "
                    + redact(errorText(r.body())) + "); if it runs without a password, bind it without one.", null);
        }
        if (r.statusCode() != 200) {
            throw unexpected(r.statusCode(), "log in");
        }
        for (String c : r.headers().allValues("Set-Cookie")) {
            for (String part : c.split(";")) {
                String p = part.trim();
                if (p.startsWith("authToken=")) {
                    token = p.substring("authToken=".length());
                }
            }
        }
        if (token == null || token.isEmpty()) {
            throw new JetKvmException(Kind.UNREACHABLE, "The JetKVM at " + base + " accepted the login but sent no"
                    + " authToken cookie; is this a JetKVM?", null);
        }
        log.info("JetKVM {}: logged in", base);
        return true;
    }

    /** {@code GET /device} (protected): checks that the cookie (or noPassword mode) is accepted; returns deviceId. */
    public String checkLogin() throws JetKvmException {
        HttpResponse<String> r = send(withCookie(HttpRequest.newBuilder(URI.create(base + "/device")))
                .timeout(config.readTimeout()).GET().build(), "check the login");
        if (r.statusCode() == 401) {
            throw new JetKvmException(Kind.LOGIN, "The JetKVM at " + base + " no longer accepts this login (HTTP 401);"
                    + " another login (a browser?) replaced the device's single token.", null);
        }
        if (r.statusCode() != 200) {
            throw unexpected(r.statusCode(), "check the login");
        }
        return Json.string(parse(r.body(), "check the login"), "deviceId");
    }

    // ---- session

    /**
     * Logs in (unless noPassword), opens the signaling WebSocket, negotiates the peer connection and waits until the
     * {@code rpc} data channel is open. A failed connect closes this client (make a new one to try again).
     *
     * <p>The offer carries only the data channels (one {@code m=application} section). The browser UI also adds a
     * receive-only video transceiver; webrtc-java 0.14.0 can only add a transceiver with a local track, and BootDesk
     * does not decode the H.264 stream, so none is offered: the device's pion stack answers only the sections
     * offered and its video track stays unnegotiated. Not tried against a real JetKVM; if one refuses such an offer,
     * add a receive-only video transceiver here.
     */
    public synchronized void connect() throws JetKvmException {
        if (rpc != null) {
            return;
        }
        if (token == null) {
            login();
        }
        try {
            open();
        } catch (JetKvmException e) {
            close();
            throw e;
        }
        log.info("JetKVM {}: session open (firmware {})", base, deviceVersion);
    }

    private void open() throws JetKvmException {
        var factory = WebRtc.factory();
        String wsBase = base.replaceFirst("^http", "ws");
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(config.connectTimeout());
        if (token != null) {
            b.header("Cookie", "authToken=" + token);
        }
        try {
            ws = b.buildAsync(URI.create(wsBase + "/webrtc/signaling/client"), new Signaling())
                    .get(config.connectTimeout().plus(config.readTimeout()).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new JetKvmException(Kind.TIMEOUT, "Could not open the signaling WebSocket of the JetKVM at " + base
                    + " within " + seconds(config.connectTimeout().plus(config.readTimeout())) + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JetKvmException(Kind.TIMEOUT, "Interrupted while connecting to the JetKVM at " + base + ".", e);
        } catch (ExecutionException e) {
            throw wsFailure(e.getCause());
        }
        CompletableFuture<Void> open = new CompletableFuture<>();
        pc = factory.createPeerConnection(WebRtc.configuration(), new Peer());
        RTCDataChannelInit init = new RTCDataChannelInit();
        rpc = pc.createDataChannel("rpc", init);
        rpc.registerObserver(new Channel(rpc, open, false));
        CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
        pc.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription d) {
                offer.complete(d);
            }

            @Override
            public void onFailure(String error) {
                offer.completeExceptionally(new IllegalStateException(error));
            }
        });
        RTCSessionDescription local = await(offer, "create the WebRTC offer");
        await(setDescription(local, true), "apply the WebRTC offer");
        await(metadata, "receive the device metadata on the signaling WebSocket");
        String sd = Base64.getEncoder().encodeToString(Json.write(description(local)).getBytes(StandardCharsets.UTF_8));
        sendSignal(Map.of("type", "offer", "data", Map.of("sd", sd)));
        synchronized (earlyLocal) {
            offerSent = true;
            for (Map<String, Object> c : earlyLocal) {
                queueCandidate(c);
            }
            earlyLocal.clear();
        }
        RTCSessionDescription remote = await(answer, "answer the WebRTC offer");
        await(setDescription(remote, false), "apply the WebRTC answer");
        synchronized (earlyRemote) {
            remoteSet = true;
            for (RTCIceCandidate c : earlyRemote) {
                pc.addIceCandidate(c);
            }
            earlyRemote.clear();
        }
        await(open, "open the rpc data channel");
    }

    /** The version the device announced in {@code device-metadata} (null before {@link #connect()}). */
    public String deviceVersion() {
        return deviceVersion;
    }

    /** True once another session took over this one. */
    public boolean evicted() {
        return evicted;
    }

    /** Listens to JSON-RPC notifications (e.g. {@code atxState}, {@code otherSessionConnected}): (method, params). */
    public void onEvent(java.util.function.BiConsumer<String, Object> listener) {
        eventListeners.add(listener);
    }

    /** One JSON-RPC call with the configured timeout; returns the {@code result}. */
    public Object call(String method, Map<String, Object> params) throws JetKvmException {
        return call(method, params, config.readTimeout());
    }

    /** One JSON-RPC call: {@code {"jsonrpc":"2.0","id":N,"method":…,"params":{…}}}; waits up to {@code timeout}. */
    public Object call(String method, Map<String, Object> params, Duration timeout) throws JetKvmException {
        checkUsable();
        connect();
        long id = ids.incrementAndGet();
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("jsonrpc", "2.0");
        req.put("id", id);
        req.put("method", method);
        req.put("params", params == null ? Map.of() : params);
        CompletableFuture<Object> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            checkUsable();
            try {
                rpc.send(new RTCDataChannelBuffer(ByteBuffer.wrap(Json.write(req).getBytes(StandardCharsets.UTF_8)),
                        false));
            } catch (Exception e) {
                throw new JetKvmException(Kind.UNREACHABLE, "Could not send " + method + " to the JetKVM at " + base
                        + " (the rpc data channel is " + rpc.getState().name().toLowerCase() + ").", e);
            }
            try {
                return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new JetKvmException(Kind.TIMEOUT, "The JetKVM at " + base + " did not answer " + method
                        + " within " + seconds(timeout) + ".", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JetKvmException(Kind.TIMEOUT, "Interrupted while waiting for " + method + " from the JetKVM at "
                        + base + ".", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof JetKvmException j) {
                    throw new JetKvmException(j.kind(), j.getMessage(), j.rpcCode(), j.fingerprint(), j);
                }
                throw new JetKvmException(Kind.UNREACHABLE, "The JetKVM at " + base + " failed " + method + ".", e);
            }
        } finally {
            pending.remove(id);
        }
    }

    // ---- methods (jsonrpc.go rpcHandlers)

    public String deviceId() throws JetKvmException {
        return String.valueOf(call("getDeviceID", Map.of()));
    }

    /** {@code setActiveExtension}: {@code atx-power}, {@code dc-power}, {@code serial-console} or "" for none. */
    public void setActiveExtension(String extensionId) throws JetKvmException {
        call("setActiveExtension", Map.of("extensionId", extensionId));
    }

    public String activeExtension() throws JetKvmException {
        Object r = call("getActiveExtension", Map.of());
        return r == null ? "" : String.valueOf(r);
    }

    /** {@code setATXPowerAction}: {@code power-short}, {@code power-long} or {@code reset}. */
    public void atxAction(String action) throws JetKvmException {
        if (!List.of("power-short", "power-long", "reset").contains(action)) {
            throw new IllegalArgumentException("ATX actions are power-short, power-long and reset (got '" + action + "')");
        }
        Duration t = action.equals("power-long") ? config.readTimeout().plusSeconds(6) : config.readTimeout();
        call("setATXPowerAction", Map.of("action", action), t);
        log.info("JetKVM {}: ATX {}", base, action);
    }

    /**
     * Makes {@code atx-power} the active extension if it is not, and then waits for the board's first
     * {@code atxState} line (0.4.7 reads the LEDs only while the ATX extension is active, so {@code getATXState}
     * is stale until then; neither ATX call checks the active extension itself).
     *
     * @throws JetKvmException {@link Kind#NO_EXTENSION} when no state arrives within {@code wait}
     */
    public void activateAtx(Duration wait) throws JetKvmException {
        if ("atx-power".equals(activeExtension())) {
            return;
        }
        CompletableFuture<Object> first = new CompletableFuture<>();
        java.util.function.BiConsumer<String, Object> l = (m, p) -> {
            if ("atxState".equals(m)) {
                first.complete(p);
            }
        };
        eventListeners.add(l);
        try {
            setActiveExtension("atx-power");
            first.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new JetKvmException(Kind.NO_EXTENSION, "The JetKVM at " + base + " switched to its ATX extension but"
                    + " the ATX board reported no state within " + seconds(wait) + "; is the ATX extension board"
                    + " connected?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JetKvmException(Kind.TIMEOUT, "Interrupted while waiting for the ATX board.", e);
        } catch (ExecutionException e) {
            throw new JetKvmException(Kind.UNREACHABLE, "Waiting for the ATX board failed.", e);
        } finally {
            eventListeners.remove(l);
        }
        log.info("JetKVM {}: ATX extension active", base);
    }

    /**
     * Waits until the ATX board reports the power LED as {@code on} (an {@code atxState} event, or
     * {@code getATXState} already saying so); false when {@code wait} passes first.
     */
    public boolean awaitPower(boolean on, Duration wait) throws JetKvmException {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        java.util.function.BiConsumer<String, Object> l = (m, p) -> {
            if ("atxState".equals(m) && Json.bool(p, "power") == on) {
                seen.complete(p);
            }
        };
        eventListeners.add(l);
        try {
            if (atxState().power() == on) {
                return true;
            }
            seen.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JetKvmException(Kind.TIMEOUT, "Interrupted while waiting for the power LED.", e);
        } catch (ExecutionException e) {
            throw new JetKvmException(Kind.UNREACHABLE, "Waiting for the power LED failed.", e);
        } finally {
            eventListeners.remove(l);
        }
    }

    /** {@code getATXState}; meaningful only while the ATX extension is active (see {@link #activateAtx}). */
    public AtxState atxState() throws JetKvmException {
        Object r = call("getATXState", Map.of());
        return new AtxState(Json.bool(r, "power"), Json.bool(r, "hdd"));
    }

    /** {@code getDCPowerState} → {@code isOn} (DC power extension). */
    public boolean dcPowerOn() throws JetKvmException {
        return Json.bool(call("getDCPowerState", Map.of()), "isOn");
    }

    public void setDcPower(boolean on) throws JetKvmException {
        call("setDCPowerState", Map.of("enabled", on));
    }

    /** Presses and releases a chord: {@code keyboardReport} with the keys, then with none (see {@link HidKeys}). */
    public void pressKeys(String chord) throws JetKvmException {
        HidKeys.Chord c = HidKeys.parse(chord);
        call("keyboardReport", Map.of("modifier", c.modifier(), "keys", new ArrayList<Object>(c.keys())));
        call("keyboardReport", Map.of("modifier", 0, "keys", List.of()));
    }

    /** {@code mountWithHTTP}: the device fetches {@code url} itself with HTTP Range requests. */
    public void mountWithHttp(URI url, boolean cdrom) throws JetKvmException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("url", url.toString());
        p.put("mode", cdrom ? "CDROM" : "Disk");
        call("mountWithHTTP", p);
        log.info("JetKVM {}: mounted {} as {}", base, url, cdrom ? "CD-ROM" : "disk");
    }

    public void unmountImage() throws JetKvmException {
        call("unmountImage", Map.of());
    }

    /** {@code getVirtualMediaState}: null when nothing is mounted, else the device's description (source, mode, url…). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> virtualMediaState() throws JetKvmException {
        return call("getVirtualMediaState", Map.of()) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /**
     * Activates the serial-console extension, applies the settings ({@code setSerialSettings}, every value a string
     * as 0.4.7 expects) and opens the {@code serial} data channel; UART output reaches {@code listener}.
     */
    public void openSerial(int baud, int dataBits, String stopBits, String parity, ConsoleListener listener)
            throws JetKvmException {
        setActiveExtension("serial-console");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("baudRate", Integer.toString(baud));
        s.put("dataBits", Integer.toString(dataBits));
        s.put("stopBits", stopBits);
        s.put("parity", parity);
        call("setSerialSettings", Map.of("settings", s));
        serialListener = listener;
        CompletableFuture<Void> open = new CompletableFuture<>();
        RTCDataChannel ch = pc.createDataChannel("serial", new RTCDataChannelInit());
        ch.registerObserver(new Channel(ch, open, true));
        if (ch.getState() == RTCDataChannelState.OPEN) {
            open.complete(null);
        }
        serial = ch;
        await(open, "open the serial data channel");
    }

    /** Writes raw bytes to the machine's UART through the {@code serial} channel. */
    public void writeSerial(byte[] data) throws JetKvmException {
        checkUsable();
        RTCDataChannel ch = serial;
        if (ch == null) {
            throw new IllegalStateException("openSerial first");
        }
        try {
            ch.send(new RTCDataChannelBuffer(ByteBuffer.wrap(data.clone()), true));
        } catch (Exception e) {
            throw new JetKvmException(Kind.UNREACHABLE, "Could not write to the serial console of the JetKVM at "
                    + base + ".", e);
        }
    }

    /** Closes the data channels, the peer connection and the WebSocket; does not log out (see the class comment). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        failPending(new JetKvmException(Kind.UNREACHABLE, "The session with the JetKVM at " + base + " was closed.",
                null));
        RTCPeerConnection p = pc;
        if (p != null) {
            try {
                p.close();
            } catch (RuntimeException e) {
                log.debug("JetKVM {}: closing the peer connection: {}", base, e.toString());
            }
        }
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        }
        signalOut.shutdownNow();
        ConsoleListener l = serialListener;
        if (l != null) {
            l.ended(null);
        }
    }

    // ---- internals

    private void checkUsable() throws JetKvmException {
        if (evicted) {
            throw evictedException();
        }
        if (closed) {
            throw new JetKvmException(Kind.UNREACHABLE, "The session with the JetKVM at " + base + " is closed"
                    + (endedReason == null ? "." : ": " + endedReason), null);
        }
    }

    private JetKvmException evictedException() {
        return new JetKvmException(Kind.EVICTED, "The JetKVM at " + base + " dropped this session: " + EVICTED_MESSAGE
                + ".", null);
    }

    private void failPending(JetKvmException e) {
        for (CompletableFuture<Object> f : pending.values()) {
            f.completeExceptionally(e);
        }
        answer.completeExceptionally(e);
        metadata.completeExceptionally(e);
    }

    private void onRpcMessage(String text) {
        Map<String, Object> m;
        try {
            m = Json.parseObject(text);
        } catch (IllegalArgumentException e) {
            log.warn("JetKVM {}: ignoring a malformed rpc message", base);
            return;
        }
        Object id = m.get("id");
        if (id == null) {
            String method = Json.string(m, "method");
            if ("otherSessionConnected".equals(method)) {
                evicted = true;
                log.warn("JetKVM {}: {}", base, EVICTED_MESSAGE);
                failPending(evictedException());
            }
            for (var l : eventListeners) {
                l.accept(method, m.get("params"));
            }
            return;
        }
        long key = id instanceof BigDecimal d ? d.longValue() : -1;
        CompletableFuture<Object> f = pending.get(key);
        if (f == null) {
            return;
        }
        Map<String, Object> err = Json.object(m, "error");
        if (err != null) {
            Object code = err.get("code");
            Integer c = code instanceof BigDecimal d ? d.intValue() : null;
            String msg = Json.string(err, "message");
            Object data = err.get("data");
            String detail = data == null ? msg : (msg == null ? "" : msg + ": ") + (data instanceof String s ? s
                    : Json.write(data));
            f.completeExceptionally(new JetKvmException(Kind.REFUSED, "The JetKVM at " + base + " refused the request ("
                    + redact(detail) + (c == null ? "" : ", JSON-RPC error " + c) + ").", c, null, null));
        } else {
            f.complete(m.get("result"));
        }
    }

    private void ended(String reason) {
        if (closed) {
            return;
        }
        endedReason = reason;
        closed = true;
        failPending(evicted ? evictedException() : new JetKvmException(Kind.UNREACHABLE, "The session with the JetKVM at "
                + base + " ended: " + reason, null));
        ConsoleListener l = serialListener;
        if (l != null) {
            l.ended(evicted ? EVICTED_MESSAGE : reason);
        }
    }

    private final class Signaling implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            webSocket.request(1);
            if (last) {
                String msg = text.toString();
                text.setLength(0);
                onSignal(webSocket, msg);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            metadata.completeExceptionally(new JetKvmException(Kind.UNREACHABLE, "The JetKVM at " + base
                    + " closed the signaling WebSocket (" + statusCode + ").", null));
            answer.completeExceptionally(new JetKvmException(Kind.UNREACHABLE, "The JetKVM at " + base
                    + " closed the signaling WebSocket (" + statusCode + ").", null));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            log.debug("JetKVM {}: signaling error {}", base, error.toString());
            metadata.completeExceptionally(new JetKvmException(Kind.UNREACHABLE, "The signaling WebSocket of the JetKVM"
                    + " at " + base + " failed.", error));
        }
    }

    private void onSignal(WebSocket w, String msg) {
        if (msg.equals("ping")) {
            w.sendText("pong", true);
            return;
        }
        if (msg.equals("pong")) {
            return;
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(msg);
        } catch (IllegalArgumentException e) {
            log.warn("JetKVM {}: ignoring a malformed signaling message", base);
            return;
        }
        String type = Json.string(m, "type");
        if (type == null && m.containsKey("error")) {
            // cloud.go handleSessionRequest writes {"error": err} when newSession or ExchangeOffer fails
            answer.completeExceptionally(new JetKvmException(Kind.REFUSED, "The JetKVM at " + base
                    + " could not accept the WebRTC offer (" + redact(Json.write(m.get("error"))) + ").", null));
        } else if ("device-metadata".equals(type)) {
            deviceVersion = Json.string(m, "data", "deviceVersion");
            metadata.complete(null);
        } else if ("answer".equals(type)) {
            try {
                String json = new String(Base64.getDecoder().decode(Json.string(m, "data")), StandardCharsets.UTF_8);
                answer.complete(new RTCSessionDescription(RTCSdpType.ANSWER, Json.string(Json.parseObject(json), "sdp")));
            } catch (RuntimeException e) {
                answer.completeExceptionally(new JetKvmException(Kind.UNREACHABLE, "The JetKVM at " + base
                        + " sent an answer that is not a base64 JSON session description.", e));
            }
        } else if ("new-ice-candidate".equals(type)) {
            Map<String, Object> c = Json.object(m, "data");
            String cand = Json.string(c, "candidate");
            if (cand == null || cand.isEmpty()) {
                return;
            }
            Object idx = Json.at(c, "sdpMLineIndex");
            RTCIceCandidate ice = new RTCIceCandidate(Json.string(c, "sdpMid"),
                    idx instanceof BigDecimal d ? d.intValue() : 0, cand);
            synchronized (earlyRemote) {
                if (remoteSet) {
                    pc.addIceCandidate(ice);
                } else {
                    earlyRemote.add(ice);
                }
            }
        }
    }

    private void queueCandidate(Map<String, Object> init) {
        signalOut.execute(() -> {
            try {
                if (!closed) {
                    sendSignal(Map.of("type", "new-ice-candidate", "data", init));
                }
            } catch (JetKvmException e) {
                log.debug("JetKVM {}: could not send an ICE candidate: {}", base, e.getMessage());
            }
        });
    }

    private void sendSignal(Map<String, Object> msg) throws JetKvmException {
        WebSocket w = ws;
        try {
            if (Thread.currentThread().getName().equals("jetkvm-signaling")) {
                w.sendText(Json.write(msg), true).get(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                signalOut.submit(() -> w.sendText(Json.write(msg), true).get(config.readTimeout().toMillis(),
                        TimeUnit.MILLISECONDS)).get(config.readTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JetKvmException(Kind.TIMEOUT, "Interrupted while signaling to the JetKVM at " + base + ".", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new JetKvmException(Kind.UNREACHABLE, "Could not send a signaling message to the JetKVM at " + base
                    + ".", e);
        }
    }

    private final class Peer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate c) {
            Map<String, Object> init = new LinkedHashMap<>();
            init.put("candidate", c.sdp);
            init.put("sdpMid", c.sdpMid);
            init.put("sdpMLineIndex", c.sdpMLineIndex);
            synchronized (earlyLocal) {
                if (offerSent) {
                    queueCandidate(init);
                } else {
                    earlyLocal.add(init);
                }
            }
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            log.debug("JetKVM {}: peer connection {}", base, state);
            if (state == RTCPeerConnectionState.FAILED || state == RTCPeerConnectionState.CLOSED) {
                ended("the WebRTC connection " + state.name().toLowerCase() + ".");
            }
        }
    }

    private final class Channel implements RTCDataChannelObserver {
        private final RTCDataChannel channel;
        private final CompletableFuture<Void> open;
        private final boolean serialChannel;

        Channel(RTCDataChannel channel, CompletableFuture<Void> open, boolean serialChannel) {
            this.channel = channel;
            this.open = open;
            this.serialChannel = serialChannel;
        }

        @Override
        public void onBufferedAmountChange(long previousAmount) {
        }

        @Override
        public void onStateChange() {
            RTCDataChannelState s = channel.getState();
            if (s == RTCDataChannelState.OPEN) {
                open.complete(null);
            } else if (s == RTCDataChannelState.CLOSED) {
                open.completeExceptionally(new JetKvmException(Kind.UNREACHABLE, "The JetKVM at " + base
                        + " closed the " + channel.getLabel() + " data channel.", null));
                if (!serialChannel) {
                    ended("the device closed the rpc data channel.");
                }
            }
        }

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
            ByteBuffer b = buffer.data;
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            if (serialChannel) {
                ConsoleListener l = serialListener;
                if (l != null) {
                    l.received(bytes);
                }
            } else {
                onRpcMessage(new String(bytes, StandardCharsets.UTF_8));
            }
        }
    }

    private CompletableFuture<Void> setDescription(RTCSessionDescription d, boolean local) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        SetSessionDescriptionObserver o = new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                f.complete(null);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new JetKvmException(Kind.UNREACHABLE, "WebRTC could not apply the "
                        + (local ? "offer" : "JetKVM's answer") + ": " + error, null));
            }
        };
        if (local) {
            pc.setLocalDescription(d, o);
        } else {
            pc.setRemoteDescription(d, o);
        }
        return f;
    }

    private static Map<String, Object> description(RTCSessionDescription d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", d.sdpType == RTCSdpType.OFFER ? "offer" : "answer");
        m.put("sdp", d.sdp);
        return m;
    }

    private <T> T await(CompletableFuture<T> f, String step) throws JetKvmException {
        try {
            return f.get(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new JetKvmException(Kind.TIMEOUT, "The JetKVM at " + base + " did not " + step + " within "
                    + seconds(config.readTimeout()) + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JetKvmException(Kind.TIMEOUT, "Interrupted while waiting to " + step + ".", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JetKvmException j) {
                throw j;
            }
            throw new JetKvmException(Kind.UNREACHABLE, "Could not " + step + " with the JetKVM at " + base + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private JetKvmException wsFailure(Throwable t) {
        if (t instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            if (status == 401) {
                return new JetKvmException(Kind.LOGIN, "The JetKVM at " + base + " refused the WebRTC signaling"
                        + " WebSocket (HTTP 401): the login is no longer valid (another login replaced the device's"
                        + " single token?).", t);
            }
            return new JetKvmException(Kind.UNREACHABLE, "The JetKVM at " + base + " refused the signaling WebSocket"
                    + " (HTTP " + status + ").", t);
        }
        if (t instanceof HttpConnectTimeoutException) {
            return new JetKvmException(Kind.TIMEOUT, "Could not connect to the JetKVM at " + base + " within "
                    + seconds(config.connectTimeout()) + ".", t);
        }
        return new JetKvmException(Kind.UNREACHABLE, "Could not open the signaling WebSocket of the JetKVM at " + base
                + ": " + t, t);
    }

    private HttpRequest get(String path) {
        return withCookie(HttpRequest.newBuilder(URI.create(base + path))).timeout(config.readTimeout()).GET().build();
    }

    private HttpRequest.Builder withCookie(HttpRequest.Builder b) {
        return token == null ? b : b.header("Cookie", "authToken=" + token);
    }

    private HttpResponse<String> send(HttpRequest req, String action) throws JetKvmException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new JetKvmException(Kind.TIMEOUT, "Could not connect to the JetKVM at " + base + " within "
                    + seconds(config.connectTimeout()) + ".", e);
        } catch (HttpTimeoutException e) {
            throw new JetKvmException(Kind.TIMEOUT, "The JetKVM at " + base + " did not answer when asked to " + action
                    + " within " + seconds(config.readTimeout()) + ".", e);
        } catch (SSLHandshakeException e) {
            String fp = tls.lastSeen();
            if (fp != null) {
                throw new JetKvmException(Kind.UNTRUSTED_CERTIFICATE, "The JetKVM at " + base
                        + " presented an untrusted TLS certificate with SHA-256 fingerprint " + fp
                        + "; confirm it and save it as this binding's trusted fingerprint.", null, fp, e);
            }
            throw new JetKvmException(Kind.UNREACHABLE, "The TLS handshake with the JetKVM at " + base + " failed.", e);
        } catch (ConnectException e) {
            throw new JetKvmException(Kind.UNREACHABLE, "Could not connect to the JetKVM at " + base
                    + " (connection refused or no route).", e);
        } catch (IOException e) {
            throw new JetKvmException(Kind.UNREACHABLE, "Talking to the JetKVM at " + base + " failed: "
                    + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JetKvmException(Kind.TIMEOUT, "Interrupted while talking to the JetKVM at " + base + ".", e);
        }
    }

    private JetKvmException unexpected(int status, String action) {
        return new JetKvmException(Kind.UNREACHABLE, "The JetKVM at " + base + " could not " + action + " (HTTP "
                + status + ").", null);
    }

    private Map<String, Object> parse(String body, String action) throws JetKvmException {
        try {
            return Json.parseObject(body);
        } catch (IllegalArgumentException e) {
            throw new JetKvmException(Kind.UNREACHABLE, "The JetKVM at " + base + " sent an answer that is not"
                    + " JetKVM's JSON when asked to " + action + ".", e);
        }
    }

    private static String errorText(String body) {
        try {
            String e = Json.string(Json.parseObject(body), "error");
            return e == null ? body : e;
        } catch (IllegalArgumentException ex) {
            return body;
        }
    }

    private String redact(String s) {
        if (s == null) {
            return "";
        }
        String p = config.password();
        return p == null || p.isEmpty() ? s : s.replace(p, "****");
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
