package io.bootdesk.console.pikvm;

import io.bootdesk.console.pikvm.PiKvmException.Kind;
import io.bootdesk.console.client.Json;
import io.bootdesk.console.client.PinnedTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a PiKVM or GL.iNet Comet through kvmd's HTTP API (all under {@code /api}, replies
 * {@code {"ok": true|false, "result": {…}}}), as documented in {@code pikvm/pikvm docs/api.md} and implemented
 * in {@code pikvm/kvmd kvmd/apps/kvmd/api/{auth,atx,hid,msd,streamer}.py}.
 *
 * <p>Authentication is per request with {@code X-KVMD-User} / {@code X-KVMD-Passwd} (no session, so nothing to
 * expire or log out). With TOTP two-factor auth the caller appends the current code to the password.
 * Not thread-safe in the sense of concurrent MSD operations; kvmd itself refuses those as busy.
 */
public final class PiKvmClient {

    private static final Logger log = LoggerFactory.getLogger(PiKvmClient.class);

    /** {@code POST /api/atx/power?action=…}: on is a no-op when already on, off a short press, off_hard a long one. */
    public enum PowerAction {
        ON("on"), OFF("off"), OFF_HARD("off_hard"), RESET_HARD("reset_hard");

        private final String wire;

        PowerAction(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /**
     * Connection settings of one binding.
     *
     * @param baseUri          scheme, host and port of the KVM, e.g. {@code https://10.0.0.7}
     * @param trustedSha256    the SHA-256 certificate fingerprint the operator confirmed, or null for PKIX
     * @param transferTimeout  how long kvmd may take to start streaming a remote image download
     */
    public record Config(URI baseUri, String user, String password, String trustedSha256,
                         Duration connectTimeout, Duration readTimeout, Duration transferTimeout) {
        public Config {
            Objects.requireNonNull(baseUri, "baseUri");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(30) : readTimeout;
            transferTimeout = transferTimeout == null ? Duration.ofMinutes(2) : transferTimeout;
        }

        public static Config of(URI baseUri, String user, String password) {
            return new Config(baseUri, user, password, null, null, null, null);
        }

        public Config withTrustedSha256(String fp) {
            return new Config(baseUri, user, password, fp, connectTimeout, readTimeout, transferTimeout);
        }

        public Config withTimeouts(Duration connect, Duration read) {
            return new Config(baseUri, user, password, trustedSha256, connect, read, transferTimeout);
        }

        @Override
        public String toString() {
            return "Config[" + baseUri + ", user=" + user + "]";
        }
    }

    /** The parts of {@code GET /api/msd} BootDesk looks at. */
    public record MsdState(boolean enabled, boolean online, boolean busy, boolean connected, String image,
                           boolean cdrom) {
    }

    /** Progress of a remote image download as kvmd streams it. */
    public record Progress(String image, long size, long written) {
    }

    private final Config config;
    private final HttpClient http;
    private final PinnedTls tls;
    private final String base;

    public PiKvmClient(Config config) {
        this.config = config;
        this.tls = PinnedTls.create(config.trustedSha256());
        this.http = tls.httpClient(config.connectTimeout());
        this.base = PinnedTls.base(config.baseUri());
    }

    /** {@code GET /api/auth/check}: succeeds when the credentials are accepted. */
    public void checkLogin() throws PiKvmException {
        call("GET", "/api/auth/check", Map.of(), "check the login");
    }

    /** {@code POST /api/atx/power?action=…&wait=1}. */
    public void power(PowerAction action) throws PiKvmException {
        call("POST", "/api/atx/power", ordered("action", action.wire(), "wait", "1"), "power " + action.wire());
        log.info("PiKVM {}: ATX power {}", base, action.wire());
    }

    /** Whether the power LED is lit ({@code GET /api/atx} → {@code leds.power}). */
    public boolean poweredOn() throws PiKvmException {
        return Json.bool(call("GET", "/api/atx", Map.of(), "read the ATX state"), "leds", "power");
    }

    /**
     * Presses and releases one key ({@code POST /api/hid/events/send_key?key=…}; names are the JavaScript
     * {@code KeyboardEvent.code} names of kvmd's keymap, e.g. {@code F12}, {@code Enter}, {@code Delete}).
     */
    public void pressKey(String key) throws PiKvmException {
        call("POST", "/api/hid/events/send_key", ordered("key", key), "press " + key);
    }

    /**
     * Presses keys together and releases them ({@code POST /api/hid/events/send_shortcut?keys=ControlLeft,KeyB}),
     * e.g. a modifier chord; names as for {@link #pressKey}.
     */
    public void sendShortcut(java.util.List<String> keys) throws PiKvmException {
        call("POST", "/api/hid/events/send_shortcut", ordered("keys", String.join(",", keys)),
                "press " + String.join("+", keys));
    }

    /** {@code GET /api/atx}: {@code enabled} is false when no ATX board is configured; {@code power} is the LED. */
    public record AtxState(boolean enabled, boolean busy, boolean power) {
    }

    public AtxState atx() throws PiKvmException {
        Map<String, Object> r = call("GET", "/api/atx", Map.of(), "read the ATX state");
        return new AtxState(!Boolean.FALSE.equals(r.get("enabled")), Json.bool(r, "busy"), Json.bool(r, "leds", "power"));
    }

    /** The KVM's base URI as configured (its web UI). */
    public URI baseUri() {
        return URI.create(base);
    }

    public MsdState msdState() throws PiKvmException {
        Map<String, Object> r = call("GET", "/api/msd", Map.of(), "read the virtual media state");
        return new MsdState(Json.bool(r, "enabled"), Json.bool(r, "online"), Json.bool(r, "busy"),
                Json.bool(r, "drive", "connected"), Json.string(r, "drive", "image", "name"),
                Json.bool(r, "drive", "cdrom"));
    }

    /**
     * Makes kvmd download {@code url} into its storage as {@code imageName} (skipped when a complete image of
     * that name is already there), selects it as a CD-ROM or flash drive and connects it to the host:
     * {@code write_remote} (NDJSON progress stream), {@code set_params}, {@code set_connected=1}.
     */
    public void mountFromUrl(URI url, String imageName, boolean cdrom, Consumer<Progress> progress)
            throws PiKvmException {
        Map<String, Object> state = call("GET", "/api/msd", Map.of(), "read the virtual media state");
        if (!Json.bool(state, "enabled")) {
            throw new PiKvmException(Kind.REFUSED, "Virtual media (MSD) is disabled on the KVM at " + base + ".",
                    null, null, null);
        }
        if (Json.bool(state, "busy")) {
            throw busy("mount " + imageName, null);
        }
        if (Json.bool(state, "drive", "connected")) {
            setConnected(false);
        }
        Map<String, Object> images = Json.object(state, "storage", "images");
        boolean present = images != null && images.get(imageName) instanceof Map<?, ?> info
                && !Boolean.FALSE.equals(info.get("complete"));
        if (!present) {
            download(url, imageName, progress);
        }
        call("POST", "/api/msd/set_params", ordered("image", imageName, "cdrom", cdrom ? "1" : "0"),
                "select the image " + imageName);
        setConnected(true);
        log.info("PiKVM {}: {} mounted as {} from {}", base, imageName, cdrom ? "CD-ROM" : "flash drive", url);
    }

    /** {@code POST /api/msd/set_connected?connected=0|1}. */
    public void setConnected(boolean connected) throws PiKvmException {
        call("POST", "/api/msd/set_connected", ordered("connected", connected ? "1" : "0"),
                (connected ? "connect" : "disconnect") + " the virtual media");
    }

    /**
     * A JPEG of the screen ({@code GET /api/streamer/snapshot}); with {@code maxWidth > 0} a preview of at
     * most that size ({@code preview=1&preview_max_width=…&preview_max_height=…}).
     */
    public byte[] snapshot(int maxWidth, int maxHeight) throws PiKvmException {
        Map<String, String> q = maxWidth > 0 || maxHeight > 0
                ? ordered("preview", "1", "preview_max_width", Integer.toString(maxWidth),
                        "preview_max_height", Integer.toString(maxHeight))
                : Map.of();
        HttpResponse<byte[]> r = exchange("GET", "/api/streamer/snapshot", q, config.readTimeout(),
                HttpResponse.BodyHandlers.ofByteArray());
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (r.statusCode() == 200 && type.startsWith("image/jpeg")) {
            return r.body();
        }
        if (r.statusCode() == 503) {
            throw new PiKvmException(Kind.NO_SIGNAL, "The KVM at " + base + " has no video signal to take a"
                    + " snapshot of (is the host powered on and its display connected?).", "UnavailableError", null, null);
        }
        throw failure(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), "take a snapshot");
    }

    // ---- internals

    private void download(URI url, String imageName, Consumer<Progress> progress) throws PiKvmException {
        Map<String, String> q = ordered("url", url.toString(), "image", imageName,
                "timeout", Long.toString(Math.max(1, config.readTimeout().toSeconds())));
        HttpResponse<InputStream> r = exchange("POST", "/api/msd/write_remote", q, config.transferTimeout(),
                HttpResponse.BodyHandlers.ofInputStream());
        String action = "download " + url + " as " + imageName;
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw failure(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8), action);
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Progress last = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> doc = parse(line, action);
                if (!Json.bool(doc, "ok")) {
                    throw refused(Json.object(doc, "result"), action);
                }
                Map<String, Object> img = Json.object(doc, "result", "image");
                if (img != null) {
                    last = new Progress(Json.string(img, "name"), number(img.get("size")), number(img.get("written")));
                    if (progress != null) {
                        progress.accept(last);
                    }
                }
            }
            if (last == null || last.size() <= 0 || last.written() < last.size()) {
                throw new PiKvmException(Kind.REFUSED, "The KVM at " + base + " stopped before it finished the"
                        + " download of " + url + (last == null ? "." : " (" + last.written() + " of " + last.size()
                        + " bytes)."), null, null, null);
            }
        } catch (IOException e) {
            if (e instanceof PiKvmException p) {
                throw p;
            }
            throw new PiKvmException(Kind.UNREACHABLE, "The connection to the KVM at " + base
                    + " broke during the download of " + url + ".", null, null, e);
        }
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : -1;
    }

    private Map<String, Object> call(String method, String path, Map<String, String> query, String action)
            throws PiKvmException {
        HttpResponse<String> r = exchange(method, path, query, config.readTimeout(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw failure(r.statusCode(), r.body(), action);
        }
        Map<String, Object> doc = parse(r.body(), action);
        if (!Json.bool(doc, "ok")) {
            throw refused(Json.object(doc, "result"), action);
        }
        Map<String, Object> result = Json.object(doc, "result");
        return result == null ? Map.of() : result;
    }

    private PiKvmException failure(int status, String body, String action) {
        if (status == 401 || status == 403) {
            return new PiKvmException(Kind.LOGIN, "The KVM at " + base + " rejected the login for user "
                    + config.user() + " (HTTP " + status + "); check the user name and password"
                    + " (with two-factor auth, append the current code to the password).", null, null, null);
        }
        Map<String, Object> doc;
        try {
            doc = Json.parseObject(body);
        } catch (IllegalArgumentException e) {
            return new PiKvmException(Kind.UNREACHABLE, "The KVM at " + base + " could not " + action + " (HTTP "
                    + status + ").", null, null, null);
        }
        return refused(Json.object(doc, "result"), action);
    }

    private PiKvmException refused(Map<String, Object> result, String action) {
        String error = Json.string(result, "error");
        String msg = Json.string(result, "error_msg");
        if (msg != null && !config.password().isEmpty()) {
            msg = msg.replace(config.password(), "****");
        }
        if (error != null && error.endsWith("IsBusyError")) {
            return busy(action, msg);
        }
        return new PiKvmException(Kind.REFUSED, "The KVM at " + base + " refused to " + action
                + (msg == null || msg.isBlank() ? (error == null ? "." : " (" + error + ").") : ": " + msg
                + (msg.endsWith(".") ? "" : ".")), error, null, null);
    }

    private PiKvmException busy(String action, String msg) {
        return new PiKvmException(Kind.BUSY, "The KVM at " + base + " is busy with another operation and could not "
                + action + (msg == null ? "" : " (" + msg + ")") + "; try again when it has finished.",
                "IsBusyError", null, null);
    }

    private Map<String, Object> parse(String body, String action) throws PiKvmException {
        try {
            return Json.parseObject(body);
        } catch (IllegalArgumentException e) {
            throw new PiKvmException(Kind.UNREACHABLE, "The KVM at " + base + " sent an answer that is not kvmd's"
                    + " JSON when asked to " + action + ".", null, null, e);
        }
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private <T> HttpResponse<T> exchange(String method, String path, Map<String, String> query, Duration timeout,
                                         HttpResponse.BodyHandler<T> handler) throws PiKvmException {
        StringBuilder uri = new StringBuilder(base).append(path);
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            uri.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(uri.toString()))
                .timeout(timeout)
                .header("X-KVMD-User", config.user())
                .header("X-KVMD-Passwd", config.password())
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        log.debug("PiKVM {} {}", method, path);
        try {
            return http.send(req, handler);
        } catch (HttpConnectTimeoutException e) {
            throw new PiKvmException(Kind.TIMEOUT, "Could not connect to the KVM at " + base + " within "
                    + seconds(config.connectTimeout()) + ".", null, null, e);
        } catch (HttpTimeoutException e) {
            throw new PiKvmException(Kind.TIMEOUT, "The KVM at " + base + " did not answer " + method + " " + path
                    + " within " + seconds(timeout) + ".", null, null, e);
        } catch (SSLHandshakeException e) {
            String fp = tls.lastSeen();
            if (fp != null) {
                throw new PiKvmException(Kind.UNTRUSTED_CERTIFICATE, "The KVM at " + base
                        + " presented an untrusted TLS certificate with SHA-256 fingerprint " + fp
                        + "; confirm it and save it as this binding's trusted fingerprint.", null, fp, e);
            }
            throw new PiKvmException(Kind.UNREACHABLE, "The TLS handshake with the KVM at " + base + " failed.",
                    null, null, e);
        } catch (ConnectException e) {
            throw new PiKvmException(Kind.UNREACHABLE, "Could not connect to the KVM at " + base
                    + " (connection refused or no route).", null, null, e);
        } catch (IOException e) {
            throw new PiKvmException(Kind.UNREACHABLE, "Talking to the KVM at " + base + " failed: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), null, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PiKvmException(Kind.TIMEOUT, "Interrupted while talking to the KVM at " + base + ".", null, null, e);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
