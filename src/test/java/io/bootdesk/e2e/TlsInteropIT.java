package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code bootdesk serve}'s TLS against the real openssl and curl CLIs (no QEMU): the served chain, a TLS 1.2-only
 * client, OCSP and the CRL of BootDesk's responder, and the mutual-TLS refusal matrix (no certificate, another CA's,
 * an expired one, a revoked one, another machine's: the secret is never served, the answer is 4xx and the refusal
 * is journaled). serve runs in a lab namespace; the clients run in the same namespace against the lab address.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class TlsInteropIT {
    private static final String MAC_A = "52:54:00:7a:00:0a";
    private static final String MAC_B = "52:54:00:7a:00:0b";
    private static final String MAC_C = "52:54:00:7a:00:0c";

    private static NetLab lab;
    private static BootDesk bd;
    private static Path dir;
    private static Path caPem;
    private static String secret;

    @BeforeAll
    static void start() throws Exception {
        Requirements.requireRoot();
        Requirements.requireCommand("ip", "iproute2");
        Requirements.requireCommand("openssl", "openssl");
        Requirements.requireCommand("curl", "curl");
        Requirements.require(Files.isRegularFile(BootDesk.jar()),
                BootDesk.jar() + " (built by './mvnw package'; failsafe passes it as -Dbootdesk.jar)");
        dir = E2e.runDir("tls-interop");
        lab = NetLab.create();
        bd = new BootDesk(lab, dir);
        bd.serve("--mode", "full", "--pool", lab.net(100) + "-" + lab.net(150));
        caPem = dir.resolve("ca.pem");
        bd.cli("ca", "export", "--format", "pem", "--out", caPem.toString());
        secret = E2eTrustIT.newSecret();
    }

    @AfterAll
    static void stop() {
        if (bd != null) {
            bd.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    // ---------------------------------------------------------------- chain and protocol

    @Test
    void a_servedChainIsLeafPlusCaAndVerifiesWithOpensslOnBothListeners() throws Exception {
        for (int port : List.of(443, 8443)) {
            // TLS 1.2 is what iPXE speaks: the chain must be complete there too
            String out12 = inLab(Duration.ofSeconds(30), "openssl", "s_client", "-connect", lab.serverIp + ":" + port,
                    "-tls1_2", "-showcerts").output();
            assertThat(pemBlocks(out12)).as("port %d sends leaf + CA over TLS 1.2:\n%s", port, out12).hasSize(2);
            String out = inLab(Duration.ofSeconds(30), "openssl", "s_client", "-connect", lab.serverIp + ":" + port,
                    "-showcerts").output();
            List<String> pems = pemBlocks(out);
            assertThat(pems).as("port %d sends leaf + CA:\n%s", port, out).hasSize(2);
            assertThat(pemBlocks(out12)).as("the same chain over TLS 1.2 and 1.3").isEqualTo(pems);
            Path leaf = dir.resolve("leaf-" + port + ".pem");
            Path second = dir.resolve("chain-" + port + "-1.pem");
            Files.writeString(leaf, pems.get(0));
            Files.writeString(second, pems.get(1));
            assertThat(run("openssl", "verify", "-CAfile", caPem.toString(), leaf.toString()).check())
                    .contains(leaf + ": OK");
            assertThat(fingerprint(second)).as("the second certificate is BootDesk's root").isEqualTo(fingerprint(caPem));
            String text = run("openssl", "x509", "-in", leaf.toString(), "-noout", "-text").check();
            assertThat(text).contains("Public Key Algorithm: rsaEncryption").contains("IP Address:" + lab.serverIp)
                    .contains("TLS Web Server Authentication");
            String start = run("openssl", "x509", "-in", leaf.toString(), "-noout", "-startdate").check().strip();
            ZonedDateTime notBefore = ZonedDateTime.parse(start.substring(start.indexOf('=') + 1).replaceAll("\\s+", " "),
                    DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy z", Locale.ROOT));
            assertThat(notBefore.toInstant()).as("notBefore back-dated >= 1 day").isBefore(Instant.now().minus(Duration.ofDays(1)));
        }
    }

    @Test
    void b_tls12OnlyClientsConnect() throws Exception {
        for (int port : List.of(443, 8443)) {
            Cmd.Result r = inLab(Duration.ofSeconds(30), "openssl", "s_client", "-connect", lab.serverIp + ":" + port,
                    "-tls1_2", "-CAfile", caPem.toString(), "-verify_return_error");
            assertThat(r.output()).as("openssl s_client -tls1_2 to %d", port)
                    .containsPattern("Protocol\\s*:\\s*TLSv1\\.2").contains("Verify return code: 0 (ok)");
            // what trixie's iPXE negotiates with a JDK server, and the CBC fallback
            for (String cipher : List.of("ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA256")) {
                Cmd.Result c = inLab(Duration.ofSeconds(30), "openssl", "s_client", "-connect", lab.serverIp + ":" + port,
                        "-tls1_2", "-cipher", cipher, "-CAfile", caPem.toString(), "-verify_return_error");
                assertThat(c.output()).as("cipher %s on %d", cipher, port).containsPattern("Cipher\\s*:\\s*" + cipher);
            }
        }
        Cmd.Result curl = inLab(Duration.ofSeconds(30), "curl", "-sS", "-v", "--tlsv1.2", "--tls-max", "1.2",
                "--cacert", caPem.toString(), "-o", "/dev/null", "-w", "HTTP=%{http_code}\n",
                "https://" + lab.serverIp + "/ca/root.crt");
        assertThat(curl.output()).contains("HTTP=200").contains("SSL connection using TLSv1.2");
        Cmd.Result tls13 = inLab(Duration.ofSeconds(30), "curl", "-sS", "-v", "--tlsv1.3", "--cacert", caPem.toString(),
                "-o", "/dev/null", "-w", "HTTP=%{http_code}\n", "https://" + lab.serverIp + "/ca/root.crt");
        assertThat(tls13.output()).as("TLS 1.3 too").contains("HTTP=200").contains("SSL connection using TLSv1.3");
    }

    // ---------------------------------------------------------------- revocation

    @Test
    void c_ocspGoodThenRevokedAndTheCrlListsTheSerial() throws Exception {
        bd.cli("cert", "issue", MAC_C);
        Path c = dir.resolve("c.pem");
        bd.cli("cert", "export", MAC_C, "--format", "pem", "--out", c.toString());
        String serial = run("openssl", "x509", "-in", c.toString(), "-noout", "-serial").check().strip()
                .replaceFirst("^serial=", "").toUpperCase(Locale.ROOT);
        String url = "http://" + lab.serverIp + "/ca/ocsp";
        String good = ocsp(c, url);
        assertThat(good).contains(c + ": good").contains("Response verify OK");
        assertThat(crlSerials()).doesNotContain(stripZeros(serial));

        bd.cli("cert", "revoke", MAC_C);
        long deadline = System.currentTimeMillis() + 10_000;
        String revoked = ocsp(c, url);
        while (!revoked.contains(c + ": revoked") && System.currentTimeMillis() < deadline) {
            Cmd.sleep(300);
            revoked = ocsp(c, url);
        }
        assertThat(revoked).contains(c + ": revoked").contains("Response verify OK");
        assertThat(crlSerials()).as("CRL at /ca/crl").contains(stripZeros(serial));
    }

    private String ocsp(Path cert, String url) {
        return inLab(Duration.ofSeconds(30), "openssl", "ocsp", "-issuer", caPem.toString(), "-cert", cert.toString(),
                "-url", url, "-CAfile", caPem.toString()).output();
    }

    private List<String> crlSerials() throws IOException {
        Path crl = dir.resolve("crl.der");
        Files.deleteIfExists(crl);
        String code = inLab(Duration.ofSeconds(30), "curl", "-sS", "-o", crl.toString(), "-w", "%{http_code}",
                "http://" + lab.serverIp + "/ca/crl").check();
        assertThat(code).isEqualTo("200");
        String text = run("openssl", "crl", "-inform", "DER", "-in", crl.toString(), "-CAfile", caPem.toString(),
                "-noout", "-text").check();
        assertThat(text).contains("Certificate Revocation List");
        String verify = run("openssl", "crl", "-inform", "DER", "-in", crl.toString(), "-CAfile", caPem.toString(),
                "-noout").output();
        assertThat(verify).as("CRL signature").containsIgnoringCase("verify OK");
        List<String> serials = new ArrayList<>();
        Matcher m = Pattern.compile("Serial Number:\\s*([0-9A-Fa-f]+)").matcher(text);
        while (m.find()) {
            serials.add(stripZeros(m.group(1).toUpperCase(Locale.ROOT)));
        }
        return serials;
    }

    private static String stripZeros(String hex) {
        String s = hex.replaceFirst("^0+", "");
        return s.isEmpty() ? "0" : s;
    }

    /**
     * iPXE's crosscert lookup ({@code <crosscert>/<crc32>.der?subject=<base64 DER Name>}, 175.93 points at BootDesk):
     * BootDesk's root for its own subject as a DER SET OF Certificate, 404 at once for any other subject.
     */
    @Test
    void e_crosscertAnswersWithTheRootForItsSubjectOnly() throws Exception {
        java.security.cert.X509Certificate root;
        try (var in = Files.newInputStream(caPem)) {
            root = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
        byte[] subject = root.getSubjectX500Principal().getEncoded();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(subject);
        String name = String.format(Locale.ROOT, "%08x", ~crc.getValue() & 0xffffffffL); // iPXE: crc32_le(~0, ...)
        String url = "http://" + lab.serverIp + "/ca/crosscert/" + name + ".der?subject="
                + java.util.Base64.getEncoder().encodeToString(subject);
        Path out = dir.resolve("crosscert.der");
        String code = inLab(Duration.ofSeconds(30), "curl", "-sS", "-o", out.toString(), "-w", "%{http_code}", url).check();
        assertThat(code).isEqualTo("200");
        byte[] der = Files.readAllBytes(out);
        assertThat(der[0] & 0xff).as("DER SET").isEqualTo(0x31);
        int header = (der[1] & 0x80) == 0 ? 2 : 2 + (der[1] & 0x7f);
        assertThat(java.util.Arrays.copyOfRange(der, header, der.length)).as("the SET holds BootDesk's root")
                .isEqualTo(root.getEncoded());
        ReferencePki other = ReferencePki.create(dir.resolve("crosscert-other"), "Some Other Root");
        byte[] otherSubject;
        try (var in = Files.newInputStream(other.caCert)) {
            otherSubject = ((java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in)).getSubjectX500Principal().getEncoded();
        }
        String unknown = inLab(Duration.ofSeconds(30), "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                "http://" + lab.serverIp + "/ca/crosscert/00000000.der?subject="
                        + java.util.Base64.getEncoder().encodeToString(otherSubject)).check();
        assertThat(unknown).isEqualTo("404");
    }

    // ---------------------------------------------------------------- mutual TLS refusal matrix

    @Test
    void f_mtlsRefusalMatrixNeverServesTheSecret() throws Exception {
        Path caKey = bd.dataDir.resolve("ca").resolve("root-key.pem");
        Requirements.require(Files.isRegularFile(caKey), caKey + " (BootDesk's unencrypted CA key, to make an expired"
                + " certificate of BootDesk's CA with openssl)");
        bd.cli("secret", "set", MAC_A, "token", secret);
        bd.cli("image", "add", "script", "--name", "secret-script", "--file", writeScript().toString());
        bd.cli("assign", MAC_A, "secret-script");
        bd.cli("cert", "issue", MAC_A);
        bd.cli("cert", "issue", MAC_B);
        Path a = dir.resolve("a.pem");
        Path b = dir.resolve("b.pem");
        bd.cli("cert", "export", MAC_A, "--format", "pem", "--out", a.toString());
        bd.cli("cert", "export", MAC_B, "--format", "pem", "--out", b.toString());
        ReferencePki other = ReferencePki.create(dir.resolve("other-ca"), "Another CA");
        other.clientWith("other", "machine-a", ReferencePki.macSan(MAC_A));
        ReferencePki ours = ReferencePki.existing(dir.resolve("expired"), caPem, caKey);
        ours.clientDated("expired", "machine-a", ReferencePki.macSan(MAC_A), "20200101000000Z", "20200201000000Z");

        String url = "https://" + lab.serverIp + ":8443/boot/" + MAC_A.replace(':', '-') + ".ipxe";
        // the owner's valid certificate gets the secret (so the refusals below are refusals of the secret)
        Answer ok = get(url, "--cert", a.toString());
        assertThat(ok.code()).as("the machine's own certificate: %s", ok.curl()).isEqualTo(200);
        assertThat(ok.body()).as("the script with the secret went to its machine").contains(secret);

        refused("no certificate", url);
        refused("another CA's certificate (with the same MAC)", url, "--cert", other.dir.resolve("other.crt").toString(),
                "--key", other.dir.resolve("other.key").toString());
        refused("an expired certificate of BootDesk's CA", url, "--cert", ours.dir.resolve("expired.crt").toString(),
                "--key", ours.dir.resolve("expired.key").toString());
        refused("another machine's certificate", url, "--cert", b.toString());
        bd.cli("cert", "revoke", MAC_A);
        Cmd.sleep(1500);
        String why = refused("the machine's revoked certificate", url, "--cert", a.toString());
        assertThat(why).containsIgnoringCase("revoked");
        // the plain and server-authenticated listeners never serve it either
        for (String u : List.of("http://" + lab.serverIp + "/boot/" + MAC_A.replace(':', '-') + ".ipxe",
                "https://" + lab.serverIp + "/boot/" + MAC_A.replace(':', '-') + ".ipxe")) {
            Answer x = get(u);
            assertThat(x.body()).as(u).doesNotContain(secret);
        }
        E2eTrustIT.assertSecretNeverShown(bd, dir, secret);
    }

    private Path writeScript() throws IOException {
        Path f = dir.resolve("secret-script.ipxe");
        Files.writeString(f, "#!ipxe\necho machine {{ mac }}\nset token {{ secret.token }}\nexit\n");
        return f;
    }

    record Answer(int code, String body, String curl) {
    }

    private Answer get(String url, String... certArgs) throws IOException {
        Path body = dir.resolve("body.txt");
        Files.deleteIfExists(body);
        List<String> c = Cmd.list("curl", "-sS", "--cacert", caPem.toString(), "-o", body.toString(), "-w",
                "HTTP=%{http_code}");
        c.addAll(List.of(certArgs));
        c.add(url);
        Cmd.Result r = inLab(Duration.ofSeconds(30), c.toArray(String[]::new));
        Matcher m = Pattern.compile("HTTP=(\\d{3})").matcher(r.output());
        int code = m.find() ? Integer.parseInt(m.group(1)) : -1;
        String b = Files.exists(body) ? Files.readString(body, StandardCharsets.UTF_8) : "";
        Files.deleteIfExists(body);
        return new Answer(code, b, "curl exit " + r.exit() + ": " + r.output().replace(secret, "<secret>"));
    }

    /** Asserts a 4xx without the secret and a new HTTP_REFUSED event for machine A; returns that event's text. */
    private String refused(String what, String url, String... certArgs) throws IOException {
        long before = refusals().size();
        Answer x = get(url, certArgs);
        assertThat(x.body()).as(what + ": secret not served").doesNotContain(secret);
        assertThat(x.code()).as(what + ": HTTP status (%s)", x.curl()).isBetween(400, 499);
        long deadline = System.currentTimeMillis() + 10_000;
        List<BootdeskOutput.Event> ev = refusals();
        while (ev.size() <= before && System.currentTimeMillis() < deadline) {
            Cmd.sleep(300);
            ev = refusals();
        }
        assertThat(ev.size()).as(what + ": a refusal journaled for " + MAC_A).isGreaterThan((int) before);
        String msg = ev.getLast().message();
        System.out.println("[tls-interop] " + what + " -> HTTP " + x.code() + "; event: " + msg);
        return msg;
    }

    private List<BootdeskOutput.Event> refusals() {
        return BootdeskOutput.events(bd.cli("events", "--limit", "100000", MAC_A)).stream()
                .filter(e -> e.type().equals("HTTP_REFUSED")).toList();
    }

    // ---------------------------------------------------------------- helpers

    private static Cmd.Result inLab(Duration timeout, String... command) {
        return Cmd.run(timeout, dir, NetLab.inNs(lab.srvNs, List.of(command)));
    }

    private static Cmd.Result run(String... command) {
        return Cmd.run(Duration.ofSeconds(30), dir, List.of(command));
    }

    private static String fingerprint(Path pem) {
        return run("openssl", "x509", "-in", pem.toString(), "-noout", "-fingerprint", "-sha256").check().strip();
    }

    static List<String> pemBlocks(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", Pattern.DOTALL).matcher(text);
        while (m.find()) {
            out.add(m.group() + "\n");
        }
        return out;
    }
}
