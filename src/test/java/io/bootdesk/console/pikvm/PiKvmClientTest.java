package io.bootdesk.console.pikvm;

import io.bootdesk.console.client.FullBacklog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.bootdesk.console.pikvm.PiKvmClient.Config;
import io.bootdesk.console.pikvm.PiKvmClient.PowerAction;
import io.bootdesk.console.pikvm.PiKvmClient.Progress;
import io.bootdesk.console.pikvm.PiKvmException.Kind;
import io.bootdesk.console.client.PinnedTls;
import io.bootdesk.console.client.SelfSignedTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PiKvmClientTest {

    private static final String PASSWORD = "kvm-Secret#42";
    private static final byte[] ISO = new byte[20_000];

    private FakePiKvm kvm;
    private HttpServer images;
    private ListAppender<ILoggingEvent> logs;
    private Logger logger;
    private Level oldLevel;
    private final List<Throwable> thrown = new ArrayList<>();

    static {
        for (int i = 0; i < ISO.length; i++) {
            ISO[i] = (byte) (i * 31);
        }
    }

    @BeforeEach
    void start() throws Exception {
        kvm = new FakePiKvm("admin", PASSWORD);
        images = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        images.createContext("/images/netboot.iso", ex -> {
            try (ex) {
                ex.sendResponseHeaders(200, ISO.length);
                ex.getResponseBody().write(ISO);
            }
        });
        images.start();
        logger = (Logger) LoggerFactory.getLogger(PiKvmClient.class);
        oldLevel = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void stop() {
        kvm.close();
        images.stop(0);
        logger.detachAppender(logs);
        logger.setLevel(oldLevel);
        for (Throwable t : thrown) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                assertThat(String.valueOf(c.getMessage())).doesNotContain(PASSWORD);
                assertThat(c.toString()).doesNotContain(PASSWORD);
            }
        }
        for (ILoggingEvent e : logs.list) {
            assertThat(e.getFormattedMessage()).doesNotContain(PASSWORD);
        }
    }

    private PiKvmClient client() {
        return new PiKvmClient(Config.of(kvm.uri(), "admin", PASSWORD));
    }

    private URI isoUrl() {
        return URI.create("http://127.0.0.1:" + images.getAddress().getPort() + "/images/netboot.iso");
    }

    private PiKvmException expect(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        PiKvmException e = catchThrowableOfType(PiKvmException.class, call);
        assertThat(e).as("expected a PiKvmException").isNotNull();
        thrown.add(e);
        return e;
    }

    @Test
    void powerActionsUseTheAtxEndpointWithTheKvmdHeaders() throws Exception {
        PiKvmClient c = client();
        c.checkLogin();
        assertThat(c.poweredOn()).isFalse();
        c.power(PowerAction.ON);
        assertThat(c.poweredOn()).isTrue();
        c.power(PowerAction.RESET_HARD);
        c.power(PowerAction.OFF);
        c.power(PowerAction.OFF_HARD);
        assertThat(kvm.atxActions).containsExactly("on", "reset_hard", "off", "off_hard");
        FakePiKvm.Request first = kvm.requests("POST", "/api/atx/power").get(0);
        assertThat(first.query()).isEqualTo(Map.of("action", "on", "wait", "1"));
        assertThat(first.header("X-KVMD-User")).isEqualTo("admin");
        assertThat(first.header("X-KVMD-Passwd")).isEqualTo(PASSWORD);
        assertThat(first.header("Authorization")).isNull();
    }

    @Test
    void aKeyPressIsOnePressAndRelease() throws Exception {
        client().pressKey("F12");
        assertThat(kvm.requests("POST", "/api/hid/events/send_key").get(0).query()).isEqualTo(Map.of("key", "F12"));
        assertThat(kvm.keyEvents).containsExactly("F12 down", "F12 up");
    }

    @Test
    void anUnknownKeyIsRefusedWithKvmdsMessage() {
        PiKvmException e = expect(() -> client().pressKey("F99"));
        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e.error()).isEqualTo("ValidatorError");
        assertThat(e.getMessage()).endsWith("refused to press F99: The argument 'F99' is not a valid keyboard key.");
    }

    @Test
    void mountFromUrlDownloadsSelectsAndConnects() throws Exception {
        List<Progress> progress = new ArrayList<>();
        PiKvmClient c = client();
        c.mountFromUrl(isoUrl(), "bootdesk-netboot.iso", true, progress::add);

        FakePiKvm.Request write = kvm.requests("POST", "/api/msd/write_remote").get(0);
        assertThat(write.query()).containsEntry("url", isoUrl().toString()).containsEntry("image", "bootdesk-netboot.iso")
                .containsKey("timeout");
        assertThat(kvm.requests("POST", "/api/msd/set_params").get(0).query())
                .isEqualTo(Map.of("image", "bootdesk-netboot.iso", "cdrom", "1"));
        assertThat(kvm.requests("POST", "/api/msd/set_connected").get(0).query()).isEqualTo(Map.of("connected", "1"));
        assertThat(kvm.storage.get("bootdesk-netboot.iso")).isEqualTo(ISO);
        assertThat(kvm.connected).isTrue();
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)).isEqualTo(new Progress("bootdesk-netboot.iso", ISO.length, ISO.length));

        PiKvmClient.MsdState s = c.msdState();
        assertThat(s.connected()).isTrue();
        assertThat(s.image()).isEqualTo("bootdesk-netboot.iso");
        assertThat(s.cdrom()).isTrue();

        // a second mount of the same image disconnects first and does not download again
        c.mountFromUrl(isoUrl(), "bootdesk-netboot.iso", false, null);
        assertThat(kvm.requests("POST", "/api/msd/write_remote")).hasSize(1);
        assertThat(kvm.requests("POST", "/api/msd/set_connected")).extracting(r -> r.query().get("connected"))
                .containsExactly("1", "0", "1");
        assertThat(kvm.cdrom).isFalse();

        c.setConnected(false);
        assertThat(kvm.connected).isFalse();
    }

    @Test
    void aBusyMsdIsReportedAsBusy() {
        kvm.msdBusy = true;
        PiKvmException e = expect(() -> client().mountFromUrl(isoUrl(), "x.iso", true, null));
        assertThat(e.kind()).isEqualTo(Kind.BUSY);
        assertThat(e.getMessage()).contains("is busy with another operation and could not mount x.iso");
        assertThat(kvm.requests("POST", "/api/msd/write_remote")).isEmpty();
    }

    @Test
    void a409MsdIsBusyErrorFromWriteRemoteIsBusyToo() {
        kvm.busyOnWrite = true; // another client starts an MSD operation between our state read and the write
        PiKvmException e = expect(() -> client().mountFromUrl(isoUrl(), "x.iso", true, null));
        assertThat(e.kind()).isEqualTo(Kind.BUSY);
        assertThat(e.getMessage()).contains("could not download " + isoUrl() + " as x.iso"
                + " (Performing another MSD operation, please try again later); try again when it has finished.");
        assertThat(kvm.connected).isFalse();
    }

    @Test
    void aDownloadFailureShowsKvmdsError() {
        URI missing = URI.create("http://127.0.0.1:" + images.getAddress().getPort() + "/images/none.iso");
        PiKvmException e = expect(() -> client().mountFromUrl(missing, "none.iso", true, null));
        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e.error()).isEqualTo("ClientResponseError");
        assertThat(e.getMessage()).contains("refused to download " + missing + " as none.iso: 404");
    }

    @Test
    void snapshotAndPreviewAreJpegBytes() throws Exception {
        PiKvmClient c = client();
        assertThat(c.snapshot(0, 0)).isEqualTo(FakePiKvm.JPEG);
        assertThat(c.snapshot(320, 240)).isEqualTo(FakePiKvm.PREVIEW);
        assertThat(kvm.requests("GET", "/api/streamer/snapshot").get(1).query())
                .isEqualTo(Map.of("preview", "1", "preview_max_width", "320", "preview_max_height", "240"));
    }

    @Test
    void noVideoSignalIsItsOwnError() {
        kvm.signal = false;
        PiKvmException e = expect(() -> client().snapshot(320, 240));
        assertThat(e.kind()).isEqualTo(Kind.NO_SIGNAL);
        assertThat(e.getMessage()).contains("has no video signal");
    }

    @Test
    void wrongPasswordIsALoginFailure() {
        PiKvmClient bad = new PiKvmClient(Config.of(kvm.uri(), "admin", PASSWORD + "x"));
        PiKvmException e = expect(() -> bad.power(PowerAction.ON));
        assertThat(e.kind()).isEqualTo(Kind.LOGIN);
        assertThat(e.getMessage()).contains("rejected the login for user admin (HTTP 403)").doesNotContain(PASSWORD + "x");
        assertThat(kvm.atxActions).isEmpty();
    }

    @Test
    void aStallingKvmTimesOut() {
        kvm.stallMillis = 3000;
        PiKvmClient slow = new PiKvmClient(Config.of(kvm.uri(), "admin", PASSWORD)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
        long t0 = System.nanoTime();
        PiKvmException e = expect(() -> slow.power(PowerAction.RESET_HARD));
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.getMessage()).contains("did not answer POST /api/atx/power within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aKvmThatDoesNotAcceptTheConnectionTimesOutWithTheConnectTimeout() throws Exception {
        try (io.bootdesk.console.client.FullBacklog dead = new io.bootdesk.console.client.FullBacklog()) {
            PiKvmClient c = new PiKvmClient(Config.of(dead.uri("http"), "admin", PASSWORD)
                    .withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5)));
            PiKvmException e = expect(() -> c.pressKey("F12"));
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e.getMessage()).isEqualTo("Could not connect to the KVM at " + dead.uri("http") + " within 300 ms.");
        }
    }

    @Test
    void configToStringHidesThePassword() {
        assertThat(Config.of(kvm.uri(), "admin", PASSWORD).toString()).doesNotContain(PASSWORD);
    }

    @Test
    void anHttpsKvmIsPinnedByFingerprint() throws Exception {
        SelfSignedTls tls = new SelfSignedTls("pikvm");
        var server = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls.serverContext));
        server.createContext("/api/auth/check", ex -> {
            try (ex) {
                byte[] b = "{\"ok\": true, \"result\": {}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            }
        });
        server.start();
        try {
            Config c = Config.of(URI.create("https://127.0.0.1:" + server.getAddress().getPort()), "admin", PASSWORD);
            PiKvmException e = expect(() -> new PiKvmClient(c).checkLogin());
            assertThat(e.kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
            assertThat(e.fingerprint()).isEqualTo(PinnedTls.fingerprint(tls.certificate));
            new PiKvmClient(c.withTrustedSha256(e.fingerprint())).checkLogin();
        } finally {
            server.stop(0);
        }
    }
}
