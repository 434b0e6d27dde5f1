package io.bootdesk.console.redfish;

import io.bootdesk.console.client.PinnedTls;
import io.bootdesk.console.client.Json;
import io.bootdesk.console.redfish.RedfishException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one Redfish ComputerSystem: read it, set a one-time boot override (PXE or UEFI HTTP) and reset it.
 *
 * <p>Follows DMTF Redfish-Publications 2025.4: {@code ComputerSystem.v1_27_0.json} (Boot,
 * BootSourceOverrideEnabled/Target, HttpBootUri since v1_9_0, the Reset action), {@code Resource.json}
 * (ResetType), {@code ActionInfo} for allowable values, and DSP0266 for sessions, ETag/If-Match and the
 * {@code @Message.ExtendedInfo} error body. Authentication is HTTP Basic or a Redfish session
 * ({@code POST /redfish/v1/SessionService/Sessions} then {@code X-Auth-Token}; {@link #close()} deletes it).
 * Not thread-safe; one instance per binding and task.
 */
public final class RedfishClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedfishClient.class);

    /** How to log in. */
    public enum Auth { BASIC, SESSION }

    /** One-time boot targets BootDesk uses. */
    public enum BootTarget {
        PXE("Pxe"), UEFI_HTTP("UefiHttp");

        private final String redfish;

        BootTarget(String redfish) {
            this.redfish = redfish;
        }

        public String redfishName() {
            return redfish;
        }
    }

    /**
     * Connection settings of one binding.
     *
     * @param baseUri         scheme, host and port of the BMC, e.g. {@code https://10.0.0.5}
     * @param systemId        the ComputerSystem id, or null to use the only one under /redfish/v1/Systems
     * @param trustedSha256   the SHA-256 certificate fingerprint the operator confirmed, or null for PKIX
     */
    public record Config(URI baseUri, String user, String password, Auth auth, String systemId,
                         String trustedSha256, Duration connectTimeout, Duration readTimeout) {
        public Config {
            Objects.requireNonNull(baseUri, "baseUri");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            auth = auth == null ? Auth.SESSION : auth;
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(30) : readTimeout;
        }

        public static Config of(URI baseUri, String user, String password) {
            return new Config(baseUri, user, password, Auth.SESSION, null, null, null, null);
        }

        public Config withAuth(Auth a) {
            return new Config(baseUri, user, password, a, systemId, trustedSha256, connectTimeout, readTimeout);
        }

        public Config withSystemId(String id) {
            return new Config(baseUri, user, password, auth, id, trustedSha256, connectTimeout, readTimeout);
        }

        public Config withTrustedSha256(String fp) {
            return new Config(baseUri, user, password, auth, systemId, fp, connectTimeout, readTimeout);
        }

        public Config withTimeouts(Duration connect, Duration read) {
            return new Config(baseUri, user, password, auth, systemId, trustedSha256, connect, read);
        }

        @Override
        public String toString() {
            return "Config[" + baseUri + ", user=" + user + ", auth=" + auth + ", system=" + systemId + "]";
        }
    }

    /**
     * What BootDesk needs to know of a ComputerSystem.
     *
     * @param allowedResetTypes  from {@code ResetType@Redfish.AllowableValues} or the ActionInfo; empty if the
     *                           BMC does not say
     * @param allowedBootTargets from {@code BootSourceOverrideTarget@Redfish.AllowableValues}; empty if unsaid
     * @param httpBootUriSupported whether the Boot object carries {@code HttpBootUri} (ComputerSystem v1_9_0+)
     */
    public record SystemInfo(String path, String id, String powerState, String etag, String resetTarget,
                             List<String> allowedResetTypes, List<String> allowedBootTargets,
                             String bootOverrideEnabled, String bootOverrideTarget,
                             boolean httpBootUriSupported) {
    }

    private final Config config;
    private final HttpClient http;
    private final PinnedTls tls;
    private final URI base;
    private String token;
    private URI sessionUri;
    private String systemPath;

    public RedfishClient(Config config) {
        this.config = config;
        this.tls = PinnedTls.create(config.trustedSha256());
        this.http = tls.httpClient(config.connectTimeout());
        this.base = URI.create(PinnedTls.base(config.baseUri()));
    }

    /** Reads the system (finding it under /redfish/v1/Systems first) with its allowed reset types. */
    public SystemInfo readSystem() throws RedfishException {
        String path = systemPath();
        Response r = send("GET", path, null, null);
        expectOk(r, "read the system");
        Map<String, Object> sys = parse(r, "the system");
        String etag = r.etag != null ? r.etag : Json.string(sys, "@odata.etag");
        Map<String, Object> reset = Json.object(sys, "Actions", "#ComputerSystem.Reset");
        String target = reset == null ? null : Json.string(reset, "target");
        List<String> resetTypes = reset == null ? List.of() : Json.strings(reset, "ResetType@Redfish.AllowableValues");
        if (reset != null && resetTypes.isEmpty() && Json.string(reset, "@Redfish.ActionInfo") != null) {
            resetTypes = actionInfoValues(Json.string(reset, "@Redfish.ActionInfo"), "ResetType");
        }
        Map<String, Object> boot = Json.object(sys, "Boot");
        return new SystemInfo(path, Json.string(sys, "Id"), Json.string(sys, "PowerState"), etag,
                target == null ? path + "/Actions/ComputerSystem.Reset" : target,
                List.copyOf(resetTypes),
                List.copyOf(Json.strings(boot, "BootSourceOverrideTarget@Redfish.AllowableValues")),
                Json.string(boot, "BootSourceOverrideEnabled"), Json.string(boot, "BootSourceOverrideTarget"),
                boot != null && boot.containsKey("HttpBootUri"));
    }

    /**
     * Sets a one-time boot override ({@code BootSourceOverrideEnabled=Once}, UEFI mode) to {@code target};
     * for {@link BootTarget#UEFI_HTTP} with {@code httpBootUri} (or null to let DHCP supply the URI).
     * Sends {@code If-Match} with the ETag when the BMC gave one.
     */
    public void setOneTimeBoot(SystemInfo sys, BootTarget target, URI httpBootUri) throws RedfishException {
        String name = target.redfishName();
        if (!sys.allowedBootTargets().isEmpty() && !sys.allowedBootTargets().contains(name)) {
            throw new RedfishException(Kind.UNSUPPORTED, "The BMC does not offer the boot target " + name
                    + " (it allows " + String.join(", ", sys.allowedBootTargets()) + ").");
        }
        if (httpBootUri != null && target != BootTarget.UEFI_HTTP) {
            throw new IllegalArgumentException("an HTTP boot URI goes with UEFI_HTTP only");
        }
        if (httpBootUri != null && !sys.httpBootUriSupported()) {
            throw new RedfishException(Kind.UNSUPPORTED, "The BMC has no Boot.HttpBootUri property"
                    + " (needs ComputerSystem v1_9_0 or later), so it cannot be told to boot from " + httpBootUri
                    + "; leave the URI to DHCP or use PXE.");
        }
        Map<String, Object> boot = new LinkedHashMap<>();
        boot.put("BootSourceOverrideEnabled", "Once");
        boot.put("BootSourceOverrideTarget", name);
        boot.put("BootSourceOverrideMode", "UEFI");
        if (httpBootUri != null) {
            boot.put("HttpBootUri", httpBootUri.toString());
        }
        String body = Json.write(Map.of("Boot", boot));
        Response r = send("PATCH", sys.path(), body, sys.etag());
        if (r.status == 412) {
            throw new RedfishException(Kind.CHANGED, "The BMC refused the boot override because the system"
                    + " changed since it was read (ETag mismatch, HTTP 412); read it again and retry.");
        }
        expectOk(r, "set the one-time boot to " + name);
        log.info("Redfish {}: one-time boot set to {}{}", base, name, httpBootUri == null ? "" : " " + httpBootUri);
    }

    /**
     * Picks the reset type that makes the machine boot now: when it is on, {@code ForceRestart}, then
     * {@code PowerCycle}, {@code GracefulRestart}; when it is off, {@code On}, {@code ForceOn},
     * {@code PushPowerButton}. When the BMC lists no allowable values the first preference is used.
     */
    public static String chooseResetType(SystemInfo sys) throws RedfishException {
        boolean off = "Off".equalsIgnoreCase(sys.powerState());
        List<String> prefs = off ? List.of("On", "ForceOn", "PushPowerButton", "PowerCycle")
                : List.of("ForceRestart", "PowerCycle", "GracefulRestart", "FullPowerCycle");
        if (sys.allowedResetTypes().isEmpty()) {
            return prefs.get(0);
        }
        for (String p : prefs) {
            if (sys.allowedResetTypes().contains(p)) {
                return p;
            }
        }
        throw new RedfishException(Kind.UNSUPPORTED, "The BMC allows none of the reset types that would boot"
                + " this " + (off ? "powered-off" : "running") + " system (it allows "
                + String.join(", ", sys.allowedResetTypes()) + ").");
    }

    /** Resets with {@link #chooseResetType}; returns the type used. */
    public String reset(SystemInfo sys) throws RedfishException {
        String type = chooseResetType(sys);
        reset(sys, type);
        return type;
    }

    /** POSTs the Reset action with {@code type}, which must be allowed when the BMC lists allowed types. */
    public void reset(SystemInfo sys, String type) throws RedfishException {
        if (!sys.allowedResetTypes().isEmpty() && !sys.allowedResetTypes().contains(type)) {
            throw new RedfishException(Kind.UNSUPPORTED, "The BMC does not allow the reset type " + type
                    + " (it allows " + String.join(", ", sys.allowedResetTypes()) + ").");
        }
        Response r = send("POST", sys.resetTarget(), Json.write(Map.of("ResetType", type)), null);
        expectOk(r, "reset the system (" + type + ")");
        log.info("Redfish {}: reset {} sent", base, type);
    }

    /** Logs out of the session, if one was opened; failures are only logged. */
    @Override
    public void close() {
        if (sessionUri != null) {
            try {
                Response r = send("DELETE", sessionUri.toString(), null, null);
                if (r.status >= 300) {
                    log.debug("Redfish {}: logout answered HTTP {}", base, r.status);
                }
            } catch (RedfishException e) {
                log.debug("Redfish {}: logout failed: {}", base, e.getMessage());
            } finally {
                sessionUri = null;
                token = null;
            }
        }
    }

    // ---- discovery

    private String systemPath() throws RedfishException {
        if (systemPath != null) {
            return systemPath;
        }
        Response root = send("GET", "/redfish/v1", null, null);
        expectOk(root, "read the service root");
        String systems = Json.string(parse(root, "the service root"), "Systems", "@odata.id");
        if (systems == null) {
            throw new RedfishException(Kind.UNSUPPORTED, "The Redfish service at " + base + " lists no Systems.");
        }
        Response coll = send("GET", systems, null, null);
        expectOk(coll, "list the systems");
        List<String> members = new ArrayList<>();
        if (Json.at(parse(coll, "the systems"), "Members") instanceof List<?> l) {
            for (Object m : l) {
                String id = Json.string(m, "@odata.id");
                if (id != null) {
                    members.add(id);
                }
            }
        }
        String want = config.systemId();
        if (want != null) {
            for (String m : members) {
                if (m.replaceAll("/+$", "").endsWith("/" + want)) {
                    return systemPath = m;
                }
            }
            throw new RedfishException(Kind.UNSUPPORTED, "The BMC has no system " + want + " (it has "
                    + ids(members) + ").");
        }
        if (members.size() != 1) {
            throw new RedfishException(Kind.UNSUPPORTED, members.isEmpty() ? "The BMC lists no systems."
                    : "The BMC has " + members.size() + " systems (" + ids(members) + "); choose one in the binding.");
        }
        return systemPath = members.get(0);
    }

    private static String ids(List<String> members) {
        List<String> ids = new ArrayList<>();
        for (String m : members) {
            ids.add(m.substring(m.replaceAll("/+$", "").lastIndexOf('/') + 1));
        }
        return String.join(", ", ids);
    }

    private List<String> actionInfoValues(String path, String parameter) throws RedfishException {
        Response r = send("GET", path, null, null);
        if (r.status != 200) {
            return List.of();
        }
        if (Json.at(parse(r, "the action info"), "Parameters") instanceof List<?> params) {
            for (Object p : params) {
                if (parameter.equals(Json.string(p, "Name"))) {
                    return Json.strings(p, "AllowableValues");
                }
            }
        }
        return List.of();
    }

    // ---- HTTP

    private record Response(int status, String body, String etag, HttpResponse<String> raw) {
    }

    private void login() throws RedfishException {
        String body = Json.write(Map.of("UserName", config.user(), "Password", config.password()));
        Response r = exchange("POST", "/redfish/v1/SessionService/Sessions", body, null, false);
        if (r.status == 401 || r.status == 403) {
            throw loginFailed(r.status);
        }
        expectOk(r, "log in");
        token = r.raw.headers().firstValue("X-Auth-Token").orElse(null);
        if (token == null) {
            throw new RedfishException(Kind.UNREACHABLE, "The BMC at " + base
                    + " accepted the login but sent no X-Auth-Token; try Basic authentication.");
        }
        sessionUri = r.raw.headers().firstValue("Location").map(this::resolve).orElse(null);
        log.info("Redfish {}: session opened for {}", base, config.user());
    }

    private Response send(String method, String path, String body, String ifMatch) throws RedfishException {
        boolean fresh = false;
        if (config.auth() == Auth.SESSION && token == null) {
            login();
            fresh = true;
        }
        Response r = exchange(method, path, body, ifMatch, true);
        if (r.status == 401 && config.auth() == Auth.SESSION && !fresh) {
            // the session expired or was deleted on the BMC: log in again once and repeat the request
            log.info("Redfish {}: session no longer valid, logging in again", base);
            token = null;
            sessionUri = null;
            login();
            r = exchange(method, path, body, ifMatch, true);
        }
        if (r.status == 401 || r.status == 403) {
            throw loginFailed(r.status);
        }
        return r;
    }

    private RedfishException loginFailed(int status) {
        return new RedfishException(Kind.LOGIN, "The BMC at " + base + " rejected the login for user "
                + config.user() + " (HTTP " + status + "); check the user name and password.");
    }

    private URI resolve(String pathOrUri) {
        URI u = URI.create(pathOrUri);
        return u.isAbsolute() ? u : URI.create(base + (pathOrUri.startsWith("/") ? "" : "/") + pathOrUri);
    }

    private Response exchange(String method, String path, String body, String ifMatch, boolean authorize)
            throws RedfishException {
        URI uri = resolve(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(config.readTimeout())
                .header("Accept", "application/json")
                .header("OData-Version", "4.0");
        if (authorize) {
            if (config.auth() == Auth.BASIC) {
                String cred = config.user() + ":" + config.password();
                b.header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(cred.getBytes(StandardCharsets.UTF_8)));
            } else if (token != null) {
                b.header("X-Auth-Token", token);
            }
        }
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        log.debug("Redfish {} {}", method, uri);
        try {
            HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(resp.statusCode(), resp.body(), resp.headers().firstValue("ETag").orElse(null), resp);
        } catch (HttpConnectTimeoutException e) {
            throw new RedfishException(Kind.TIMEOUT, "Could not connect to the BMC at " + base + " within "
                    + seconds(config.connectTimeout()) + ".", null, e);
        } catch (HttpTimeoutException e) {
            throw new RedfishException(Kind.TIMEOUT, "The BMC at " + base + " did not answer " + method + " "
                    + uri.getPath() + " within " + seconds(config.readTimeout()) + ".", null, e);
        } catch (SSLHandshakeException e) {
            String fp = tls.lastSeen();
            if (fp != null) {
                throw new RedfishException(Kind.UNTRUSTED_CERTIFICATE, "The BMC at " + base
                        + " presented an untrusted TLS certificate with SHA-256 fingerprint " + fp
                        + "; confirm it and save it as this binding's trusted fingerprint.", fp, e);
            }
            throw new RedfishException(Kind.UNREACHABLE, "The TLS handshake with the BMC at " + base
                    + " failed: " + e.getMessage(), null, e);
        } catch (ConnectException e) {
            throw new RedfishException(Kind.UNREACHABLE, "Could not connect to the BMC at " + base
                    + " (connection refused or no route).", null, e);
        } catch (IOException e) {
            throw new RedfishException(Kind.UNREACHABLE, "Talking to the BMC at " + base + " failed: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedfishException(Kind.TIMEOUT, "Interrupted while talking to the BMC at " + base + ".", null, e);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private Map<String, Object> parse(Response r, String what) throws RedfishException {
        try {
            return Json.parseObject(r.body);
        } catch (IllegalArgumentException e) {
            throw new RedfishException(Kind.UNREACHABLE, "The BMC at " + base + " sent " + what
                    + " as something that is not JSON (" + e.getMessage() + ").", null, e);
        }
    }

    private void expectOk(Response r, String action) throws RedfishException {
        if (r.status >= 200 && r.status < 300) {
            return;
        }
        String msg = errorMessage(r.body);
        if (msg != null && !config.password().isEmpty()) {
            msg = msg.replace(config.password(), "****");
        }
        Kind kind = r.status == 412 ? Kind.CHANGED : Kind.REFUSED;
        throw new RedfishException(kind, "The BMC refused to " + action + " (HTTP " + r.status + ")"
                + (msg == null ? "." : ": " + msg));
    }

    /** The {@code @Message.ExtendedInfo} messages of a Redfish error body, else its {@code error.message}. */
    static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        Map<String, Object> doc;
        try {
            doc = Json.parseObject(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (Json.at(doc, "error", "@Message.ExtendedInfo") instanceof List<?> infos) {
            for (Object info : infos) {
                String m = Json.string(info, "Message");
                if (m != null && !m.isBlank()) {
                    parts.add(m.trim());
                }
            }
        }
        if (parts.isEmpty()) {
            String m = Json.string(doc, "error", "message");
            if (m != null) {
                parts.add(m.trim());
            }
        }
        return parts.isEmpty() ? null : String.join(" ", parts);
    }
}
