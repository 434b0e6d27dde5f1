package io.bootdesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.testing.CoreFixture;
import io.bootdesk.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curl against the HTTP boot server: HEAD, GET, Range, and path traversal in every spelling. */
class HttpInteropIT {
    @TempDir
    Path tmp;
    CoreFixture core;
    HttpBootServer server;
    String base;
    Path kernel;

    @BeforeEach
    void start() throws Exception {
        Requirements.requireCommand("curl", "curl");
        int port = CoreFixture.freePort();
        core = new CoreFixture(tmp, "127.0.0.1", port);
        server = new HttpBootServer("127.0.0.1", port, core.planner, core.catalog, core.images, core.loaders,
                core.events, core.tracker);
        server.start();
        base = "http://127.0.0.1:" + port;
        byte[] k = new byte[5_000_000];
        new Random(7).nextBytes(k);
        kernel = Files.write(tmp.resolve("vmlinuz"), k);
        Path initrd = Files.write(tmp.resolve("initrd.gz"), new byte[] {1, 2, 3});
        core.images.addLinux("deb", kernel, List.of(initrd), "");
        core.images.addEfi("uki", Files.write(tmp.resolve("linux.efi"), new byte[] {'M', 'Z', 9}));
        core.catalog.refresh();
        Files.writeString(core.dataDir.resolve("secret.txt"), "TOP-SECRET");
        Files.writeString(tmp.resolve("outside.txt"), "TOP-SECRET");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (core != null) {
            core.close();
        }
    }

    record Curl(int exit, String out) {
    }

    private Curl curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Curl(p.exitValue(), out);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void headReportsLengthTypeAndRanges() throws Exception {
        Curl h = curl("-I", base + "/images/deb/vmlinuz");
        assertThat(h.exit()).isZero();
        assertThat(h.out()).contains("HTTP/1.1 200 OK").containsIgnoringCase("content-length: 5000000")
                .containsIgnoringCase("accept-ranges: bytes").containsIgnoringCase("content-type: application/octet-stream");
        Curl efi = curl("-I", base + "/images/uki/linux.efi");
        assertThat(efi.out()).containsIgnoringCase("content-type: application/efi\r\n").containsIgnoringCase("content-length: 3");
    }

    @Test
    void getIsByteIdenticalAndRangesAreExact() throws Exception {
        Path out = tmp.resolve("got");
        assertThat(curl("-o", out.toString(), base + "/images/deb/vmlinuz").exit()).isZero();
        assertThat(sha256(Files.readAllBytes(out))).isEqualTo(sha256(Files.readAllBytes(kernel)));

        Path part = tmp.resolve("part");
        Curl r = curl("-D", "-", "-r", "1000-1999", "-o", part.toString(), base + "/images/deb/vmlinuz");
        assertThat(r.out()).contains("206").containsIgnoringCase("content-range: bytes 1000-1999/5000000");
        byte[] all = Files.readAllBytes(kernel);
        assertThat(Files.readAllBytes(part)).isEqualTo(java.util.Arrays.copyOfRange(all, 1000, 2000));

        // resume from an offset, as edk2 HTTP Boot does after an interruption
        Path resumed = tmp.resolve("resumed");
        Files.write(resumed, java.util.Arrays.copyOfRange(all, 0, 1_234_567));
        assertThat(curl("-C", "-", "-o", resumed.toString(), base + "/images/deb/vmlinuz").exit()).isZero();
        assertThat(sha256(Files.readAllBytes(resumed))).isEqualTo(sha256(all));

        Curl bad = curl("-o", "/dev/null", "-w", "%{http_code}", "-r", "6000000-", base + "/images/deb/vmlinuz");
        assertThat(bad.out()).endsWith("416");
    }

    @Test
    void keepAliveReusesOneConnection() throws Exception {
        Curl c = curl("-v", "-o", "/dev/null", base + "/images/deb/initrd.gz", "-o", "/dev/null", base + "/images/deb/initrd.gz");
        assertThat(c.out()).contains("Re-using existing connection");
    }

    @Test
    void traversalAttemptsGet4xxAndNeverAFileOutsideTheStore() throws Exception {
        List<String> attempts = List.of(
                "/images/deb/../../secret.txt",
                "/images/deb/..%2f..%2fsecret.txt",
                "/images/deb/%2e%2e/%2e%2e/secret.txt",
                "/images/%2e%2e/%2e%2e/outside.txt",
                "/images/deb/..%5c..%5csecret.txt",
                "/images/deb/..\\..\\secret.txt",
                "/ipxe/..%2f..%2fdata%2fsecret.txt",
                "//etc/passwd",
                "/images//etc/passwd",
                "/images/deb/%2fetc%2fpasswd",
                "/images/deb/vmlinuz%00.efi",
                "/images/deb/bootdesk.db");
        for (String a : attempts) {
            Curl c = curl("--path-as-is", "-o", "-", "-w", "\n%{http_code}", base + a);
            String code = c.out().substring(c.out().lastIndexOf('\n') + 1);
            assertThat(Integer.parseInt(code)).as(a).isBetween(400, 499);
            assertThat(c.out()).as(a).doesNotContain("TOP-SECRET").doesNotContain("root:x:0");
        }
        // absolute-form request target
        Curl abs = curl("--request-target", "http://127.0.0.1/../../etc/passwd", "-o", "-", "-w", "\n%{http_code}", base + "/");
        assertThat(abs.out()).doesNotContain("root:x:0");
        assertThat(Integer.parseInt(abs.out().substring(abs.out().lastIndexOf('\n') + 1))).isBetween(400, 499);
    }
}
