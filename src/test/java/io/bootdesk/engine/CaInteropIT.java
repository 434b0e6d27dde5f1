package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.RevocationReason;
import io.bootdesk.pki.CertificateAuthority;
import io.bootdesk.pki.ClientCredentials;
import io.bootdesk.pki.IpxeHex;
import io.bootdesk.pki.OcspHttp;
import io.bootdesk.pki.ServerIdentity;
import io.bootdesk.store.Database;
import io.bootdesk.testing.Requirements;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA against the real openssl CLI, over the data dir's SQLite database as BootDesk runs it; revocation by the
 * real jar in another process reaches a running OCSP endpoint.
 */
class CaInteropIT {
    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");

    @TempDir
    Path tmp;
    Path data;
    Database db;
    CertificateAuthority ca;

    @BeforeEach
    void setUp() {
        Requirements.requireCommand("openssl", "openssl");
        data = tmp.resolve("data");
        db = Database.open(data);
        ca = Certificates.open(data, db, CaPassphrases.Input.NONE, Map.of());
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    record Run(int code, String out) {
    }

    Run run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    static Instant notBefore(String text) {
        Matcher m = Pattern.compile("Not Before: (.+ GMT)").matcher(text);
        assertThat(m.find()).isTrue();
        String s = m.group(1).replaceAll(" +", " ");
        return LocalDateTime.parse(s, DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy 'GMT'", Locale.ROOT)).toInstant(ZoneOffset.UTC);
    }

    @Test
    void opensslVerifiesAndShowsTheServerAndClientCertificates() throws Exception {
        ServerIdentity server = ca.serverCertificate(Set.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.99.0.1")),
                Set.of("boot.bootdesk.test"));
        ClientCredentials client = ca.issueClientCertificate(MAC, "lab-7", null, false);
        Path root = write("root.pem", ca.rootPem());
        Path srv = write("server.pem", server.chainPem());
        Path cli = write("client.pem", client.certificatePem());

        Run v = run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", root.toString(), srv.toString());
        assertThat(v.out()).as(v.out()).contains("server.pem: OK");
        v = run("openssl", "verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", root.toString(), cli.toString());
        assertThat(v.out()).as(v.out()).contains("client.pem: OK");
        assertThat(run("openssl", "verify", "-purpose", "sslserver", "-CAfile", root.toString(), cli.toString()).code())
                .as("a client certificate is no server certificate").isNotZero();

        String rootText = run("openssl", "x509", "-in", root.toString(), "-noout", "-text").out();
        assertThat(rootText).contains("Public-Key: (3072 bit)").contains("Signature Algorithm: sha256WithRSAEncryption")
                .containsPattern("X509v3 Basic Constraints: critical\\s+CA:TRUE")
                .containsPattern("X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign")
                .contains("X509v3 Subject Key Identifier");

        String srvText = run("openssl", "x509", "-in", srv.toString(), "-noout", "-text").out();
        assertThat(srvText).contains("Public-Key: (2048 bit)").contains("sha256WithRSAEncryption")
                .contains("DNS:boot.bootdesk.test").contains("IP Address:127.0.0.1").contains("IP Address:10.99.0.1")
                .containsPattern("X509v3 Extended Key Usage: \\s+TLS Web Server Authentication\\n")
                .doesNotContain("Authority Information Access").doesNotContain("CRL Distribution Points");
        assertThat(notBefore(srvText)).isBefore(Instant.now().minus(Duration.ofDays(1)));

        String cliText = run("openssl", "x509", "-in", cli.toString(), "-noout", "-text").out();
        assertThat(cliText).contains("Public-Key: (2048 bit)").contains("othername: 1.3.6.1.1.1.1.22::52:54:00:12:34:56")
                .containsPattern("X509v3 Extended Key Usage: \\s+TLS Web Client Authentication\\n")
                .contains("Subject: CN = lab-7, OU = machines, O = BootDesk");
        assertThat(notBefore(cliText)).isBefore(Instant.now().minus(Duration.ofDays(1)));

        // the fingerprint iPXE's trust takes is openssl's SHA-256 fingerprint, lower case
        String fp = run("openssl", "x509", "-in", root.toString(), "-noout", "-fingerprint", "-sha256").out();
        assertThat(fp.strip()).isEqualToIgnoringCase("sha256 Fingerprint=" + ca.rootFingerprintHex());
    }

    @Test
    void theIpxeHexFormsAreWhatOpensslReads() throws Exception {
        ClientCredentials c = ca.issueClientCertificate(MAC, null, null, false);
        Path der = tmp.resolve("cert.der");
        Files.write(der, IpxeHex.parse(c.ipxeSetCert().substring("set cert ".length())));
        Path key = tmp.resolve("key.der");
        Files.write(key, IpxeHex.parse(c.ipxeSetPrivkey().substring("set privkey ".length())));
        String certModulus = run("openssl", "x509", "-inform", "DER", "-in", der.toString(), "-noout", "-modulus").out();
        Run rsa = run("openssl", "rsa", "-inform", "DER", "-in", key.toString(), "-noout", "-modulus", "-check");
        assertThat(rsa.out()).contains("RSA key ok");
        assertThat(rsa.out()).contains(certModulus.strip());
        // PKCS#1, as `openssl rsa -traditional -outform DER` writes it
        Path pem = write("key.pem", c.keyPem());
        Path traditional = tmp.resolve("trad.der");
        assertThat(run("openssl", "rsa", "-in", pem.toString(), "-traditional", "-outform", "DER", "-out", traditional.toString()).code()).isZero();
        assertThat(Files.readAllBytes(traditional)).isEqualTo(c.privateKeyPkcs1());
    }

    @Test
    void theCrlListsRevokedSerialsAndVerifies() throws Exception {
        ClientCredentials a = ca.issueClientCertificate(MAC, null, null, false);
        ClientCredentials b = ca.issueClientCertificate(MacAddress.parse("52:54:00:00:00:02"), null, null, false);
        ca.revoke(MAC, RevocationReason.KEY_COMPROMISE);
        Path crl = tmp.resolve("ca.crl");
        Files.write(crl, ca.crl());
        Path root = write("root.pem", ca.rootPem());

        Run text = run("openssl", "crl", "-inform", "DER", "-in", crl.toString(), "-noout", "-text");
        assertThat(text.out()).contains("Serial Number: " + a.info().serial()).doesNotContain(b.info().serial())
                .contains("Key Compromise").contains("Next Update:").contains("X509v3 CRL Number");
        Run verified = run("openssl", "crl", "-inform", "DER", "-in", crl.toString(), "-CAfile", root.toString(), "-noout");
        assertThat(verified.out()).contains("verify OK");

        Path crlPem = tmp.resolve("ca.crl.pem");
        assertThat(run("openssl", "crl", "-inform", "DER", "-in", crl.toString(), "-out", crlPem.toString()).code()).isZero();
        Path cli = write("a.pem", a.certificatePem());
        Run check = run("openssl", "verify", "-crl_check", "-CRLfile", crlPem.toString(), "-CAfile", root.toString(), cli.toString());
        assertThat(check.out()).contains("certificate revoked");
        Path other = write("b.pem", b.certificatePem());
        assertThat(run("openssl", "verify", "-crl_check", "-CRLfile", crlPem.toString(), "-CAfile", root.toString(),
                other.toString()).out()).contains("b.pem: OK");
    }

    @Test
    void opensslOcspSaysGoodThenRevokedAfterTheCliRevokesInAnotherProcess() throws Exception {
        ClientCredentials c = ca.issueClientCertificate(MAC, null, null, false);
        Path root = write("root.pem", ca.rootPem());
        Path cert = write("client.pem", c.certificatePem());
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        http.createContext("/ca/ocsp", ex -> {
            byte[] req = ex.getRequestMethod().equals("POST") ? ex.getRequestBody().readAllBytes()
                    : OcspHttp.requestFromPath(ex.getRequestURI().getRawPath().substring("/ca/ocsp".length()));
            byte[] resp = ca.ocspResponse(req);
            ex.getResponseHeaders().set("Content-Type", OcspHttp.RESPONSE_TYPE);
            ex.sendResponseHeaders(200, resp.length);
            ex.getResponseBody().write(resp);
            ex.close();
        });
        http.start();
        // what the engine does for a running serve: poll the revision and reload
        ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor();
        poll.scheduleWithFixedDelay(ca::refresh, 250, 250, TimeUnit.MILLISECONDS);
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/ca/ocsp";
            String[] ocsp = {"openssl", "ocsp", "-issuer", root.toString(), "-cert", cert.toString(), "-url", url,
                    "-CAfile", root.toString()};
            Run good = run(ocsp);
            assertThat(good.out()).as(good.out()).contains("Response verify OK").contains("client.pem: good");

            Requirements.require(Files.exists(jar()), "the packaged jar " + jar() + " (run by failsafe after package)");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar().toString(), "--data-dir", data.toString(), "cert", "revoke", MAC.toString(),
                    "--reason", "key-compromise"));
            Run revoke = run(cmd.toArray(String[]::new));
            assertThat(revoke.code()).as(revoke.out()).isZero();
            assertThat(revoke.out()).contains("revoked " + c.info().serial());

            long t0 = System.nanoTime();
            Run answer = run(ocsp);
            while (!answer.out().contains("revoked") && System.nanoTime() - t0 < 5_000_000_000L) {
                Thread.sleep(100);
                answer = run(ocsp);
            }
            assertThat(answer.out()).as(answer.out()).contains("Response verify OK").contains("client.pem: revoked")
                    .contains("Reason: keyCompromise");

            // the GET form (RFC 6960 A.1, what iPXE sends) answers the same
            byte[] der = ocspRequestDer(root, cert);
            String path = URLEncoder.encode(Base64.getEncoder().encodeToString(der), StandardCharsets.US_ASCII);
            HttpResponse<byte[]> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/" + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(got.headers().firstValue("Content-Type")).contains("application/ocsp-response");
            BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(got.body()).getResponseObject();
            assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
        } finally {
            poll.shutdownNow();
            http.stop(0);
        }
    }

    /** The DER request openssl itself builds, so the GET test does not depend on our own request code. */
    private byte[] ocspRequestDer(Path root, Path cert) throws Exception {
        Path reqFile = tmp.resolve("req.der");
        Run r = run("openssl", "ocsp", "-issuer", root.toString(), "-cert", cert.toString(), "-reqout", reqFile.toString(), "-no_nonce");
        assertThat(r.code()).as(r.out()).isZero();
        return Files.readAllBytes(reqFile);
    }

    @Test
    void opensslOpensThePassphraseProtectedKeystore() throws Exception {
        Path pass = write("pass", "correct horse battery\n");
        db.close();
        db = null;
        Path other = tmp.resolve("protected");
        try (Database pdb = Database.open(other)) {
            CertificateAuthority p = Certificates.open(other, pdb, new CaPassphrases.Input(pass, null), Map.of());
            p.initialize();
        }
        Path p12 = other.resolve("ca/root-key.p12");
        Run ok = run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "file:" + pass, "-nokeys");
        assertThat(ok.code()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("BEGIN CERTIFICATE").contains("friendlyName: bootdesk-root");
        assertThat(run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:wrong-one", "-nokeys").code()).isNotZero();
    }

    static Path jar() {
        return Path.of(System.getProperty("bootdesk.jar", "target/bootdesk.jar"));
    }
}
