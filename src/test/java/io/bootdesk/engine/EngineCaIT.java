package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.cli.Main;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.pki.CertificateAuthority;
import io.bootdesk.pki.Pem;
import io.bootdesk.testing.CoreFixture;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running engine's CA follows CLI changes made through other database connections, as assignments do: the root
 * the CLI creates on first use, the certificate it issues, the revocation.
 */
class EngineCaIT {
    @TempDir
    Path tmp;

    /** "good", "revoked", "unknown", or "no answer (N)" for a response without certificate status. */
    static String status(CertificateAuthority ca, X509Certificate root, BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(root), serial);
        OCSPResp resp = new OCSPResp(ca.ocspResponse(new OCSPReqBuilder().addRequest(id).build().getEncoded()));
        if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
            return "no answer (" + resp.getStatus() + ")"; // unauthorized until the engine has seen the CLI's new root
        }
        CertificateStatus s = ((BasicOCSPResp) resp.getResponseObject()).getResponses()[0].getCertStatus();
        return s == CertificateStatus.GOOD ? "good" : s instanceof RevokedStatus ? "revoked" : "unknown";
    }

    @Test
    void cliRevocationReachesARunningEngineWithinASecond() throws Exception {
        Path data = tmp.resolve("data");
        EngineConfig config = new EngineConfig(data, "lo", DhcpMode.FULL, "127.0.101.1-127.0.101.20", List.of(), null,
                List.of(), 600, CoreFixture.freePort(), CoreFixture.freePort(), CoreFixture.freePort(), CoreFixture.freePort(),
                tmp.resolve("ipxe"), null, false);
        try (Engine engine = Engine.start(config)) {
            CertificateAuthority ca = engine.certificateAuthority();
            assertThat(Main.run("--data-dir", data.toString(), "cert", "issue", "52:54:00:00:00:42")).isZero();
            X509Certificate root = Pem.parseCertificates(Files.readString(data.resolve("ca/root.crt")), "root").get(0);
            Path certFile;
            try (var s = Files.list(data.resolve("ca/clients"))) {
                certFile = s.filter(p -> p.toString().endsWith(".crt")).findFirst().orElseThrow();
            }
            X509Certificate cert = Pem.parseCertificates(Files.readString(certFile), "client").get(0);

            long t0 = System.nanoTime();
            while (!status(ca, root, cert.getSerialNumber()).equals("good") && System.nanoTime() - t0 < 3_000_000_000L) {
                Thread.sleep(20);
            }
            assertThat(status(ca, root, cert.getSerialNumber())).isEqualTo("good");
            assertThat(ca.authenticatedMachine(cert)).contains(MacAddress.parse("52:54:00:00:00:42"));

            assertThat(Main.run("--data-dir", data.toString(), "cert", "revoke", "52:54:00:00:00:42")).isZero();
            t0 = System.nanoTime();
            while (!status(ca, root, cert.getSerialNumber()).equals("revoked") && System.nanoTime() - t0 < 3_000_000_000L) {
                Thread.sleep(20);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            assertThat(status(ca, root, cert.getSerialNumber())).isEqualTo("revoked");
            assertThat(secs).isLessThan(1.0);
            assertThat(ca.authenticatedMachine(cert)).isEmpty();
        }
    }
}
