package io.bootdesk.console.redfish;

import io.bootdesk.console.client.FullBacklog;
import io.bootdesk.console.client.SelfSignedTls;
import io.bootdesk.console.client.PinnedTls;
import io.bootdesk.console.client.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bootdesk.console.redfish.RedfishClient.Auth;
import io.bootdesk.console.redfish.RedfishClient.BootTarget;
import io.bootdesk.console.redfish.RedfishClient.Config;
import io.bootdesk.console.redfish.RedfishClient.SystemInfo;
import io.bootdesk.console.redfish.RedfishException.Kind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RedfishClientTest {

    private static final String PASSWORD = "s3cr3t-Pa55!";

    private FakeRedfishBmc bmc;
    private ListAppender<ILoggingEvent> logs;
    private Logger logger;
    private Level oldLevel;
    private final List<Throwable> thrown = new ArrayList<>();

    @BeforeEach
    void start() {
        bmc = new FakeRedfishBmc("root", PASSWORD);
        logger = (Logger) LoggerFactory.getLogger(RedfishClient.class);
        oldLevel = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void stop() {
        bmc.close();
        logger.detachAppender(logs);
        logger.setLevel(oldLevel);
        // no secret ever leaves the client: not in a message, a cause, or a log line
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

    private Config config() {
        return Config.of(bmc.uri(), "root", PASSWORD);
    }

    private <T extends Throwable> T expect(Class<T> type, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        T t = catchThrowableOfType(type, call);
        assertThat(t).as("expected %s", type.getSimpleName()).isNotNull();
        thrown.add(t);
        return t;
    }

    @Test
    void pxeOnceThenForceRestartOverASession() throws Exception {
        try (RedfishClient client = new RedfishClient(config())) {
            SystemInfo sys = client.readSystem();
            assertThat(sys.path()).isEqualTo(FakeRedfishBmc.SYSTEM);
            assertThat(sys.powerState()).isEqualTo("On");
            assertThat(sys.etag()).isEqualTo(bmc.etag());
            assertThat(sys.allowedResetTypes()).contains("ForceRestart", "PowerCycle");

            client.setOneTimeBoot(sys, BootTarget.PXE, null);
            assertThat(client.reset(sys)).isEqualTo("ForceRestart");
        }
        FakeRedfishBmc.Request login = bmc.requests("POST", "/redfish/v1/SessionService/Sessions").get(0);
        assertThat(Json.parse(login.body())).isEqualTo(Map.of("UserName", "root", "Password", PASSWORD));

        FakeRedfishBmc.Request patch = bmc.requests("PATCH", FakeRedfishBmc.SYSTEM).get(0);
        assertThat(Json.parse(patch.body())).isEqualTo(Json.parse(
                "{\"Boot\":{\"BootSourceOverrideEnabled\":\"Once\",\"BootSourceOverrideTarget\":\"Pxe\","
                        + "\"BootSourceOverrideMode\":\"UEFI\"}}"));
        assertThat(patch.header("If-Match")).isEqualTo("W/\"1\"");
        assertThat(patch.header("Content-Type")).startsWith("application/json");
        assertThat(patch.header("X-Auth-Token")).startsWith("tok-");
        assertThat(patch.header("Authorization")).isNull();

        FakeRedfishBmc.Request reset = bmc.requests("POST", FakeRedfishBmc.SYSTEM + "/Actions/ComputerSystem.Reset").get(0);
        assertThat(Json.parse(reset.body())).isEqualTo(Map.of("ResetType", "ForceRestart"));
        assertThat(bmc.bootedFrom).isEqualTo("Pxe");
        assertThat(bmc.overrideEnabled).as("Once falls back to Disabled after the boot").isEqualTo("Disabled");
        assertThat(bmc.requests("DELETE", "/redfish/v1/SessionService/Sessions/1")).hasSize(1);
    }

    @Test
    void uefiHttpBootUriWithBasicAuthReadsActionInfoAndPowersOnAnOffSystem() throws Exception {
        bmc.sendEtags = false;
        bmc.useActionInfo = true;
        bmc.powerState = "Off";
        bmc.resetTypes = List.of("On", "ForceOff", "ForceRestart");
        URI uri = URI.create("http://10.0.0.1:8080/boot/snponly.efi");
        try (RedfishClient client = new RedfishClient(config().withAuth(Auth.BASIC).withSystemId("437XR1138R2"))) {
            SystemInfo sys = client.readSystem();
            assertThat(sys.etag()).isNull();
            assertThat(sys.allowedResetTypes()).containsExactly("On", "ForceOff", "ForceRestart");
            client.setOneTimeBoot(sys, BootTarget.UEFI_HTTP, uri);
            assertThat(client.reset(sys)).isEqualTo("On");
        }
        FakeRedfishBmc.Request patch = bmc.requests("PATCH", FakeRedfishBmc.SYSTEM).get(0);
        assertThat(Json.parse(patch.body())).isEqualTo(Json.parse(
                "{\"Boot\":{\"BootSourceOverrideEnabled\":\"Once\",\"BootSourceOverrideTarget\":\"UefiHttp\","
                        + "\"BootSourceOverrideMode\":\"UEFI\",\"HttpBootUri\":\"http://10.0.0.1:8080/boot/snponly.efi\"}}"));
        assertThat(patch.header("If-Match")).as("no ETag from the BMC, so no If-Match").isNull();
        assertThat(patch.header("Authorization")).startsWith("Basic ");
        assertThat(bmc.requests("POST", "/redfish/v1/SessionService/Sessions")).isEmpty();
        assertThat(bmc.httpBootUri).isEqualTo(uri.toString());
        assertThat(bmc.lastResetType).isEqualTo("On");
        assertThat(bmc.bootedFrom).isEqualTo("UefiHttp");
    }

    @Test
    void wrongPasswordIsALoginFailureInBothAuthModes() {
        for (Auth auth : Auth.values()) {
            Config bad = new Config(bmc.uri(), "root", PASSWORD + "x", auth, null, null, null, null);
            try (RedfishClient client = new RedfishClient(bad)) {
                RedfishException e = expect(RedfishException.class, client::readSystem);
                assertThat(e.kind()).isEqualTo(Kind.LOGIN);
                assertThat(e.getMessage()).contains("rejected the login for user root (HTTP 401)")
                        .doesNotContain(PASSWORD + "x");
            }
        }
    }

    @Test
    void aStallingBmcTimesOutWithTheConfiguredReadTimeout() {
        bmc.stallMillis = 3000;
        Config c = config().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300));
        try (RedfishClient client = new RedfishClient(c)) {
            long t0 = System.nanoTime();
            RedfishException e = expect(RedfishException.class, client::readSystem);
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e.getMessage()).contains("did not answer").contains("within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void aBmcThatDoesNotAcceptTheConnectionTimesOutWithTheConnectTimeout() throws Exception {
        try (FullBacklog dead = new FullBacklog()) {
            Config c = Config.of(dead.uri("http"), "root", PASSWORD).withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5));
            try (RedfishClient client = new RedfishClient(c)) {
                long t0 = System.nanoTime();
                RedfishException e = expect(RedfishException.class, client::readSystem);
                assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
                assertThat(e.getMessage()).isEqualTo("Could not connect to the BMC at " + dead.uri("http") + " within 300 ms.");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            }
        }
    }

    @Test
    void anExpiredSessionIsRenewedOnce() throws Exception {
        try (RedfishClient client = new RedfishClient(config())) {
            SystemInfo sys = client.readSystem();
            bmc.expireSessions();
            client.reset(sys);
        }
        assertThat(bmc.lastResetType).isEqualTo("ForceRestart");
        assertThat(bmc.requests("POST", "/redfish/v1/SessionService/Sessions")).hasSize(2);
    }

    @Test
    void aRefusedPatchShowsTheExtendedInfoMessage() throws Exception {
        bmc.advertiseBootTargets = false;
        bmc.bootTargets = List.of("None", "Pxe", "Hdd");
        try (RedfishClient client = new RedfishClient(config())) {
            SystemInfo sys = client.readSystem();
            RedfishException e = expect(RedfishException.class,
                    () -> client.setOneTimeBoot(sys, BootTarget.UEFI_HTTP, null));
            assertThat(e.kind()).isEqualTo(Kind.REFUSED);
            assertThat(e.getMessage()).isEqualTo("The BMC refused to set the one-time boot to UefiHttp (HTTP 400):"
                    + " The value 'UefiHttp' for the property BootSourceOverrideTarget is not in the list of acceptable values.");
        }
    }

    @Test
    void anUnadvertisedBootTargetIsReportedWithoutPatching() throws Exception {
        bmc.bootTargets = List.of("None", "Pxe", "Cd", "Usb", "Hdd", "BiosSetup", "Utilities", "Diags", "SDCard", "UefiTarget");
        try (RedfishClient client = new RedfishClient(config())) {
            SystemInfo sys = client.readSystem();
            RedfishException e = expect(RedfishException.class,
                    () -> client.setOneTimeBoot(sys, BootTarget.UEFI_HTTP, URI.create("http://10.0.0.1/x.efi")));
            assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
            assertThat(e.getMessage()).startsWith("The BMC does not offer the boot target UefiHttp (it allows None, Pxe,");
        }
        assertThat(bmc.requests("PATCH", FakeRedfishBmc.SYSTEM)).isEmpty();
    }

    @Test
    void aBmcWithoutHttpBootUriCannotBeGivenAUri() throws Exception {
        bmc.hasHttpBootUri = false;
        try (RedfishClient client = new RedfishClient(config())) {
            SystemInfo sys = client.readSystem();
            RedfishException e = expect(RedfishException.class,
                    () -> client.setOneTimeBoot(sys, BootTarget.UEFI_HTTP, URI.create("http://10.0.0.1/x.efi")));
            assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
            assertThat(e.getMessage()).contains("no Boot.HttpBootUri");
        }
    }

    @Test
    void aResetTypeTheBmcDoesNotAllowIsRefusedBeforeSending() throws Exception {
        bmc.resetTypes = List.of("ForceOff", "Nmi");
        try (RedfishClient client = new RedfishClient(config())) {
            SystemInfo sys = client.readSystem();
            RedfishException e = expect(RedfishException.class, () -> client.reset(sys));
            assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
            assertThat(e.getMessage()).isEqualTo("The BMC allows none of the reset types that would boot this running"
                    + " system (it allows ForceOff, Nmi).");
        }
        assertThat(bmc.lastResetType).isNull();
    }

    @Test
    void aResetTheBmcRejectsShowsItsMessage() throws Exception {
        try (RedfishClient client = new RedfishClient(config())) {
            SystemInfo sys = client.readSystem();
            bmc.resetTypes = List.of("On"); // the BMC changed its mind after we read it
            RedfishException e = expect(RedfishException.class, () -> client.reset(sys, "ForceRestart"));
            assertThat(e.kind()).isEqualTo(Kind.REFUSED);
            assertThat(e.getMessage()).contains("(HTTP 400): The value 'ForceRestart' for the parameter ResetType");
        }
    }

    @Test
    void anEtagMismatchIs412AndARereadSucceeds() throws Exception {
        try (RedfishClient client = new RedfishClient(config())) {
            SystemInfo stale = client.readSystem();
            bmc.touch(); // somebody else changed the system
            RedfishException e = expect(RedfishException.class, () -> client.setOneTimeBoot(stale, BootTarget.PXE, null));
            assertThat(e.kind()).isEqualTo(Kind.CHANGED);
            assertThat(e.getMessage()).contains("ETag mismatch, HTTP 412");
            assertThat(bmc.overrideEnabled).isEqualTo("Disabled");

            SystemInfo fresh = client.readSystem();
            client.setOneTimeBoot(fresh, BootTarget.PXE, null);
            assertThat(bmc.overrideEnabled).isEqualTo("Once");
        }
        List<FakeRedfishBmc.Request> patches = bmc.requests("PATCH", FakeRedfishBmc.SYSTEM);
        assertThat(patches).extracting(r -> r.header("If-Match")).containsExactly("W/\"1\"", "W/\"2\"");
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        URI dead;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        try (RedfishClient client = new RedfishClient(Config.of(dead, "root", PASSWORD))) {
            RedfishException e = expect(RedfishException.class, client::readSystem);
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
        }
    }

    @Test
    void configToStringHidesThePassword() {
        assertThat(config().toString()).doesNotContain(PASSWORD).contains("root");
    }

    @Test
    void errorMessagePrefersExtendedInfoThenTheGeneralMessage() {
        assertThat(RedfishClient.errorMessage("{\"error\":{\"code\":\"Base.1.0.GeneralError\",\"message\":\"General.\"}}"))
                .isEqualTo("General.");
        assertThat(RedfishClient.errorMessage("not json")).isNull();
        assertThat(RedfishClient.errorMessage("")).isNull();
    }

    @Test
    void selfSignedCertificateIsReportedThenTrustedOnceConfirmed() throws Exception {
        SelfSignedTls tls = new SelfSignedTls("bmc.example");
        String fingerprint = PinnedTls.fingerprint(tls.certificate);
        try (FakeRedfishBmc https = new FakeRedfishBmc("root", PASSWORD, tls.serverContext)) {
            Config c = Config.of(https.uri(), "root", PASSWORD);
            try (RedfishClient first = new RedfishClient(c)) {
                RedfishException e = expect(RedfishException.class, first::readSystem);
                assertThat(e.kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
                assertThat(e.fingerprint()).isEqualTo(fingerprint);
                assertThat(e.getMessage()).contains(fingerprint);
            }
            assertThat(https.requests).as("no credentials were sent to an untrusted server").isEmpty();

            String confirmed = fingerprint.replace(":", "").toLowerCase(java.util.Locale.ROOT);
            try (RedfishClient pinned = new RedfishClient(c.withTrustedSha256(confirmed))) {
                assertThat(pinned.readSystem().id()).isEqualTo("437XR1138R2");
            }

            String other = "00:" + fingerprint.substring(3);
            try (RedfishClient wrong = new RedfishClient(c.withTrustedSha256(other))) {
                RedfishException e = expect(RedfishException.class, wrong::readSystem);
                assertThat(e.kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
                assertThat(e.fingerprint()).isEqualTo(fingerprint);
            }
        }
    }

    @Test
    void fingerprintsNormalise() {
        String hex = "ab".repeat(32);
        assertThat(PinnedTls.normalize(hex)).isEqualTo(("AB:".repeat(32)).substring(0, 95));
        assertThatThrownBy(() -> PinnedTls.normalize("abcd")).isInstanceOf(IllegalArgumentException.class);
    }
}
