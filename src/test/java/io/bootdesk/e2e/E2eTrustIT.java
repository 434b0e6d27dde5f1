package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Acceptance of issue 3 (trust): stock firmware and stock iPXE (Debian 12's ROM and Debian trixie's ipxe / ovmf,
 * see {@link Trixie}) boot Linux from BootDesk as the only server with the kernel and initrd over HTTPS, trusting
 * BootDesk's own CA by each path the issue names; machines with a client certificate (from a {@code bootdesk media
 * create} disk, or by approved network enrolment) receive a script carrying their secret over mutual TLS, and are
 * refused once the certificate is revoked.
 * <p>
 * What is asserted, per case: the booted initramfs prints the marker with the case and MAC of its image (and the
 * SHA-256 of the secret where one is used); iPXE's console lines show that the script, kernel and initrd were
 * fetched with https:// (UEFI HTTP Boot shows its URI); {@code bootdesk events} holds the steps; no secret value
 * appears in serve's log, the events or the console. {@link E2eTrustHarnessIT} runs the same paths against a
 * reference server, so a failure here points at BootDesk.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class E2eTrustIT {
    private static final String SECRET_NAME = "token";

    @BeforeAll
    static void requirements() {
        E2e.requireQemuLab();
        Requirements.require(Files.isRegularFile(BootDesk.jar()),
                BootDesk.jar() + " (built by './mvnw package'; failsafe passes it as -Dbootdesk.jar)");
        E2e.trixie();
        E2e.payload();
    }

    @AfterAll
    static void summary() {
        if (!E2e.timings().isEmpty()) {
            System.out.println("E2E timings (seconds from QEMU start to the marker, TCG):");
            E2e.timings().forEach(t -> System.out.println("  " + t));
        }
    }

    /**
     * (a) SeaBIOS + Debian 12's iPXE ROM (no HTTPS): BootDesk answers with 175.90 and trixie's undionly.kpxe by
     * TFTP; the chained iPXE trusts BootDesk's CA from the ROM's DHCP packet and fetches script, kernel and initrd
     * over HTTPS. (BIOS iPXE has no other way to trust a private CA.)
     */
    @Test
    void a_biosRomChainsUndionlyThenHttps() throws Exception {
        httpsLinuxCase("trust-a-bios-chain", QemuVm.Spec.of(QemuVm.Variant.BIOS_IPXE_ROM), 0x3a, false,
                List.of("DHCP_ACK", "TFTP_DONE", "DHCP_ACK", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED"));
    }

    /** (b) trixie OVMF's own PXE, no CA in firmware: 175.90 sent unasked, snponly.efi by TFTP, then HTTPS. */
    @Test
    void b_uefiPxeSnponlyThenHttps() throws Exception {
        httpsLinuxCase("trust-b-uefi-pxe", QemuVm.Spec.of(QemuVm.Variant.UEFI_PXE).trixie(E2e.trixie()), 0x3b, false,
                List.of("DHCP_ACK", "TFTP_DONE", "DHCP_ACK", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED"));
    }

    /**
     * (c1) UEFI HTTPS Boot: trixie OVMF with BootDesk's CA ({@code ca export --format esl}) in fw_cfg, {@code serve
     * --uefi-https}: the firmware fetches iPXE over HTTPS, the iPXE inherits the trust (TlsCaCertificate) and
     * fetches script, kernel and initrd over HTTPS.
     */
    @Test
    void c1_uefiHttpsBootIpxeThenHttps() throws Exception {
        httpsLinuxCase("trust-c1-uefi-https-ipxe", QemuVm.Spec.of(QemuVm.Variant.UEFI_HTTP).trixie(E2e.trixie()), 0x3c,
                true, List.of("DHCP_ACK", "HTTP_FILE_DONE", "DHCP_ACK", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED"));
    }

    /** (c2) UEFI HTTPS Boot straight to an assigned EFI payload (a UKI), no iPXE in between. */
    @Test
    void c2_uefiHttpsBootUki() throws Exception {
        String name = "trust-c2-uefi-https-uki";
        String mac = E2e.mac(0x4c);
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir(name);
        try (NetLab lab = NetLab.create(); BootDesk bd = new BootDesk(lab, dir)) {
            bd.serve(serveArgs(lab, "--uefi-https"));
            bd.cli("image", "add", "efi", "--name", "uki", "--file", payload.uki.toString());
            bd.cli("assign", mac, "uki");
            Path esl = caEsl(bd, dir);
            QemuVm.Spec spec = QemuVm.Spec.of(QemuVm.Variant.UEFI_HTTP).trixie(E2e.trixie()).caCerts(esl);
            try (QemuVm vm = QemuVm.start(lab, spec, mac, dir.resolve("vm"))) {
                QemuVm.Line m = E2eBootIT.withContext(bd, mac, () -> vm.await(E2e.marker(BootPayload.UKI_CASE),
                        E2e.BOOT_TIMEOUT, "the UKI's marker"));
                assertThat(vm.find(Pattern.compile("URI: https://" + Pattern.quote(lab.serverIp) + "(:443)?/\\S*uki")))
                        .as("OVMF fetched the UKI over HTTPS:\n" + vm.tail(30)).isPresent();
                assertThat(vm.find(Pattern.compile("URI: http://"))).as("nothing over plain HTTP").isEmpty();
                List<BootdeskOutput.Event> ev = E2eBootIT.expectEvents(bd, mac, List.of("DHCP_ACK", "HTTP_FILE_DONE", "BOOTED"));
                assertThat(ev).noneMatch(e -> e.type().equals("HTTP_SCRIPT"));
                E2e.timing(name, m, spec.describe());
                lab.checkIsolation();
            }
        }
    }

    /**
     * (d) mutual TLS from a {@code bootdesk media create} disk: trixie OVMF (CA in fw_cfg) boots the FAT image,
     * whose stock ipxe.efi + autoexec.ipxe present the machine's certificate and receive the script with its secret;
     * the booted initramfs prints the secret's hash. After {@code bootdesk cert revoke} the same disk is refused:
     * iPXE shows the error, {@code bootdesk events} says revoked.
     */
    @Test
    void d_mediaDiskMutualTlsThenRevoked() throws Exception {
        Requirements.requireCommand("mcopy", "mtools");
        String name = "trust-d-media-mtls";
        String mac = E2e.mac(0x3d);
        String secret = newSecret();
        BootPayload payload = E2e.payload();
        Trixie trixie = E2e.trixie();
        Path dir = E2e.runDir(name);
        try (NetLab lab = NetLab.create(); BootDesk bd = new BootDesk(lab, dir)) {
            bd.serve(serveArgs(lab));
            secretImage(bd, payload, name, mac, secret);
            Path esl = caEsl(bd, dir);
            Path disk = dir.resolve("disk.img");
            bd.cli("media", "create", mac, "--out", disk.toString(), "--ipxe-dir", trixie.ipxeDir.toString());
            // what the operator would write to a USB stick: stock iPXE and the autoexec.ipxe
            String ls = Cmd.check("mdir", "-i", disk.toString(), "-/", "::");
            assertThat(ls).containsIgnoringCase("BOOTX64").containsIgnoringCase("autoexec.ipxe");
            QemuVm.Spec spec = QemuVm.Spec.of(QemuVm.Variant.UEFI_DISK).trixie(trixie).caCerts(esl).disk(disk);
            String mtls = "https://" + lab.serverIp + ":8443/";
            try (QemuVm vm = QemuVm.start(lab, spec, mac, dir.resolve("vm"))) {
                QemuVm.Line m = E2eBootIT.withContext(bd, mac, () -> vm.await(E2e.marker(name), E2e.BOOT_TIMEOUT, "the marker"));
                assertThat(m.text()).contains("mac=" + mac.toLowerCase(Locale.ROOT))
                        .contains("secret_sha256=" + E2e.sha256Hex(secret));
                assertThat(vm.find(Pattern.compile("file:/?(EFI/BOOT/)?autoexec\\.ipxe\\.\\.\\. ok")))
                        .as("iPXE ran the disk's autoexec.ipxe").isPresent();
                assertThat(vm.find(Pattern.compile(Pattern.quote(mtls) + "\\S*\\.ipxe\\.\\.\\..*ok")))
                        .as("the script came over the mutual-TLS listener").isPresent();
                assertFetchedOverHttps(vm, lab, "vmlinuz", "initrd.gz");
                List<BootdeskOutput.Event> ev = E2eBootIT.expectEvents(bd, mac,
                        List.of("HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED"));
                assertThat(ev).as("script served over mutual TLS").anyMatch(e -> e.type().equals("HTTP_SCRIPT")
                        && e.message().toLowerCase(Locale.ROOT).contains("mutual tls"));
                E2e.timing(name, m, spec.describe());
            }
            bd.cli("cert", "revoke", mac);
            Cmd.sleep(1500); // serve sees a CLI revocation within a second
            try (QemuVm vm = QemuVm.start(lab, spec, mac, dir.resolve("vm-revoked"))) {
                QemuVm.Line err = E2eBootIT.withContext(bd, mac, () -> vm.await(refusedAt(mtls), E2e.BOOT_TIMEOUT,
                        "iPXE's error for the refused mutual-TLS request"));
                assertThat(vm.find(E2e.marker(name))).isEmpty();
                List<BootdeskOutput.Event> ev = E2eBootIT.expectEvents(bd, mac, List.of("HTTP_REFUSED"));
                assertThat(ev).as("bootdesk events says revoked").anyMatch(e -> e.type().equals("HTTP_REFUSED")
                        && e.message().toLowerCase(Locale.ROOT).contains("revoked"));
                System.out.printf(Locale.ROOT, "E2E-TIMING case=%s-revoked refused_s=%.1f (%s)%n", name, err.seconds(), err.text());
            }
            assertSecretNeverShown(bd, dir, secret);
            lab.checkIsolation();
        }
    }

    /**
     * (e) mutual TLS by approved network enrolment: {@code bootdesk cert approve MAC}; trixie OVMF's HTTPS Boot with
     * BootDesk's CA in fw_cfg ({@code --uefi-https}; the path of c1, so this case tests enrolment, not 175.90) ->
     * snponly.efi -> the server-authenticated HTTPS script sets cert/privkey once and chains the mutual-TLS script
     * with the secret. After {@code cert revoke} the machine is refused and the event says why.
     */
    @Test
    void e_networkEnrolmentMutualTlsThenRevoked() throws Exception {
        String name = "trust-e-enrolment-mtls";
        String mac = E2e.mac(0x3e);
        String secret = newSecret();
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir(name);
        try (NetLab lab = NetLab.create(); BootDesk bd = new BootDesk(lab, dir)) {
            bd.serve(serveArgs(lab, "--uefi-https"));
            QemuVm.Spec spec = QemuVm.Spec.of(QemuVm.Variant.UEFI_HTTP).trixie(E2e.trixie()).caCerts(caEsl(bd, dir));
            secretImage(bd, payload, name, mac, secret);
            bd.cli("cert", "approve", mac);
            String https = "https://" + lab.serverIp + "/";
            String mtls = "https://" + lab.serverIp + ":8443/";
            try (QemuVm vm = QemuVm.start(lab, spec, mac, dir.resolve("vm"))) {
                QemuVm.Line m = E2eBootIT.withContext(bd, mac, () -> vm.await(E2e.marker(name), E2e.BOOT_TIMEOUT, "the marker"));
                assertThat(m.text()).contains("mac=" + mac.toLowerCase(Locale.ROOT))
                        .contains("secret_sha256=" + E2e.sha256Hex(secret));
                assertThat(vm.find(Pattern.compile(Pattern.quote(https) + "\\S*\\.ipxe\\S*\\.\\.\\..*ok")))
                        .as("a script over server-authenticated HTTPS (it carries the certificate)").isPresent();
                assertThat(vm.find(Pattern.compile(Pattern.quote(mtls) + "\\S*\\.ipxe\\S*\\.\\.\\..*ok")))
                        .as("then the script over mutual TLS").isPresent();
                assertFetchedOverHttps(vm, lab, "vmlinuz", "initrd.gz");
                List<BootdeskOutput.Event> ev = E2eBootIT.expectEvents(bd, mac,
                        List.of("DHCP_ACK", "HTTP_FILE_DONE", "DHCP_ACK", "HTTP_SCRIPT", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED"));
                assertThat(ev).anyMatch(e -> e.type().equals("HTTP_SCRIPT") && e.message().toLowerCase(Locale.ROOT).contains("over https"));
                assertThat(ev).anyMatch(e -> e.type().equals("HTTP_SCRIPT") && e.message().toLowerCase(Locale.ROOT).contains("mutual tls"));
                String certs = bd.cli("cert", "list");
                assertThat(certs.lines().filter(l -> l.toLowerCase(Locale.ROOT).contains(mac.toLowerCase(Locale.ROOT))))
                        .as("cert list records that the key went out in a script:\n" + certs)
                        .anyMatch(l -> l.toUpperCase(Locale.ROOT).contains("SCRIPT"));
                E2e.timing(name, m, spec.describe());
            }
            bd.cli("cert", "revoke", mac);
            Cmd.sleep(1500);
            try (QemuVm vm = QemuVm.start(lab, spec, mac, dir.resolve("vm-revoked"))) {
                QemuVm.Line err = E2eBootIT.withContext(bd, mac, () -> vm.await(refusedAt(mtls), E2e.BOOT_TIMEOUT,
                        "iPXE's error for the refused mutual-TLS request"));
                assertThat(vm.find(E2e.marker(name))).isEmpty();
                List<BootdeskOutput.Event> ev = E2eBootIT.expectEvents(bd, mac, List.of("HTTP_REFUSED"));
                String refusals = String.join("\n", ev.stream().filter(e -> e.type().equals("HTTP_REFUSED"))
                        .map(BootdeskOutput.Event::message).toList());
                assertThat(refusals).as("the refusal says why").containsIgnoringCase("certificate");
                System.out.printf(Locale.ROOT, "E2E-TIMING case=%s-revoked refused_s=%.1f (%s) events: %s%n", name,
                        err.seconds(), err.text(), refusals);
            }
            assertSecretNeverShown(bd, dir, secret);
            lab.checkIsolation();
        }
    }

    /**
     * (f) an iPXE that has HTTPS but not BootDesk's trust (trixie's own legacy ROM, pxe-virtio.rom, on SeaBIOS): its
     * own answer's 175.90 comes too late for it, so BootDesk's plain-HTTP stage script tries HTTPS, fails, and chains
     * trixie's undionly.kpxe by TFTP; that iPXE trusts BootDesk from the ROM's cached DHCP answer and must then get
     * script, kernel and initrd over HTTPS (the loop guard may stop a second chain, not this first HTTPS attempt).
     */
    @Test
    void f_httpsRomWithoutTrustStageChainsUndionlyThenHttps() throws Exception {
        String name = "trust-f-https-rom-stage";
        String mac = E2e.mac(0x3f);
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir(name);
        QemuVm.Spec spec = QemuVm.Spec.of(QemuVm.Variant.BIOS_IPXE_ROM).romfile(E2e.trixie().pxeVirtioRom);
        try (NetLab lab = NetLab.create(); BootDesk bd = new BootDesk(lab, dir)) {
            bd.serve(serveArgs(lab));
            addLinuxImage(bd, payload, name, "");
            bd.cli("assign", mac, name);
            try (QemuVm vm = QemuVm.start(lab, spec, mac, dir.resolve("vm"))) {
                QemuVm.Line m = E2eBootIT.withContext(bd, mac, () -> vm.await(E2e.marker(name), E2e.BOOT_TIMEOUT, "the marker"));
                assertThat(vm.find(Pattern.compile("iPXE 1\\.21\\.1"))).as("trixie's ROM ran (romfile=)").isPresent();
                assertThat(vm.find(Pattern.compile("http://" + Pattern.quote(lab.serverIp) + "/\\S*\\.ipxe\\S*\\.\\.\\..*ok")))
                        .as("the plain-HTTP stage script").isPresent();
                assertThat(vm.find(Pattern.compile("tftp://" + Pattern.quote(lab.serverIp) + "/undionly\\.kpxe\\.\\.\\..*ok")))
                        .as("the stage script chained undionly.kpxe:\n" + vm.tail(30)).isPresent();
                assertThat(vm.find(Pattern.compile("https://" + Pattern.quote(lab.serverIp) + "(:443)?/\\S*\\.ipxe\\S*\\.\\.\\..*ok")))
                        .as("the chained iPXE fetched its script over HTTPS:\n" + vm.tail(30)).isPresent();
                assertFetchedOverHttps(vm, lab, "vmlinuz", "initrd.gz");
                assertThat(vm.lines().stream().filter(l -> l.text().contains("iPXE initialising devices")).count())
                        .as("ROM + one chained iPXE, no loop").isLessThanOrEqualTo(2);
                List<BootdeskOutput.Event> ev = E2eBootIT.expectEvents(bd, mac,
                        List.of("DHCP_ACK", "HTTP_SCRIPT", "TFTP_DONE", "DHCP_ACK", "HTTP_SCRIPT", "HTTP_FILE_DONE", "BOOTED"));
                assertThat(ev).anyMatch(e -> e.type().equals("HTTP_SCRIPT") && e.message().toLowerCase(Locale.ROOT).contains("over https"));
                E2e.timing(name, m, spec.describe());
                lab.checkIsolation();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Full mode, HTTPS on (defaults 443 / 8443), trixie's HTTPS-capable iPXE binaries to chain. */
    static String[] serveArgs(NetLab lab, String... extra) {
        List<String> a = Cmd.list("--mode", "full", "--pool", lab.net(100) + "-" + lab.net(150),
                "--ipxe-dir", E2e.trixie().ipxeDir.toString());
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private void httpsLinuxCase(String name, QemuVm.Spec spec, int macIndex, boolean caInFirmware, List<String> events)
            throws Exception {
        String mac = E2e.mac(macIndex);
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir(name);
        try (NetLab lab = NetLab.create(); BootDesk bd = new BootDesk(lab, dir)) {
            bd.serve(caInFirmware ? serveArgs(lab, "--uefi-https") : serveArgs(lab));
            addLinuxImage(bd, payload, name, "");
            bd.cli("assign", mac, name);
            QemuVm.Spec s = caInFirmware ? spec.caCerts(caEsl(bd, dir)) : spec;
            try (QemuVm vm = QemuVm.start(lab, s, mac, dir.resolve("vm"))) {
                QemuVm.Line m = E2eBootIT.withContext(bd, mac, () -> vm.await(E2e.marker(name), E2e.BOOT_TIMEOUT, "the marker"));
                assertThat(m.text()).contains("mac=" + mac.toLowerCase(Locale.ROOT));
                assertThat(vm.find(Pattern.compile("https://" + Pattern.quote(lab.serverIp) + "(:443)?/\\S*\\.ipxe\\S*\\.\\.\\..*ok")))
                        .as("the boot script came over HTTPS:\n" + vm.tail(30)).isPresent();
                assertFetchedOverHttps(vm, lab, "vmlinuz", "initrd.gz");
                if (spec.variant() == QemuVm.Variant.UEFI_HTTP) {
                    assertThat(vm.find(Pattern.compile("URI: https://" + Pattern.quote(lab.serverIp))))
                            .as("OVMF's HTTP Boot used HTTPS").isPresent();
                }
                List<BootdeskOutput.Event> ev = E2eBootIT.expectEvents(bd, mac, events);
                assertThat(ev).as("a script served over HTTPS").anyMatch(e -> e.type().equals("HTTP_SCRIPT")
                        && e.message().toLowerCase(Locale.ROOT).contains("over https"));
                E2e.timing(name, m, s.describe());
                lab.checkIsolation();
            }
        }
    }

    /**
     * iPXE prints each URL it fetches ({@code URL... ok}); every fetch of a file named like one of {@code files}
     * from the server was https://, and there was at least one of each.
     */
    static void assertFetchedOverHttps(QemuVm vm, NetLab lab, String... files) {
        for (String f : files) {
            Pattern any = Pattern.compile("(https?)://" + Pattern.quote(lab.serverIp) + "(:\\d+)?/\\S*" + Pattern.quote(f)
                    + "\\S*\\.\\.\\.");
            List<QemuVm.Line> fetches = vm.lines().stream().filter(l -> any.matcher(l.text()).find()).toList();
            assertThat(fetches).as(f + " fetched (console:\n" + vm.tail(30) + ")").isNotEmpty();
            assertThat(fetches).as(f + " fetched over https only").allMatch(l -> l.text().contains("https://"));
            assertThat(fetches.getLast().text()).as(f + " fetched").containsPattern("\\.\\.\\..*ok");
        }
    }

    /** iPXE's line for a failed fetch from {@code base}: {@code URL... <error> (https://ipxe.org/...)}. */
    static Pattern refusedAt(String base) {
        return Pattern.compile(Pattern.quote(base) + "\\S*\\.\\.\\.+ *(?!ok\\b)[A-Za-z].*\\(https?://ipxe\\.org/[0-9a-f]+\\)");
    }

    /** A Linux image named after the case; {@code extraCmdline} is appended to the usual command line. */
    static void addLinuxImage(BootDesk bd, BootPayload p, String name, String extraCmdline) {
        bd.cli("image", "add", "linux", "--name", name, "--kernel", p.kernel.toString(), "--initrd", p.initrd.toString(),
                "--cmdline", BootPayload.BASE_CMDLINE + " bde2e_case=" + name + " bde2e_mac={{ mac }}" + extraCmdline);
    }

    /** A secret for {@code mac}, an image whose kernel command line passes it to the initramfs, assigned. */
    static void secretImage(BootDesk bd, BootPayload p, String name, String mac, String secret) {
        bd.cli("secret", "set", mac, SECRET_NAME, secret);
        addLinuxImage(bd, p, name, " " + BootPayload.SECRET_PARAM + "={{ secret." + SECRET_NAME + " }}");
        bd.cli("assign", mac, name);
    }

    static String newSecret() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return "s3cret-" + HexFormat.of().formatHex(b);
    }

    /** BootDesk's CA as an EFI signature list ({@code ca export --format esl}) for OVMF's fw_cfg. */
    static Path caEsl(BootDesk bd, Path dir) {
        Path esl = dir.resolve("ca.esl");
        bd.cli("ca", "export", "--format", "esl", "--out", esl.toString());
        return esl;
    }

    /** The secret's value is in none of: serve's log, the journal, the consoles (only its hash may be). */
    static void assertSecretNeverShown(BootDesk bd, Path runDir, String secret) throws IOException {
        assertThat(bd.logText()).as("serve's log").doesNotContain(secret);
        assertThat(bd.cli("events", "--limit", "100000")).as("bootdesk events").doesNotContain(secret);
        try (var files = Files.walk(runDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("serial.log")).toList()) {
                assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString())
                        .doesNotContain(secret);
            }
        }
    }
}
