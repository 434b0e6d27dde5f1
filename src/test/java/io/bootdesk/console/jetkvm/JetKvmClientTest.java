package io.bootdesk.console.jetkvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.bootdesk.console.ConsoleListener;
import io.bootdesk.console.client.FullBacklog;
import io.bootdesk.console.jetkvm.FakeJetKvm.Report;
import io.bootdesk.console.jetkvm.JetKvmClient.Config;
import io.bootdesk.console.jetkvm.JetKvmException.Kind;
import io.bootdesk.http.HttpBootServer;
import io.bootdesk.testing.CoreFixture;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JetKvmClient against {@link FakeJetKvm}: a real webrtc-java peer connection on this host, real WebSocket signaling,
 * real JSON-RPC. If webrtc-java's native library cannot load, every session test fails with that reason.
 */
class JetKvmClientTest {

    static final String PASSWORD = "jet-Secret#77";

    @TempDir
    Path tmp;
    FakeJetKvm kvm;
    final List<JetKvmClient> clients = new ArrayList<>();
    final List<Throwable> thrown = new ArrayList<>();

    @BeforeEach
    void start() {
        kvm = new FakeJetKvm(PASSWORD);
    }

    @AfterEach
    void stop() throws Exception {
        for (JetKvmClient c : clients) {
            c.close();
        }
        kvm.close();
        for (Throwable t : thrown) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                assertThat(String.valueOf(c.getMessage())).doesNotContain(PASSWORD);
                assertThat(c.toString()).doesNotContain(PASSWORD);
            }
        }
        // ICE stayed on this host: every candidate the fake got is an address of a local interface
        Set<String> local = new HashSet<>();
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            n.inetAddresses().forEach(a -> local.add(a.getHostAddress().replaceAll("%.*", "")));
        }
        Set<String> seen = new HashSet<>();
        for (String a : kvm.remoteCandidates) {
            seen.add(InetAddress.getByName(a).getHostAddress().replaceAll("%.*", ""));
        }
        assertThat(local).as("candidate addresses are this host's").containsAll(seen);
    }

    JetKvmClient client(String password) {
        return client(Config.of(kvm.uri(), password).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
    }

    JetKvmClient client(Config c) {
        JetKvmClient k = new JetKvmClient(c);
        clients.add(k);
        return k;
    }

    <T extends Throwable> T failure(Class<T> type, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        T t = catchThrowableOfType(type, call);
        assertThat(t).as("expected a " + type.getSimpleName()).isNotNull();
        thrown.add(t);
        return t;
    }

    @Test
    void webrtcJavaLoadsWithTheHeadlessAudioModule() throws Exception {
        // fails (never skips) with the reason when the native library or a shared library it needs is missing
        assertThat(WebRtc.factory()).isNotNull();
    }

    @Test
    void httpsNeedsTheConfirmedCertificate() throws Exception {
        kvm.close();
        io.bootdesk.console.client.SelfSignedTls cert = new io.bootdesk.console.client.SelfSignedTls("jetkvm");
        kvm = new FakeJetKvm(PASSWORD, cert.serverContext);
        JetKvmException e = failure(JetKvmException.class, () -> client(PASSWORD).deviceId());
        assertThat(e.kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
        String fp = io.bootdesk.console.client.PinnedTls.fingerprint(cert.certificate);
        assertThat(e.fingerprint()).isEqualTo(fp);
        assertThat(e.getMessage()).contains(fp);

        JetKvmClient pinned = client(Config.of(kvm.uri(), PASSWORD).withTrustedSha256(fp)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        assertThat(pinned.deviceId()).as("login over HTTPS, signaling over WSS, then WebRTC")
                .isEqualTo(FakeJetKvm.DEVICE_ID);
    }

    @Test
    void baseUriFromHostHostPortOrUrl() {
        assertThat(JetKvmClient.baseUri("10.0.0.7")).isEqualTo(URI.create("http://10.0.0.7"));
        assertThat(JetKvmClient.baseUri("kvm.lab:8080")).isEqualTo(URI.create("http://kvm.lab:8080"));
        assertThat(JetKvmClient.baseUri("https://kvm.lab/some/path")).isEqualTo(URI.create("https://kvm.lab"));
        assertThatThrownBy(() -> JetKvmClient.baseUri("ftp://x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusVersionAndSessionWithRpc() throws Exception {
        JetKvmClient c = client(PASSWORD);
        assertThat(c.isSetup()).isTrue();
        assertThat(c.firmwareVersion()).isEqualTo("0.4.7");
        assertThat(c.deviceId()).isEqualTo(FakeJetKvm.DEVICE_ID);
        assertThat(c.deviceVersion()).isEqualTo("0.4.7");
        assertThat(c.call("ping", Map.of())).isEqualTo("pong");
        assertThat(kvm.rpcMethods).contains("getDeviceID", "ping");
        assertThat(c.webUi()).isEqualTo(URI.create(kvm.uri() + "/"));
        // candidates were trickled over the WebSocket (their addresses are checked in stop())
        assertThat(kvm.remoteCandidates).isNotEmpty();
        System.out.println("JetKVM fake saw client ICE candidates on " + new HashSet<>(kvm.remoteCandidates));
    }

    @Test
    void wrongPasswordIsAClearLoginFailure() {
        JetKvmException e = failure(JetKvmException.class, () -> client("wrong-" + PASSWORD).deviceId());
        assertThat(e.kind()).isEqualTo(Kind.LOGIN);
        assertThat(e.getMessage()).contains("rejected the password").contains("HTTP 401");
    }

    @Test
    void noPasswordModeNeedsNoLoginAndRefusesOne() throws Exception {
        kvm.close();
        kvm = new FakeJetKvm(null);
        JetKvmClient open = client((String) null);
        assertThat(open.login()).isFalse();
        assertThat(open.checkLogin()).isEqualTo(FakeJetKvm.DEVICE_ID);
        assertThat(open.deviceId()).isEqualTo(FakeJetKvm.DEVICE_ID);

        JetKvmException e = failure(JetKvmException.class, () -> client(PASSWORD).login());
        assertThat(e.kind()).isEqualTo(Kind.LOGIN);
        assertThat(e.getMessage()).contains("Login is disabled in noPassword mode").contains("without one");
    }

    @Test
    void aSecondLoginRotatesTheOneToken() throws Exception {
        JetKvmClient first = client(PASSWORD);
        first.login();
        assertThat(first.checkLogin()).isEqualTo(FakeJetKvm.DEVICE_ID);
        JetKvmClient second = client(PASSWORD);
        second.login();
        assertThat(second.checkLogin()).isEqualTo(FakeJetKvm.DEVICE_ID);
        JetKvmException e = failure(JetKvmException.class, first::checkLogin);
        assertThat(e.kind()).isEqualTo(Kind.LOGIN);
        assertThat(e.getMessage()).contains("401").contains("single token");
        // the old cookie cannot open a signaling WebSocket either
        JetKvmException ws = failure(JetKvmException.class, first::connect);
        assertThat(ws.kind()).isEqualTo(Kind.LOGIN);
        assertThat(ws.getMessage()).contains("signaling WebSocket (HTTP 401)");
    }

    @Test
    void aSecondSessionEvictsTheFirst() throws Exception {
        JetKvmClient first = client(Config.of(kvm.uri(), PASSWORD).withTimeouts(Duration.ofSeconds(2),
                Duration.ofSeconds(20)));
        assertThat(first.deviceId()).isEqualTo(FakeJetKvm.DEVICE_ID);
        kvm.neverAnswerRpc = true;
        CompletableFuture<String> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return first.deviceId();
            } catch (JetKvmException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        while (kvm.rpcMethods.size() < 2) {
            Thread.sleep(10);
        }
        long t0 = System.nanoTime();
        JetKvmClient second = client(PASSWORD);
        second.connect();
        Throwable t = catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                () -> pending.get(10, TimeUnit.SECONDS)).getCause();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        assertThat(t).isInstanceOf(JetKvmException.class);
        thrown.add(t);
        assertThat(((JetKvmException) t).kind()).isEqualTo(Kind.EVICTED);
        assertThat(t.getMessage()).contains("another JetKVM session (a browser tab?) took over; a JetKVM allows one"
                + " session at a time");
        assertThat(first.evicted()).isTrue();
        JetKvmException later = failure(JetKvmException.class, first::deviceId);
        assertThat(later.kind()).isEqualTo(Kind.EVICTED);

        kvm.neverAnswerRpc = false;
        assertThat(second.deviceId()).isEqualTo(FakeJetKvm.DEVICE_ID);
        assertThat(kvm.sessionsAccepted).isEqualTo(2);
    }

    @Test
    void anUnansweredCallTimesOut() throws Exception {
        JetKvmClient c = client(Config.of(kvm.uri(), PASSWORD).withTimeouts(Duration.ofSeconds(2),
                Duration.ofSeconds(1)));
        c.connect();
        kvm.neverAnswerRpc = true;
        long t0 = System.nanoTime();
        JetKvmException e = failure(JetKvmException.class, c::deviceId);
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.getMessage()).contains("did not answer getDeviceID within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    }

    @Test
    void stalledSignalingTimesOut() {
        kvm.stallSignaling = true;
        JetKvmClient c = client(Config.of(kvm.uri(), PASSWORD).withTimeouts(Duration.ofSeconds(2),
                Duration.ofSeconds(1)));
        JetKvmException e = failure(JetKvmException.class, c::connect);
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.getMessage()).contains("did not receive the device metadata").contains("within 1 s");
    }

    @Test
    void connectingToAFullBacklogTimesOut() throws Exception {
        try (FullBacklog full = new FullBacklog()) {
            JetKvmClient c = client(Config.of(full.uri("http"), PASSWORD).withTimeouts(Duration.ofMillis(500),
                    Duration.ofSeconds(2)));
            long t0 = System.nanoTime();
            JetKvmException e = failure(JetKvmException.class, c::connect);
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e.getMessage()).contains("Could not connect to the JetKVM").contains("within 500 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void refusedActionsCarryTheDevicesReason() throws Exception {
        JetKvmClient c = client(PASSWORD);
        JetKvmException atx = failure(JetKvmException.class, () -> c.call("setATXPowerAction",
                Map.of("action", "power-toggle")));
        assertThat(atx.kind()).isEqualTo(Kind.REFUSED);
        assertThat(atx.rpcCode()).isEqualTo(-32603);
        assertThat(atx.getMessage()).contains("Internal error: invalid action: power-toggle").contains("-32603");
        assertThat(kvm.atxActions).isEmpty();

        JetKvmException keys = failure(JetKvmException.class, () -> c.call("keyboardReport",
                Map.of("modifier", 0, "keys", List.of(300))));
        assertThat(keys.getMessage()).contains("value out of range for uint8: 300");

        JetKvmException unknown = failure(JetKvmException.class, () -> c.call("setATXPowerButton", Map.of()));
        assertThat(unknown.rpcCode()).isEqualTo(-32601);
        assertThat(unknown.getMessage()).contains("Method not found");

        JetKvmException missing = failure(JetKvmException.class, () -> c.call("setATXPowerAction", Map.of()));
        assertThat(missing.getMessage()).contains("missing parameter: action");
    }

    @Test
    void atxWithoutTheExtensionIsNotRefusedButTheLedIsStale() throws Exception {
        JetKvmClient c = client(PASSWORD);
        c.setActiveExtension("serial-console");
        kvm.machinePower = false;
        c.atxAction("power-short");                       // 0.4.7 does not refuse this
        assertThat(kvm.atxActions).containsExactly("power-short");
        assertThat(kvm.machinePower).isTrue();
        Thread.sleep(300);
        assertThat(c.atxState().power()).as("no LED reading without the ATX extension").isFalse();

        c.activateAtx(Duration.ofSeconds(2));
        assertThat(kvm.activeExtension).isEqualTo("atx-power");
        assertThat(c.atxState().power()).isTrue();

        c.setActiveExtension("");
        kvm.atxBoard = false;
        JetKvmException e = failure(JetKvmException.class, () -> c.activateAtx(Duration.ofMillis(500)));
        assertThat(e.kind()).isEqualTo(Kind.NO_EXTENSION);
        assertThat(e.getMessage()).contains("ATX board reported no state within 500 ms");
    }

    @Test
    void keyChordsArePressAndReleaseReports() throws Exception {
        JetKvmClient c = client(PASSWORD);
        c.pressKeys("F12");
        c.pressKeys("Ctrl+Alt+Delete");
        c.pressKeys("ctrl+b");
        c.pressKeys("Enter");
        c.pressKeys("Esc");
        c.pressKeys("Delete");
        c.pressKeys("7");
        List<Integer> none = List.of();
        assertThat(kvm.keyboardReports).containsExactly(
                new Report(0, List.of(0x45)), new Report(0, none),
                new Report(0x05, List.of(0x4c)), new Report(0, none),
                new Report(0x01, List.of(0x05)), new Report(0, none),
                new Report(0, List.of(0x28)), new Report(0, none),
                new Report(0, List.of(0x29)), new Report(0, none),
                new Report(0, List.of(0x4c)), new Report(0, none),
                new Report(0, List.of(0x24)), new Report(0, none));
        assertThatThrownBy(() -> c.pressKeys("Hyper+Q")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Hyper'");
        assertThat(HidKeys.parse("Shift+a")).isEqualTo(new HidKeys.Chord(0x02, List.of(0x04)));
        assertThat(HidKeys.parse("F1").keys()).containsExactly(0x3a);
        assertThat(HidKeys.parse("z").keys()).containsExactly(0x1d);
        assertThat(HidKeys.parse("0").keys()).containsExactly(0x27);
    }

    @Test
    void mountWithHttpFromBootDesksImageServer() throws Exception {
        int port = CoreFixture.freePort();
        byte[] iso = new byte[123_457];
        new Random(3).nextBytes(iso);
        try (CoreFixture core = new CoreFixture(tmp, "127.0.0.1", port)) {
            Path k = Files.write(tmp.resolve("vmlinuz"), iso);
            core.images.addLinux("deb", k, List.of(), "console=ttyS0");
            core.catalog.refresh();
            HttpBootServer server = new HttpBootServer("127.0.0.1", port, core.planner, core.catalog, core.images,
                    core.loaders, core.events, core.tracker);
            server.start();
            try {
                URI url = URI.create("http://127.0.0.1:" + port + "/images/deb/vmlinuz");
                JetKvmClient c = client(PASSWORD);
                assertThat(c.virtualMediaState()).isNull();
                c.mountWithHttp(url, true);
                assertThat(kvm.rangeProbes).containsExactly("206 bytes 0-0/" + iso.length);
                Map<String, Object> state = c.virtualMediaState();
                assertThat(state).containsEntry("mode", "CDROM").containsEntry("url", url.toString());
                assertThat(((Number) state.get("size")).longValue()).isEqualTo(iso.length);

                JetKvmException again = failure(JetKvmException.class, () -> c.mountWithHttp(url, false));
                assertThat(again.kind()).isEqualTo(Kind.REFUSED);
                assertThat(again.getMessage()).contains("another virtual media is already mounted");

                c.unmountImage();
                assertThat(c.virtualMediaState()).isNull();
                c.mountWithHttp(url, false);
                assertThat(c.virtualMediaState()).containsEntry("mode", "Disk");
            } finally {
                server.close();
            }
        }
    }

    @Test
    void mountFailsWhenTheServerIgnoresRange() throws Exception {
        HttpServer plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        plain.createContext("/x.iso", ex -> {
            try (ex) {
                ex.sendResponseHeaders(200, 4);
                ex.getResponseBody().write(new byte[] {1, 2, 3, 4});
            }
        });
        plain.start();
        try {
            JetKvmClient c = client(PASSWORD);
            JetKvmException e = failure(JetKvmException.class, () -> c.mountWithHttp(
                    URI.create("http://127.0.0.1:" + plain.getAddress().getPort() + "/x.iso"), true));
            assertThat(e.kind()).isEqualTo(Kind.REFUSED);
            assertThat(e.getMessage()).contains("range request").contains("HTTP 200");
            assertThat(c.virtualMediaState()).isNull();
        } finally {
            plain.stop(0);
        }
    }

    @Test
    void serialChannelCarriesEveryByteValueBothWays() throws Exception {
        JetKvmClient c = client(PASSWORD);
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        CountDownLatch done = new CountDownLatch(1);
        c.openSerial(115200, 8, "1", "none", new ConsoleListener() {
            @Override
            public void received(byte[] data) {
                synchronized (got) {
                    got.writeBytes(data);
                    if (got.size() >= 256) {
                        done.countDown();
                    }
                }
            }
        });
        assertThat(kvm.activeExtension).isEqualTo("serial-console");
        assertThat(kvm.serialSettings).containsExactly(Map.of("baudRate", "115200", "dataBits", "8", "stopBits", "1",
                "parity", "none"));
        c.writeSerial(all);
        assertThat(done.await(5, TimeUnit.SECONDS)).as("echo of 256 bytes").isTrue();
        synchronized (got) {
            assertThat(got.toByteArray()).isEqualTo(all);
        }
        assertThat(kvm.uartBytes()).isEqualTo(all);
        // a non-string setting is refused as 0.4.7 does
        JetKvmException e = failure(JetKvmException.class, () -> c.call("setSerialSettings",
                Map.of("settings", Map.of("baudRate", 115200, "dataBits", "8", "stopBits", "1", "parity", "none"))));
        assertThat(e.getMessage()).contains("cannot unmarshal number into Go struct field SerialSettings.baudRate of type string");
    }
}
