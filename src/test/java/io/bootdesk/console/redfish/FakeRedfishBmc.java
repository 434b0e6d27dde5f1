package io.bootdesk.console.redfish;

import io.bootdesk.console.client.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A Redfish BMC on loopback, written from the DMTF protocol, not from any implementation:
 * <ul>
 *   <li>DSP0266 (Redfish Specification): unauthenticated service root {@code /redfish/v1}; sessions by
 *       {@code POST /redfish/v1/SessionService/Sessions {"UserName","Password"}} → 201 with {@code X-Auth-Token}
 *       and {@code Location}, {@code DELETE} of that location to log out; HTTP Basic as the alternative;
 *       ETag / {@code If-Match} → 412 on mismatch; error bodies {@code {"error":{"code","message",
 *       "@Message.ExtendedInfo":[{"MessageId","Message",…}]}}} with Base registry message ids.</li>
 *   <li>DMTF Redfish-Publications 2025.4 (commit 26c94965…), {@code json-schema/ComputerSystem.v1_27_0.json}:
 *       {@code Boot.BootSourceOverrideEnabled} (Disabled/Once/Continuous; Once returns to Disabled after the
 *       override took effect), {@code BootSourceOverrideTarget} with
 *       {@code BootSourceOverrideTarget@Redfish.AllowableValues}, {@code BootSourceOverrideMode},
 *       {@code HttpBootUri} (v1_9_0); {@code Actions."#ComputerSystem.Reset"} with {@code target} and either
 *       {@code ResetType@Redfish.AllowableValues} or {@code @Redfish.ActionInfo} → ActionInfo.v1 resource with
 *       {@code Parameters[{Name:"ResetType",AllowableValues}]}; {@code Resource.json} ResetType values.</li>
 *   <li>Resource shape modelled after the DMTF {@code mockups/public-rackmount1} system 437XR1138R2 (own
 *       text, nothing copied).</li>
 * </ul>
 * Records every request so tests can check the exact JSON received.
 */
public final class FakeRedfishBmc implements AutoCloseable {

    static final String SYSTEM = "/redfish/v1/Systems/437XR1138R2";

    record Request(String method, String path, Map<String, List<String>> headers, String body) {
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
    final List<String> log = new CopyOnWriteArrayList<>();
    /** Every ResetType received, in order. */
    public final List<String> resets = new CopyOnWriteArrayList<>();

    // knobs (set before use)
    volatile boolean sendEtags = true;
    volatile boolean useActionInfo = false;
    public volatile boolean hasHttpBootUri = true;
    volatile boolean advertiseBootTargets = true;
    public volatile List<String> bootTargets = List.of("None", "Pxe", "Cd", "Usb", "Hdd", "BiosSetup", "UefiHttp");
    public volatile List<String> resetTypes = List.of("On", "ForceOff", "GracefulShutdown", "GracefulRestart",
            "ForceRestart", "Nmi", "PowerCycle");
    volatile long stallMillis = 0;

    // state
    public volatile String powerState = "On";
    volatile int etagCounter = 1;
    public volatile String overrideEnabled = "Disabled";
    public volatile String overrideTarget = "None";
    volatile String overrideMode = "UEFI";
    public volatile String httpBootUri = "";
    public volatile String lastResetType;
    public volatile String bootedFrom;

    private final HttpServer server;
    private volatile String token = "tok-" + Long.toHexString(System.nanoTime());

    public FakeRedfishBmc(String user, String password) {
        this(user, password, null);
    }

    /** With a TLS context the fake speaks HTTPS. */
    FakeRedfishBmc(String user, String password, SSLContext tls) {
        this.user = user;
        this.password = password;
        try {
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls == null) {
                server = HttpServer.create(loopback, 0);
            } else {
                HttpsServer s = HttpsServer.create(loopback, 0);
                s.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = s;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    String etag() {
        return "W/\"" + etagCounter + "\"";
    }

    /** The BMC forgets all sessions (timeout or reboot); the old token now gets 401. */
    void expireSessions() {
        token = "tok-" + Long.toHexString(System.nanoTime() + 1);
    }

    /** Someone else changed the system (bumps the ETag). */
    void touch() {
        etagCounter++;
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

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- handling

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            requests.add(new Request(method, path, Map.copyOf(ex.getRequestHeaders()), body));
            if (stallMillis > 0) {
                try {
                    Thread.sleep(stallMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (path.equals("/redfish/v1") || path.equals("/redfish/v1/")) {
                json(ex, 200, serviceRoot(), null);
                return;
            }
            if (method.equals("POST") && path.equals("/redfish/v1/SessionService/Sessions")) {
                login(ex, body);
                return;
            }
            if (!authorized(ex)) {
                error(ex, 401, "Base.1.18.NoValidSession", "There is no valid session established with the implementation.");
                return;
            }
            switch (method + " " + path) {
                case "DELETE /redfish/v1/SessionService/Sessions/1" -> send(ex, 204, null, null, null);
                case "GET /redfish/v1/Systems" -> json(ex, 200, systems(), null);
                case "GET " + SYSTEM -> json(ex, 200, system(), sendEtags ? etag() : null);
                case "GET " + SYSTEM + "/ResetActionInfo" -> json(ex, 200, actionInfo(), null);
                case "PATCH " + SYSTEM -> patch(ex, body);
                case "POST " + SYSTEM + "/Actions/ComputerSystem.Reset" -> reset(ex, body);
                default -> error(ex, 404, "Base.1.18.ResourceNotFound", "The requested resource of type Resource named '"
                        + path + "' was not found.");
            }
        } catch (RuntimeException e) {
            log.add("fake failure: " + e);
            throw e;
        }
    }

    private boolean authorized(HttpExchange ex) {
        String tok = ex.getRequestHeaders().getFirst("X-Auth-Token");
        if (tok != null) {
            return tok.equals(token);
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.startsWith("Basic ")) {
            String cred = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            return cred.equals(user + ":" + password);
        }
        return false;
    }

    private void login(HttpExchange ex, String body) throws IOException {
        Map<String, Object> req;
        try {
            req = Json.parseObject(body);
        } catch (IllegalArgumentException e) {
            error(ex, 400, "Base.1.18.MalformedJSON", "The request body submitted was malformed JSON.");
            return;
        }
        if (!user.equals(Json.string(req, "UserName")) || !password.equals(Json.string(req, "Password"))) {
            error(ex, 401, "Base.1.18.InsufficientPrivilege", "There are insufficient privileges for the account or credentials.");
            return;
        }
        ex.getResponseHeaders().add("X-Auth-Token", token);
        ex.getResponseHeaders().add("Location", "/redfish/v1/SessionService/Sessions/1");
        json(ex, 201, Map.of("@odata.id", "/redfish/v1/SessionService/Sessions/1", "Id", "1", "UserName", user), null);
    }

    private void patch(HttpExchange ex, String body) throws IOException {
        String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
        if (sendEtags && ifMatch != null && !ifMatch.equals(etag())) {
            error(ex, 412, "Base.1.18.PreconditionFailed",
                    "The ETag supplied did not match the ETag required to change this resource.");
            return;
        }
        Map<String, Object> req;
        try {
            req = Json.parseObject(body);
        } catch (IllegalArgumentException e) {
            error(ex, 400, "Base.1.18.MalformedJSON", "The request body submitted was malformed JSON.");
            return;
        }
        Map<String, Object> boot = Json.object(req, "Boot");
        if (boot == null) {
            error(ex, 400, "Base.1.18.PropertyUnknown", "The property Boot is missing.");
            return;
        }
        String target = Json.string(boot, "BootSourceOverrideTarget");
        if (target != null && !bootTargets.contains(target)) {
            error(ex, 400, "Base.1.18.PropertyValueNotInList", "The value '" + target
                    + "' for the property BootSourceOverrideTarget is not in the list of acceptable values.");
            return;
        }
        if (boot.containsKey("HttpBootUri") && !hasHttpBootUri) {
            error(ex, 400, "Base.1.18.PropertyUnknown", "The property HttpBootUri is not in the list of valid properties for the resource.");
            return;
        }
        if (Json.string(boot, "BootSourceOverrideEnabled") != null) {
            overrideEnabled = Json.string(boot, "BootSourceOverrideEnabled");
        }
        if (target != null) {
            overrideTarget = target;
        }
        if (Json.string(boot, "BootSourceOverrideMode") != null) {
            overrideMode = Json.string(boot, "BootSourceOverrideMode");
        }
        if (Json.string(boot, "HttpBootUri") != null) {
            httpBootUri = Json.string(boot, "HttpBootUri");
        }
        touch();
        send(ex, 204, null, null, etag());
    }

    private void reset(HttpExchange ex, String body) throws IOException {
        String type;
        try {
            type = Json.string(Json.parseObject(body), "ResetType");
        } catch (IllegalArgumentException e) {
            error(ex, 400, "Base.1.18.MalformedJSON", "The request body submitted was malformed JSON.");
            return;
        }
        if (type == null || !resetTypes.contains(type)) {
            error(ex, 400, "Base.1.18.ActionParameterValueNotInList", "The value '" + type
                    + "' for the parameter ResetType in the action ComputerSystem.Reset is not in the list of acceptable values.");
            return;
        }
        lastResetType = type;
        resets.add(type);
        switch (type) {
            case "ForceOff", "GracefulShutdown" -> powerState = "Off";
            default -> {
                powerState = "On";
                // the machine boots now: a Once override takes effect and goes back to Disabled
                bootedFrom = "Disabled".equals(overrideEnabled) ? "Hdd" : overrideTarget;
                if ("Once".equals(overrideEnabled)) {
                    overrideEnabled = "Disabled";
                }
            }
        }
        touch();
        send(ex, 204, null, null, null);
    }

    // ---- resources

    private Map<String, Object> serviceRoot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("@odata.type", "#ServiceRoot.v1_17_0.ServiceRoot");
        m.put("@odata.id", "/redfish/v1");
        m.put("Id", "RootService");
        m.put("RedfishVersion", "1.20.0");
        m.put("Systems", Map.of("@odata.id", "/redfish/v1/Systems"));
        m.put("SessionService", Map.of("@odata.id", "/redfish/v1/SessionService"));
        m.put("Links", Map.of("Sessions", Map.of("@odata.id", "/redfish/v1/SessionService/Sessions")));
        return m;
    }

    private Map<String, Object> systems() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("@odata.type", "#ComputerSystemCollection.ComputerSystemCollection");
        m.put("@odata.id", "/redfish/v1/Systems");
        m.put("Members@odata.count", 1);
        m.put("Members", List.of(Map.of("@odata.id", SYSTEM)));
        return m;
    }

    private Map<String, Object> system() {
        Map<String, Object> boot = new LinkedHashMap<>();
        boot.put("BootSourceOverrideEnabled", overrideEnabled);
        boot.put("BootSourceOverrideTarget", overrideTarget);
        if (advertiseBootTargets) {
            boot.put("BootSourceOverrideTarget@Redfish.AllowableValues", bootTargets);
        }
        boot.put("BootSourceOverrideMode", overrideMode);
        if (hasHttpBootUri) {
            boot.put("HttpBootUri", httpBootUri);
        }
        Map<String, Object> reset = new LinkedHashMap<>();
        reset.put("target", SYSTEM + "/Actions/ComputerSystem.Reset");
        if (useActionInfo) {
            reset.put("@Redfish.ActionInfo", SYSTEM + "/ResetActionInfo");
        } else {
            reset.put("ResetType@Redfish.AllowableValues", resetTypes);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("@odata.type", "#ComputerSystem.v1_27_0.ComputerSystem");
        m.put("@odata.id", SYSTEM);
        if (sendEtags) {
            m.put("@odata.etag", etag());
        }
        m.put("Id", "437XR1138R2");
        m.put("Name", "WebFrontEnd483");
        m.put("SystemType", "Physical");
        m.put("PowerState", powerState);
        m.put("Boot", boot);
        m.put("Actions", Map.of("#ComputerSystem.Reset", reset));
        return m;
    }

    private Map<String, Object> actionInfo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("@odata.type", "#ActionInfo.v1_4_0.ActionInfo");
        m.put("@odata.id", SYSTEM + "/ResetActionInfo");
        m.put("Id", "ResetActionInfo");
        m.put("Parameters", List.of(Map.of("Name", "ResetType", "Required", true, "DataType", "String",
                "AllowableValues", resetTypes)));
        return m;
    }

    // ---- output

    private void error(HttpExchange ex, int status, String messageId, String message) throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("@odata.type", "#Message.v1_2_0.Message");
        info.put("MessageId", messageId);
        info.put("Message", message);
        info.put("Severity", "Warning");
        info.put("MessageSeverity", "Warning");
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", messageId);
        err.put("message", "A general error has occurred. See ExtendedInfo for more information.");
        err.put("@Message.ExtendedInfo", List.of(info));
        json(ex, status, Map.of("error", err), null);
    }

    private void json(HttpExchange ex, int status, Map<String, Object> doc, String etag) throws IOException {
        send(ex, status, Json.write(doc), "application/json;charset=utf-8", etag);
    }

    private void send(HttpExchange ex, int status, String body, String type, String etag) throws IOException {
        ex.getResponseHeaders().add("OData-Version", "4.0");
        if (etag != null) {
            ex.getResponseHeaders().add("ETag", etag);
        }
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }
}
