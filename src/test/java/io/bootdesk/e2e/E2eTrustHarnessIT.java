package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.testing.Requirements;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Self-test of the trust harness, independent of BootDesk: the trust paths of issue 3 against a reference server
 * made of stock programs (dnsmasq for DHCP/TFTP/RAs, {@link ReferenceHttps} = the JDK's HttpsServer, a CA made
 * with openssl by {@link ReferencePki}) and Debian trixie's binaries ({@link Trixie}). If these pass and an
 * {@link E2eTrustIT} case fails, the product is the suspect, not the harness, the firmware or the payload.
 * Each case boots real iPXE / OVMF to the payload's marker over HTTPS.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class E2eTrustHarnessIT {

    @BeforeAll
    static void requirements() {
        E2e.requireQemuLab();
        Requirements.requireCommand("dnsmasq", "dnsmasq-base");
        Requirements.requireCommand("openssl", "openssl");
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

    /** SeaBIOS + Debian 12's iPXE ROM (no HTTPS) gets 175.90 and trixie's undionly.kpxe, which trusts it: HTTPS. */
    @Test
    void t1_biosRomChainsTrixieUndionlyTrustedBy17590() throws Exception {
        refBoot("ref-trust-bios-chain", QemuVm.Spec.of(QemuVm.Variant.BIOS_IPXE_ROM), 0x91, false,
                (lab, fp) -> List.of(
                        "dhcp-match=set:https,175,20",
                        "dhcp-option=tag:ipxe,encap:175,90," + fp,
                        "dhcp-boot=tag:ipxe,tag:!https,undionly.kpxe",
                        "dhcp-boot=tag:https,https://" + lab.serverIp + "/boot.ipxe"));
    }

    /**
     * SeaBIOS + trixie's HTTPS-capable legacy ROM (romfile=, disable-legacy=on): 175.90 in its own answer comes too
     * late for it, so a plain-HTTP stage script tries HTTPS and chains trixie's undionly.kpxe, which trusts the CA
     * from the ROM's cached answer and gets the stage script again: HTTPS.
     */
    @Test
    void t1s_httpsRomStageScriptChainsUndionly() throws Exception {
        refBoot("ref-trust-bios-rom-stage", QemuVm.Spec.of(QemuVm.Variant.BIOS_IPXE_ROM).romfile(E2e.trixie().pxeVirtioRom),
                0x94, false, (lab, fp) -> List.of(
                        "dhcp-option=tag:ipxe,encap:175,90," + fp,
                        "dhcp-boot=tag:ipxe,http://" + lab.serverIp + "/stage.ipxe"));
    }

    /** Trixie OVMF's own PXE, no CA in firmware: 175.90 forced into its answer, snponly.efi trusts it: HTTPS. */
    @Test
    void t6_uefiPxeSnponlyTrustedBy17590SentUnasked() throws Exception {
        refBoot("ref-trust-uefi-pxe", QemuVm.Spec.of(QemuVm.Variant.UEFI_PXE).trixie(E2e.trixie()), 0x92, false,
                (lab, fp) -> List.of(
                        "dhcp-match=set:https,175,20",
                        "dhcp-option-force=tag:efi64,encap:175,90," + fp,
                        "dhcp-boot=tag:efi64,tag:!ipxe,snponly.efi",
                        "dhcp-boot=tag:https,https://" + lab.serverIp + "/boot.ipxe"));
    }

    /** Trixie OVMF's HTTP Boot with the CA from fw_cfg: the UKI straight over HTTPS. */
    @Test
    void t3_uefiHttpsBootWithCaInFirmware() throws Exception {
        refBoot("ref-trust-uefi-https", QemuVm.Spec.of(QemuVm.Variant.UEFI_HTTP).trixie(E2e.trixie()), 0x93, true,
                (lab, fp) -> List.of(
                        "dhcp-vendorclass=set:httpboot,HTTPClient",
                        "dhcp-option-force=tag:httpboot,60,HTTPClient",
                        "dhcp-boot=tag:httpboot,https://" + lab.serverIp + "/uki.efi"));
    }

    /**
     * Trixie OVMF boots a FAT disk: stock ipxe-amd64.efi + autoexec.ipxe that sets cert/privkey and chains a script
     * on a listener that requires a client certificate; the script's kernel command line carries a secret, the
     * initramfs prints its hash.
     */
    @Test
    void t5_diskAutoexecMutualTls() throws Exception {
        Requirements.requireCommand("mkfs.vfat", "dosfstools");
        Requirements.requireCommand("mcopy", "mtools");
        String name = "ref-trust-disk-mtls";
        String mac = E2e.mac(0x95);
        Trixie trixie = E2e.trixie();
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir("harness-" + name);
        String secret = "ref-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        try (NetLab lab = NetLab.create()) {
            ReferencePki pki = ReferencePki.create(dir.resolve("pki"), "E2E Reference Root");
            Path p12 = pki.server("server", lab.serverIp);
            pki.client("client", "e2e-client-" + mac);
            Path www = www(dir, payload, trixie);
            String base = "https://" + lab.serverIp + ":8443";
            Files.writeString(www.resolve("mtls.ipxe"), "#!ipxe\n"
                    + "kernel " + base + "/vmlinuz initrd=initrd.gz " + BootPayload.BASE_CMDLINE + " bde2e_case=" + name
                    + " bde2e_mac=${mac} " + BootPayload.SECRET_PARAM + "=" + secret + " || goto fail\n"
                    + "initrd " + base + "/initrd.gz || goto fail\n"
                    + "boot || goto fail\n:fail\necho E2E-IPXE-FAIL ${errno}\n");
            String autoexec = "#!ipxe\n"
                    + "dhcp || goto fail\n"
                    + "set cert " + ReferencePki.ipxeHex(pki.der(pki.dir.resolve("client.crt"))) + "\n"
                    + "set privkey " + ReferencePki.ipxeHex(pki.keyDer(pki.dir.resolve("client.key"))) + "\n"
                    + "chain " + base + "/mtls.ipxe || goto fail\n:fail\necho E2E-IPXE-FAIL ${errno}\n";
            Path disk = fatDisk(dir, trixie.ipxeDir.resolve("ipxe-amd64.efi"), autoexec);
            try (Dnsmasq d = Dnsmasq.start(lab.srvNs, NetLab.SRV_IF, dir, "reference-dnsmasq", baseDhcp(lab, dir, trixie));
                 ReferenceHttps mtls = ReferenceHttps.start(lab.srvNs, lab.serverIp, 8443, www, p12,
                         pki.caCert, dir.resolve("reference-mtls.log"));
                 QemuVm vm = QemuVm.start(lab, QemuVm.Spec.of(QemuVm.Variant.UEFI_DISK).trixie(trixie)
                         .caCerts(pki.esl()).disk(disk), mac, dir.resolve("vm"))) {
                QemuVm.Line m = vm.await(E2e.marker(name), E2e.BOOT_TIMEOUT, "the marker");
                assertThat(m.text()).contains("mac=" + mac, "secret_sha256=" + E2e.sha256Hex(secret));
                assertThat(vm.find(Pattern.compile("file:autoexec\\.ipxe\\.\\.\\. ok"))).as("autoexec from the disk").isPresent();
                assertThat(vm.find(Pattern.compile(Pattern.quote(base + "/mtls.ipxe") + "\\.\\.\\..* ok"))).isPresent();
                assertThat(mtls.requests()).anyMatch(r -> r.contains(" GET /mtls.ipxe 200 ")
                        && r.contains("tls=TLSv1.2/") && r.contains("client=CN=e2e-client-" + mac));
                assertThat(Files.readString(vm.dir.resolve("serial.log"))).doesNotContain(secret);
                E2e.timing(name, m, "spec=" + vm.spec.describe() + " server=reference");
                lab.checkIsolation();
            }
        }
    }

    /** The JDK's plain file server on port 80 (for the stage script), killed by PID. */
    record PlainHttp(Process process) implements AutoCloseable {
        static PlainHttp start(NetLab lab, Path www, Path log) throws IOException {
            Process p = new ProcessBuilder(NetLab.inNs(lab.srvNs, List.of(BootDesk.java().toString(), "-m", "jdk.httpserver",
                    "-b", lab.serverIp, "-p", "80", "-d", www.toAbsolutePath().toString(), "-o", "info")))
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Files.readString(log).contains("Serving ")) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("java -m jdk.httpserver did not start:\n" + Files.readString(log));
                }
                Cmd.sleep(100);
            }
            return new PlainHttp(p);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    interface DhcpLines {
        List<String> lines(NetLab lab, String fingerprint) throws IOException;
    }

    private void refBoot(String name, QemuVm.Spec spec, int macIndex, boolean caInFirmware, DhcpLines boot)
            throws Exception {
        String mac = E2e.mac(macIndex);
        Trixie trixie = E2e.trixie();
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir("harness-" + name);
        try (NetLab lab = NetLab.create()) {
            ReferencePki pki = ReferencePki.create(dir.resolve("pki"), "E2E Reference Root");
            Path p12 = pki.server("server", lab.serverIp);
            Path www = www(dir, payload, trixie);
            String base = "https://" + lab.serverIp;
            Files.writeString(www.resolve("boot.ipxe"), "#!ipxe\n"
                    + "echo reference trust server: ${platform} ${buildarch} ${version}\n"
                    + "kernel " + base + "/vmlinuz initrd=initrd.gz " + BootPayload.BASE_CMDLINE + " bde2e_case=" + name
                    + " bde2e_mac=${mac} || goto fail\n"
                    + "initrd " + base + "/initrd.gz || goto fail\n"
                    + "boot || goto fail\n:fail\necho E2E-IPXE-FAIL ${errno}\n");
            lab.captureIfAsked(dir);
            List<String> conf = baseDhcp(lab, dir, trixie);
            conf.addAll(boot.lines(lab, pki.fingerprint()));
            // for an HTTPS-capable iPXE that does not trust the CA yet: plain-HTTP stage script (T1-stage of TRIXIE.md)
            Files.writeString(www.resolve("stage.ipxe"), "#!ipxe\n"
                    + "chain " + base + "/boot.ipxe || chain tftp://" + lab.serverIp + "/undionly.kpxe || goto fail\n"
                    + ":fail\necho E2E-IPXE-FAIL ${errno}\n");
            QemuVm.Spec s = caInFirmware ? spec.caCerts(pki.esl()) : spec;
            String expectedCase = spec.variant() == QemuVm.Variant.UEFI_HTTP ? BootPayload.UKI_CASE : name;
            try (Dnsmasq d = Dnsmasq.start(lab.srvNs, NetLab.SRV_IF, dir, "reference-dnsmasq", conf);
                 PlainHttp plain = PlainHttp.start(lab, www, dir.resolve("reference-http.log"));
                 ReferenceHttps https = ReferenceHttps.start(lab.srvNs, lab.serverIp, 443, www, p12, null,
                         dir.resolve("reference-https.log"));
                 QemuVm vm = QemuVm.start(lab, s, mac, dir.resolve("vm"))) {
                QemuVm.Line m = vm.await(E2e.marker(expectedCase), E2e.BOOT_TIMEOUT, "the marker");
                if (!expectedCase.equals(BootPayload.UKI_CASE)) {
                    assertThat(m.text()).contains("mac=" + mac);
                    // iPXE prints every URL it fetches: script, kernel and initrd came over HTTPS
                    for (String f : List.of("boot.ipxe", "vmlinuz", "initrd.gz")) {
                        assertThat(vm.find(Pattern.compile(Pattern.quote(base + "/" + f) + "\\.\\.\\."))).as(f).isPresent();
                    }
                } else {
                    assertThat(vm.find(Pattern.compile("URI: " + Pattern.quote(base + "/uki.efi")))).isPresent();
                }
                assertThat(https.requests()).anyMatch(r -> r.contains(" 200 tls=TLSv1.2/"));
                assertThat(d.leasesText()).contains(mac);
                E2e.timing(name, m, "spec=" + vm.spec.describe() + " server=reference");
                lab.checkIsolation();
            }
        }
    }

    /** DHCP (range .100-.150), TFTP of trixie's loaders, RAs, the iPXE and arch tags; no boot options yet. */
    static List<String> baseDhcp(NetLab lab, Path dir, Trixie trixie) throws IOException {
        Path tftp = dir.resolve("tftp");
        Files.createDirectories(tftp);
        for (String f : List.of("undionly.kpxe", "snponly.efi")) {
            Files.copy(trixie.ipxeDir.resolve(f), tftp.resolve(f));
        }
        String ula = "fd99:0:0:" + Integer.toHexString(lab.subnet) + "::";
        return new ArrayList<>(List.of(
                "dhcp-range=" + lab.net(100) + "," + lab.net(150) + ",255.255.255.0,1h",
                "dhcp-authoritative",
                "enable-tftp",
                "tftp-root=" + tftp,
                "enable-ra",
                "dhcp-range=" + ula + ",ra-only,64",
                "ra-param=" + NetLab.SRV_IF + ",10,0",
                "dhcp-userclass=set:ipxe,iPXE",
                "dhcp-match=set:ipxe,175",
                "dhcp-match=set:efi64,option:client-arch,7"));
    }

    private static Path www(Path dir, BootPayload payload, Trixie trixie) throws IOException {
        Path www = dir.resolve("www");
        Files.createDirectories(www);
        for (Path f : List.of(payload.kernel, payload.initrd, payload.uki, trixie.ipxeDir.resolve("snponly.efi"))) {
            ReferenceServer.linkOrCopy(f, www.resolve(f.getFileName()));
        }
        return www;
    }

    /** A 16 MiB FAT16 disk (mkfs.vfat + mtools) with {@code efi} as EFI/BOOT/BOOTX64.EFI and EFI/BOOT/autoexec.ipxe. */
    static Path fatDisk(Path dir, Path efi, String autoexec) throws IOException {
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        Path ax = dir.resolve("autoexec.ipxe");
        Files.writeString(ax, autoexec);
        Duration t = Duration.ofMinutes(1);
        Cmd.run(t, dir, "mkfs.vfat", "-F", "16", "-n", "E2EBOOT", disk.toString()).check();
        Cmd.run(t, dir, "mmd", "-i", disk.toString(), "::/EFI", "::/EFI/BOOT").check();
        Cmd.run(t, dir, "mcopy", "-i", disk.toString(), efi.toString(), "::/EFI/BOOT/BOOTX64.EFI").check();
        Cmd.run(t, dir, "mcopy", "-i", disk.toString(), ax.toString(), "::/EFI/BOOT/autoexec.ipxe").check();
        return disk;
    }
}
