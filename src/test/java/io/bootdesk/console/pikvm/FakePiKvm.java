package io.bootdesk.console.pikvm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bootdesk.console.client.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A PiKVM kvmd HTTP API on loopback, written from the documentation and the daemon's request handling:
 * <ul>
 *   <li>{@code pikvm/pikvm docs/api.md} (commit 0f900880…, published at docs.pikvm.org/api): routes under
 *       {@code /api}, replies {@code {"ok": true, "result": {…}}}; {@code /api/atx}, {@code /api/atx/power?action=
 *       on|off|off_hard|reset_hard[&wait=1]}; {@code /api/hid/events/send_key?key=…[&state=…]};
 *       {@code /api/msd}, {@code write_remote}, {@code set_params}, {@code set_connected};
 *       {@code /api/streamer/snapshot[?preview=1&preview_max_width=…&preview_max_height=…]} → image/jpeg.</li>
 *   <li>{@code pikvm/kvmd} source (2024, GPL — facts only, nothing copied): {@code kvmd/apps/kvmd/api/auth.py}
 *       (X-KVMD-User/X-KVMD-Passwd or Basic; wrong credentials → 403 ForbiddenError, none → 401
 *       UnauthorizedError), {@code kvmd/htserver.py} (IsBusyError → 409, ValidatorError/OperationError → 400,
 *       errors as {@code {"ok": false, "result": {"error": <class>, "error_msg": <text>}}}; NDJSON streaming
 *       {@code stream_json} lines ending in CRLF), {@code kvmd/apps/kvmd/api/msd.py} @ 042930fa (write_remote
 *       downloads the URL itself and streams {@code {"image": {"name","size","written"}}} progress),
 *       {@code kvmd/apps/kvmd/api/hid.py} (send_key without {@code state} = press and release),
 *       {@code kvmd/plugins/msd/__init__.py} (MsdIsBusyError "Performing another MSD operation, please try again
 *       later"), {@code kvmd/apps/kvmd/api/streamer.py} (503 UnavailableError without a signal).</li>
 * </ul>
 */
public final class FakePiKvm implements AutoCloseable {

    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0,
        1, 1, 0, 0, 1, 0, 1, 0, 0, (byte) 0xFF, (byte) 0xD9};
    static final byte[] PREVIEW = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDB, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};
    private static final Set<String> KEYS = Set.of("F1", "F2", "F8", "F10", "F11", "F12", "Enter", "Escape",
            "Delete", "ArrowUp", "ArrowDown", "Tab", "KeyA", "KeyB");
    private static final Set<String> MODIFIERS = Set.of("ControlLeft", "AltLeft", "ShiftLeft", "MetaLeft");

    record Request(String method, String path, Map<String, String> query, Map<String, List<String>> headers) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    final String user;
    final String password;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** "F12 down", "F12 up", ... in the order kvmd would have sent them to the host. */
    public final List<String> keyEvents = new CopyOnWriteArrayList<>();
    /** The ATX power actions received: on, off, off_hard, reset_hard. */
    public final List<String> atxActions = new CopyOnWriteArrayList<>();
    final Map<String, byte[]> storage = new ConcurrentHashMap<>();

    public volatile boolean power = false;
    /**
     * kvmd with {@code kvmd.atx.type: disabled} ({@code kvmd/plugins/atx/disabled.py}): {@code GET /api/atx} says
     * {@code enabled: false} and every power call fails with {@code AtxDisabledError} "ATX is disabled" (an
     * OperationError, so HTTP 400 per {@code kvmd/htserver.py}).
     */
    public volatile boolean atxEnabled = true;
    /** The full-size snapshot; null: a minimal JPEG. Previews are this image scaled down (kvmd's preview). */
    public volatile byte[] screen;
    volatile boolean msdBusy = false;
    /** GET /api/msd says idle, but write_remote finds the MSD busy (a race with another client). */
    volatile boolean busyOnWrite = false;
    volatile boolean signal = true;
    volatile long stallMillis = 0;
    volatile String selectedImage;
    volatile boolean cdrom = true;
    volatile boolean connected = false;

    private final HttpServer server;

    public FakePiKvm(String user, String password) {
        this.user = user;
        this.password = password;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests(String method, String path) {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.method.equals(method) && r.path.equals(path)) {
                out.add(r);
            }
        }
        return out;
    }

    /** How many snapshots were asked for. */
    public int snapshots() {
        return requests("GET", "/api/streamer/snapshot").size();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                q.put(k, v);
            }
        }
        return q;
    }

    private static boolean bool(String v) {
        return v != null && Set.of("1", "true", "yes").contains(v.toLowerCase(java.util.Locale.ROOT));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            Map<String, String> q = query(ex.getRequestURI());
            requests.add(new Request(method, path, q, Map.copyOf(ex.getRequestHeaders())));
            if (stallMillis > 0) {
                try {
                    Thread.sleep(stallMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String xuser = ex.getRequestHeaders().getFirst("X-KVMD-User");
            String basic = ex.getRequestHeaders().getFirst("Authorization");
            if (xuser != null && !xuser.isEmpty()) {
                String xpass = ex.getRequestHeaders().getFirst("X-KVMD-Passwd");
                if (!xuser.equals(user) || !password.equals(xpass)) {
                    error(ex, 403, "ForbiddenError", "Forbidden");
                    return;
                }
            } else if (basic != null && basic.toLowerCase(java.util.Locale.ROOT).startsWith("basic ")) {
                String cred = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
                if (!cred.equals(user + ":" + password)) {
                    error(ex, 403, "ForbiddenError", "Forbidden");
                    return;
                }
            } else {
                error(ex, 401, "UnauthorizedError", "Unauthorized");
                return;
            }
            switch (method + " " + path) {
                case "GET /api/auth/check" -> ok(ex, Map.of());
                case "GET /api/atx" -> ok(ex, Map.of("enabled", atxEnabled, "busy", false,
                        "leds", Map.of("power", atxEnabled && power, "hdd", false)));
                case "POST /api/atx/power" -> atxPower(ex, q);
                case "POST /api/hid/events/send_key" -> sendKey(ex, q);
                case "POST /api/hid/events/send_shortcut" -> sendShortcut(ex, q);
                case "GET /api/msd" -> ok(ex, msdState());
                case "POST /api/msd/write_remote" -> writeRemote(ex, q);
                case "POST /api/msd/set_params" -> setParams(ex, q);
                case "POST /api/msd/set_connected" -> setConnected(ex, q);
                case "GET /api/streamer/snapshot" -> snapshot(ex, q);
                default -> error(ex, 404, "HttpError", "Not Found");
            }
        }
    }

    private void atxPower(HttpExchange ex, Map<String, String> q) throws IOException {
        if (!atxEnabled) {
            error(ex, 400, "AtxDisabledError", "ATX is disabled");
            return;
        }
        String action = q.get("action");
        if (action == null || !Set.of("on", "off", "off_hard", "reset_hard").contains(action)) {
            error(ex, 400, "ValidatorError", "The argument '" + action + "' must be one of [on, off, off_hard, reset_hard]");
            return;
        }
        atxActions.add(action);
        switch (action) {
            case "on" -> power = true;
            case "off", "off_hard" -> power = false;
            default -> { }
        }
        ok(ex, Map.of());
    }

    private void sendKey(HttpExchange ex, Map<String, String> q) throws IOException {
        String key = q.get("key");
        if (key == null || !KEYS.contains(key)) {
            error(ex, 400, "ValidatorError", "The argument '" + key + "' is not a valid keyboard key");
            return;
        }
        if (q.containsKey("state")) {
            keyEvents.add(key + (bool(q.get("state")) ? " down" : " up"));
        } else {
            keyEvents.add(key + " down");
            keyEvents.add(key + " up");
        }
        ok(ex, Map.of());
    }

    /**
     * {@code send_shortcut?keys=A,B,C} ({@code kvmd/apps/kvmd/api/hid.py}): every key must be a known key; they are
     * pressed in order and released in reverse order.
     */
    private void sendShortcut(HttpExchange ex, Map<String, String> q) throws IOException {
        List<String> keys = new ArrayList<>();
        for (String k : q.getOrDefault("keys", "").split(",")) {
            if (!k.isEmpty()) {
                if (!KEYS.contains(k) && !MODIFIERS.contains(k)) {
                    error(ex, 400, "ValidatorError", "The argument '" + k + "' is not a valid keyboard key");
                    return;
                }
                keys.add(k);
            }
        }
        for (String k : keys) {
            keyEvents.add(k + " down");
        }
        for (int i = keys.size() - 1; i >= 0; i--) {
            keyEvents.add(keys.get(i) + " up");
        }
        ok(ex, Map.of());
    }

    private Map<String, Object> msdState() {
        Map<String, Object> images = new LinkedHashMap<>();
        storage.forEach((name, data) -> images.put(name, Map.of("size", data.length, "complete", true)));
        Map<String, Object> drive = new LinkedHashMap<>();
        drive.put("image", selectedImage == null ? null
                : Map.of("name", selectedImage, "size", storage.get(selectedImage).length, "complete", true));
        drive.put("connected", connected);
        drive.put("cdrom", cdrom);
        drive.put("rw", false);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", true);
        m.put("online", true);
        m.put("busy", msdBusy);
        m.put("drive", drive);
        m.put("storage", Map.of("images", images, "parts", Map.of()));
        return m;
    }

    private void writeRemote(HttpExchange ex, Map<String, String> q) throws IOException {
        if (msdBusy || busyOnWrite) {
            error(ex, 409, "MsdIsBusyError", "Performing another MSD operation, please try again later");
            return;
        }
        if (connected) {
            error(ex, 400, "MsdConnectedError", "MSD is connected to Server, but shouldn't for this operation");
            return;
        }
        String url = q.get("url");
        HttpResponse<InputStream> remote;
        try {
            remote = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | IllegalArgumentException e) {
            error(ex, 400, "ClientConnectorError", "Cannot connect to host " + url);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (remote.statusCode() != 200) {
            remote.body().close();
            error(ex, 400, "ClientResponseError", remote.statusCode() + ", message='Not Found', url='" + url + "'");
            return;
        }
        String name = q.getOrDefault("image", "").strip();
        if (name.isEmpty()) {
            name = url.substring(url.lastIndexOf('/') + 1);
        }
        long size = remote.headers().firstValueAsLong("Content-Length").orElse(-1);
        msdBusy = true;
        try (InputStream in = remote.body()) {
            ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            streamJson(out, true, Map.of("image", Map.of("name", name, "size", size, "written", 0)));
            java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                data.write(buf, 0, n);
                streamJson(out, true, Map.of("image", Map.of("name", name, "size", size, "written", data.size())));
            }
            storage.put(name, data.toByteArray());
            streamJson(out, true, Map.of("image", Map.of("name", name, "size", size, "written", data.size())));
        } finally {
            msdBusy = false;
        }
    }

    private void setParams(HttpExchange ex, Map<String, String> q) throws IOException {
        if (connected) {
            error(ex, 400, "MsdConnectedError", "MSD is connected to Server, but shouldn't for this operation");
            return;
        }
        String image = q.get("image");
        if (image != null) {
            if (!storage.containsKey(image)) {
                error(ex, 400, "MsdUnknownImageError", "The image is not found in the storage");
                return;
            }
            selectedImage = image;
        }
        if (q.containsKey("cdrom")) {
            cdrom = bool(q.get("cdrom"));
        }
        ok(ex, Map.of());
    }

    private void setConnected(HttpExchange ex, Map<String, String> q) throws IOException {
        boolean want = bool(q.get("connected"));
        if (want && selectedImage == null) {
            error(ex, 400, "MsdImageNotSelected", "Image is not selected");
            return;
        }
        if (want == connected) {
            error(ex, 400, want ? "MsdConnectedError" : "MsdDisconnectedError",
                    want ? "MSD is connected to Server, but shouldn't for this operation"
                            : "MSD is disconnected from Server, but should be for this operation");
            return;
        }
        connected = want;
        ok(ex, Map.of());
    }

    private void snapshot(HttpExchange ex, Map<String, String> q) throws IOException {
        if (!signal) {
            error(ex, 503, "UnavailableError", "Service Unavailable");
            return;
        }
        byte[] full = screen;
        byte[] body = full == null ? (bool(q.get("preview")) ? PREVIEW : JPEG)
                : bool(q.get("preview")) ? preview(full, Integer.parseInt(q.getOrDefault("preview_max_width", "0")),
                        Integer.parseInt(q.getOrDefault("preview_max_height", "0"))) : full;
        ex.getResponseHeaders().add("Content-Type", "image/jpeg");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    /** Scales the JPEG down to fit (never up), as kvmd's preview does. */
    static byte[] preview(byte[] jpeg, int maxW, int maxH) throws IOException {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
        double f = Math.min(maxW > 0 ? (double) maxW / img.getWidth() : 1, maxH > 0 ? (double) maxH / img.getHeight() : 1);
        if (f >= 1) {
            return jpeg;
        }
        int w = Math.max(1, (int) Math.round(img.getWidth() * f));
        int h = Math.max(1, (int) Math.round(img.getHeight() * f));
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return jpeg(out);
    }

    /** A JPEG of {@code img} (ImageIO). */
    public static byte[] jpeg(java.awt.image.BufferedImage img) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        if (!javax.imageio.ImageIO.write(img, "jpg", b)) {
            throw new IOException("no JPEG writer");
        }
        return b.toByteArray();
    }

    private static void streamJson(OutputStream out, boolean ok, Map<String, Object> result) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", ok);
        doc.put("result", result);
        out.write((Json.write(doc) + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void ok(HttpExchange ex, Map<String, Object> result) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", true);
        doc.put("result", result);
        send(ex, 200, Json.write(doc));
    }

    private void error(HttpExchange ex, int status, String error, String msg) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", false);
        doc.put("result", Map.of("error", error, "error_msg", msg));
        send(ex, status, Json.write(doc));
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }
}
