package io.bootdesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.MacAddress;
import io.bootdesk.store.AssignmentStore;
import io.bootdesk.store.EnrolmentStore;
import io.bootdesk.store.LoaderCapabilityStore;
import io.bootdesk.store.SecretStore;
import io.bootdesk.testing.CoreFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planner with HTTPS on: trust delivery, chaining with loop guards, secrets only over mutual TLS. */
class BootPlannerHttpsTest {
    static final MacAddress A = MacAddress.parse("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.parse("52:54:00:00:00:0b");

    @TempDir
    Path tmp;
    CoreFixture core;
    BootPlanner planner;
    final AtomicInteger keysIssued = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        core = new CoreFixture(tmp, "10.99.0.1", 80);
        Files.write(core.ipxeDir.resolve("undionly.kpxe"), new byte[] {1});
        Files.writeString(core.ipxeDir.resolve("snponly.efi"), "MZ... Features: DNS HTTP HTTPS iSCSI ...");
        planner = new BootPlanner(new Endpoints("10.99.0.1", 80, 443, 8443), core.loaders, core.catalog, false, mac -> {
            keysIssued.incrementAndGet();
            return "set cert 30:82:aa\nset privkey 30:82:bb\n";
        }, new LoaderCapabilities(new LoaderCapabilityStore(core.db)));
    }

    @AfterEach
    void tearDown() {
        core.close();
    }

    private int xid = 0x100;

    /** A DHCP request in a new exchange (a new transaction id). */
    private BootPlan dhcp(MacAddress mac, ClientKind kind, ClientArch arch, boolean ipxeHttps) {
        return dhcp(mac, kind, arch, ipxeHttps, ++xid);
    }

    private BootPlan dhcp(MacAddress mac, ClientKind kind, ClientArch arch, boolean ipxeHttps, int exchange) {
        return planner.plan(BootRequest.dhcp(mac, null, arch, kind, null, ipxeHttps, BootRequest.Step.DHCP, exchange));
    }

    private BootPlan script(MacAddress mac, BootRequest.Step step, Channel channel, MacAddress proven) {
        return planner.plan(BootRequest.script(mac, step, channel, proven));
    }

    private void assignSecretImage() throws Exception {
        core.images.addLinux("sec", Files.writeString(tmp.resolve("vmlinuz"), "k"), List.of(),
                "quiet token={{ secret.token }}");
        new AssignmentStore(core.db).put(new Assignment(A, "sec", false, Instant.now()));
        new SecretStore(core.db).put(A, "token", "s3cr3t");
        core.catalog.refresh();
    }

    @Test
    void pxeFirmwareGetsTheLoaderWithBootDesksCaFingerprint() {
        BootPlan p = dhcp(A, ClientKind.PXE, ClientArch.EFI_X64, false);
        assertThat(p).isInstanceOf(BootPlan.TftpLoader.class);
        assertThat(((BootPlan.TftpLoader) p).trust()).isTrue();
        assertThat(((BootPlan.TftpLoader) p).file()).isEqualTo("snponly.efi");
    }

    @Test
    void ipxeWithoutHttpsIsChainedOnceAndBootDeskLearnsWhetherItsIpxeHasHttps() {
        BootPlan offer = dhcp(A, ClientKind.IPXE, ClientArch.BIOS_X86, false, 7);
        assertThat(offer).isInstanceOf(BootPlan.TftpLoader.class);
        assertThat(((BootPlan.TftpLoader) offer).file()).isEqualTo("undionly.kpxe");
        // the ROM's REQUEST completes the same exchange: it is still the ROM, and its ACK must say the same
        BootPlan ack = dhcp(A, ClientKind.IPXE, ClientArch.BIOS_X86, false, 7);
        assertThat(ack).isEqualTo(offer);
        // the chained undionly.kpxe asks DHCP (a new exchange) without HTTPS: no second chain, plain HTTP
        BootPlan second = dhcp(A, ClientKind.IPXE, ClientArch.BIOS_X86, false);
        assertThat(second).isInstanceOf(BootPlan.ScriptUrl.class);
        assertThat(((BootPlan.ScriptUrl) second).url()).isEqualTo("http://10.99.0.1/boot/52-54-00-00-00-0a.ipxe");
        assertThat(second.why()).contains("BootDesk's undionly.kpxe, which has no HTTPS");
        // and the next machine is not chained to a binary known to lack HTTPS
        BootPlan other = dhcp(B, ClientKind.IPXE, ClientArch.BIOS_X86, false);
        assertThat(other).isInstanceOf(BootPlan.ScriptUrl.class);
        assertThat(other.why()).contains("has no HTTPS either");
    }

    @Test
    void aChainedIpxeWithHttpsTeachesThatTheBinaryHasHttps() {
        dhcp(A, ClientKind.IPXE, ClientArch.BIOS_X86, false, 9);
        dhcp(A, ClientKind.IPXE, ClientArch.BIOS_X86, false, 9);
        BootPlan chained = dhcp(A, ClientKind.IPXE, ClientArch.BIOS_X86, true);
        assertThat(((BootPlan.ScriptUrl) chained).url()).endsWith("?stage=1");
        assertThat(chained.why()).contains("BootDesk's undionly.kpxe");
        // the next ROM without HTTPS is chained to it straight away
        assertThat(dhcp(B, ClientKind.IPXE, ClientArch.BIOS_X86, false)).isInstanceOf(BootPlan.TftpLoader.class);
    }

    @Test
    void anHttpsCapableIpxeGetsTheStageScriptWhichTriesHttpsThenChainsThenGivesUp() {
        BootPlan p = dhcp(A, ClientKind.IPXE, ClientArch.EFI_X64, true);
        assertThat(((BootPlan.ScriptUrl) p).url()).isEqualTo("http://10.99.0.1/boot/52-54-00-00-00-0a.ipxe?stage=1");
        assertThat(((BootPlan.ScriptUrl) p).trust()).isTrue();

        String stage = ((BootPlan.Script) script(A, BootRequest.Step.STAGE, Channel.HTTP, null)).text();
        assertThat(stage).contains("chain --autofree https://10.99.0.1/boot/52-54-00-00-00-0a.ipxe || goto fallback")
                .contains("iseq ${platform} pcbios && chain --autofree tftp://10.99.0.1/undionly.kpxe ||")
                .contains("iseq ${platform} efi && iseq ${buildarch} x86_64 && chain --autofree tftp://10.99.0.1/snponly.efi ||")
                .contains("chain --autofree http://10.99.0.1/boot/52-54-00-00-00-0a.ipxe");
        // the stage script of the chained iPXE (no HTTPS request in between): HTTPS once more, then plain HTTP
        BootPlan again = script(A, BootRequest.Step.STAGE, Channel.HTTP, null);
        assertThat(((BootPlan.Script) again).text())
                .contains("chain --autofree https://10.99.0.1/boot/52-54-00-00-00-0a.ipxe || goto fallback")
                .doesNotContain("tftp://").contains("chain --autofree http://10.99.0.1/boot/52-54-00-00-00-0a.ipxe");
        assertThat(again.why()).contains("no further chaining");
    }

    @Test
    void aStageFollowedByHttpsIsNotAFailure() {
        script(B, BootRequest.Step.STAGE, Channel.HTTP, null);
        script(B, BootRequest.Step.SCRIPT, Channel.HTTPS, null);
        assertThat(((BootPlan.Script) script(B, BootRequest.Step.STAGE, Channel.HTTP, null)).text()).contains("tftp://");
    }

    @Test
    void scriptsFetchedOverHttpsUseHttpsFileUrls() throws Exception {
        core.images.addLinux("deb", Files.writeString(tmp.resolve("vmlinuz"), "k"), List.of(), "quiet");
        new AssignmentStore(core.db).put(new Assignment(B, "deb", false, Instant.now()));
        core.catalog.refresh();
        String s = ((BootPlan.Script) script(B, BootRequest.Step.SCRIPT, Channel.HTTPS, null)).text();
        assertThat(s).contains("kernel https://10.99.0.1/images/deb/vmlinuz?mac=52-54-00-00-00-0b");
        assertThat(((BootPlan.Script) script(B, BootRequest.Step.SCRIPT, Channel.HTTP, null)).text())
                .contains("kernel http://10.99.0.1/images/deb/vmlinuz");
    }

    @Test
    void secretsGoOnlyOverMutualTlsToTheCertificatesMachine() throws Exception {
        assignSecretImage();
        BootPlan ok = script(A, BootRequest.Step.SCRIPT, Channel.MTLS, A);
        assertThat(((BootPlan.Script) ok).secret()).isTrue();
        assertThat(((BootPlan.Script) ok).text()).contains("token=s3cr3t")
                .contains("kernel https://10.99.0.1/images/sec/vmlinuz");

        BootPlan other = script(A, BootRequest.Step.SCRIPT, Channel.MTLS, B);
        assertThat(other).isEqualTo(new BootPlan.Refused(403, "the client certificate belongs to " + B + ", not to " + A));
        assertThat(script(A, BootRequest.Step.SCRIPT, Channel.MTLS, null)).isInstanceOf(BootPlan.Refused.class);

        for (Channel ch : List.of(Channel.HTTP, Channel.HTTPS)) {
            BootPlan on = script(A, BootRequest.Step.SCRIPT, ch, null);
            assertThat(((BootPlan.Script) on).secret()).isFalse();
            assertThat(((BootPlan.Script) on).text()).doesNotContain("s3cr3t")
                    .contains("chain --autofree https://10.99.0.1:8443/boot/52-54-00-00-00-0a.ipxe");
        }
        assertThat(keysIssued).hasValue(0);
    }

    @Test
    void aMissingSecretIsRefusedNotRenderedEmpty() throws Exception {
        assignSecretImage();
        new SecretStore(core.db).delete(A, "token");
        core.catalog.refresh();
        BootPlan p = script(A, BootRequest.Step.SCRIPT, Channel.MTLS, A);
        assertThat(p).isInstanceOf(BootPlan.Refused.class);
        assertThat(p.why()).contains("secret.token").contains("bootdesk secret set");
    }

    @Test
    void theConsolesPasswordNeverGoesIntoAScriptEvenOverMutualTls() throws Exception {
        core.images.addLinux("leak", Files.writeString(tmp.resolve("vmlinuz"), "k"), List.of(),
                "quiet pw={{ secret.console-password }}");
        new AssignmentStore(core.db).put(new Assignment(A, "leak", false, Instant.now()));
        new SecretStore(core.db).put(A, SecretStore.CONSOLE_PASSWORD, "kvm-pass");
        new SecretStore(core.db).put(A, "token", "s3cr3t");
        core.catalog.refresh();
        assertThat(core.catalog.secrets(A)).containsOnlyKeys("token");
        BootPlan p = script(A, BootRequest.Step.SCRIPT, Channel.MTLS, A);
        assertThat(p).isInstanceOf(BootPlan.Refused.class);
        assertThat(p.why()).contains("console's password").doesNotContain("kvm-pass");
    }

    @Test
    void anApprovedEnrolmentDeliversTheKeyOnceOverHttps() throws Exception {
        assignSecretImage();
        new EnrolmentStore(core.db).approve(A);
        core.catalog.refresh();
        BootPlan enrol = script(A, BootRequest.Step.SCRIPT, Channel.HTTPS, null);
        assertThat(((BootPlan.Script) enrol).secret()).isTrue();
        assertThat(((BootPlan.Script) enrol).text()).contains("set cert 30:82:aa").contains("set privkey 30:82:bb")
                .contains("chain --autofree https://10.99.0.1:8443/boot/52-54-00-00-00-0a.ipxe");
        assertThat(keysIssued).hasValue(1);
        // used up: the next HTTPS script does not carry the key
        BootPlan next = script(A, BootRequest.Step.SCRIPT, Channel.HTTPS, null);
        assertThat(((BootPlan.Script) next).text()).doesNotContain("set privkey");
        assertThat(keysIssued).hasValue(1);
        // never over plain HTTP
        new EnrolmentStore(core.db).approve(A);
        core.catalog.refresh();
        assertThat(((BootPlan.Script) script(A, BootRequest.Step.SCRIPT, Channel.HTTP, null)).text()).doesNotContain("set privkey");
        assertThat(keysIssued).hasValue(1);
    }

    @Test
    void withoutTheMutualTlsListenerSecretsAreRefused() throws Exception {
        assignSecretImage();
        BootPlanner noMtls = new BootPlanner(new Endpoints("10.99.0.1", 80, 443, 0), core.loaders, core.catalog, false, null,
                new LoaderCapabilities(null));
        BootPlan p = noMtls.plan(BootRequest.script(A, BootRequest.Step.SCRIPT, Channel.HTTPS, null));
        assertThat(p).isInstanceOf(BootPlan.Refused.class);
        assertThat(p.why()).contains("mutual-TLS listener is off");
    }

    @Test
    void uefiHttpBootGetsHttpsOnlyWhenItsFirmwareTrustsBootDesk() {
        BootPlan http = dhcp(A, ClientKind.UEFI_HTTP, ClientArch.EFI_X64_HTTP, false);
        assertThat(((BootPlan.HttpEfi) http).url()).isEqualTo("http://10.99.0.1/ipxe/snponly.efi");
        BootPlanner enrolled = new BootPlanner(new Endpoints("10.99.0.1", 80, 443, 8443), core.loaders, core.catalog, true, null,
                new LoaderCapabilities(null));
        BootPlan https = enrolled.plan(new BootRequest(A, null, ClientArch.EFI_X64_HTTP, ClientKind.UEFI_HTTP, null, false,
                BootRequest.Step.DHCP));
        assertThat(((BootPlan.HttpEfi) https).url()).isEqualTo("https://10.99.0.1/ipxe/snponly.efi");
    }

    @Test
    void anEfiIpxeWithoutHttpsIsNotChainedAndWhatWasLearnedOfAKpxeSurvivesARestart() throws Exception {
        Files.write(core.ipxeDir.resolve("snponly.efi"), new byte[] {'M', 'Z', 0, 0}); // Debian 12: no HTTPS in it
        assertThat(dhcp(A, ClientKind.IPXE, ClientArch.EFI_X64, false)).isInstanceOf(BootPlan.ScriptUrl.class);

        dhcp(B, ClientKind.IPXE, ClientArch.BIOS_X86, false); // chained to undionly.kpxe
        dhcp(B, ClientKind.IPXE, ClientArch.BIOS_X86, false); // which reports no HTTPS (a new exchange): remembered
        BootPlanner restarted = new BootPlanner(new Endpoints("10.99.0.1", 80, 443, 8443), core.loaders, core.catalog,
                false, null, new LoaderCapabilities(new LoaderCapabilityStore(core.db)));
        BootPlan p = restarted.plan(BootRequest.dhcp(A, null, ClientArch.BIOS_X86, ClientKind.IPXE, null, false,
                BootRequest.Step.DHCP, 1));
        assertThat(p).isInstanceOf(BootPlan.ScriptUrl.class);
        assertThat(p.why()).contains("has no HTTPS either");
    }
}
