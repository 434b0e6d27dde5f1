package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.DhcpMode;
import io.bootdesk.testing.CoreFixture;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's HTTPS listener on loopback: what certificate chain it presents, with and without revocation URLs. */
class EngineTlsIT {
    private static final String AIA = "1.3.6.1.5.5.7.1.1";
    private static final String CRL_DP = "2.5.29.31";

    @TempDir
    Path tmp;

    private X509Certificate[] presented(boolean revocationUrls) throws Exception {
        int https = CoreFixture.freePort();
        EngineConfig cfg = new EngineConfig(tmp.resolve(revocationUrls ? "with" : "without"), "lo", DhcpMode.FULL,
                "127.0.102.1-127.0.102.20", List.of(), null, List.of(), 600, CoreFixture.freePort(), CoreFixture.freePort(),
                CoreFixture.freePort(), CoreFixture.freePort(), tmp.resolve("ipxe"), null, false,
                new EngineConfig.Tls(https, CoreFixture.freePort(), false, false, revocationUrls));
        try (Engine e = Engine.start(cfg)) {
            X509Certificate[][] seen = new X509Certificate[1][];
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    seen[0] = chain;
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), https)) {
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.startHandshake();
                assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
                assertThat(s.getSession().getCipherSuite()).startsWith("TLS_ECDHE_RSA_WITH_AES_");
            }
            assertThat(seen[0][1]).isEqualTo(e.certificateAuthority().root());
            return seen[0];
        }
    }

    @Test
    void leafPlusCaWithTheInterfaceAddressAndNoRevocationUrlsByDefault() throws Exception {
        X509Certificate[] chain = presented(false);
        assertThat(chain).hasSize(2);
        X509Certificate leaf = chain[0];
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        assertThat(sans).anySatisfy(san -> assertThat(List.copyOf(san)).isEqualTo(List.of(7, "127.0.0.1")));
        assertThat(leaf.getNonCriticalExtensionOIDs()).doesNotContain(AIA, CRL_DP);
        assertThat(leaf.getNotBefore().toInstant()).isBefore(java.time.Instant.now().minus(java.time.Duration.ofDays(1)));
    }

    @Test
    void revocationUrlsOnlyWhenAskedFor() throws Exception {
        X509Certificate leaf = presented(true)[0];
        assertThat(leaf.getNonCriticalExtensionOIDs()).contains(AIA, CRL_DP);
    }
}
