package io.bootdesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.RevocationReason;
import io.bootdesk.pki.CaOptions;
import io.bootdesk.pki.CertificateAuthority;
import io.bootdesk.pki.CertificateLedger;
import io.bootdesk.pki.ClientCredentials;
import io.bootdesk.pki.PassphraseSource;
import io.bootdesk.store.CertificateStore;
import io.bootdesk.testing.CoreFixture;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real mutual-TLS handshake on loopback: a client certificate the {@link ClientVerifier} accepts is recorded as
 * verified (verified_at, at most once a minute); one it refuses is not.
 */
class MutualTlsVerifiedTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:00:07:01");
    static final MacAddress OTHER = MacAddress.parse("52:54:00:00:07:02");

    @TempDir
    Path tmp;
    CoreFixture core;
    CertificateAuthority ca;
    HttpBootServer server;
    int mtls;

    /** The CA's ledger in the fixture's database, as the engine backs it. */
    record StoreLedger(CertificateStore store) implements CertificateLedger {
        @Override
        public int record(Collection<CertificateInfo> issued, Collection<String> revoke, Instant revokedAt,
                          RevocationReason reason) {
            return store.record(issued, revoke, revokedAt, reason);
        }

        @Override
        public boolean delivered(String serial, KeyDelivery how, Instant at) {
            return store.delivered(serial, how, at);
        }

        @Override
        public List<CertificateInfo> all() {
            return store.all();
        }

        @Override
        public long revision() {
            return store.revision();
        }
    }

    @BeforeEach
    void start() throws Exception {
        int http = CoreFixture.freePort();
        mtls = CoreFixture.freePort();
        core = new CoreFixture(tmp, "127.0.0.1", http);
        ca = new CertificateAuthority(tmp.resolve("ca"), new StoreLedger(new CertificateStore(core.db)),
                PassphraseSource.NONE, CaOptions.defaults());
        var identity = ca.serverCertificate(Set.of(InetAddress.getByName("127.0.0.1")), Set.of());
        server = new HttpBootServer(new HttpConfig("127.0.0.1", http, 0, mtls, false), core.planner, core.catalog,
                core.images, core.loaders, core.events, core.tracker, ca, identity);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        core.close();
    }

    /** Fetches the machine's script over mutual TLS presenting {@code client}; returns the status line. */
    String fetchScript(MacAddress mac, ClientCredentials client) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "test".toCharArray();
        ks.setKeyEntry("client", client.key(), pw, new Certificate[] {client.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[] {kmf.getKeyManagers()[0]}, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), mtls)) {
            s.setSoTimeout(15_000);
            s.startHandshake();
            s.getOutputStream().write(("GET /boot/" + mac + ".ipxe HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "User-Agent: iPXE/1.21.1+ (g4bd064de)\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
                if (got.toString(StandardCharsets.ISO_8859_1).contains("\r\n")) {
                    break;
                }
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            return text.substring(0, Math.max(0, text.indexOf("\r\n")));
        }
    }

    CertificateInfo stored(String serial) throws Exception {
        core.journal.flush().get(10, TimeUnit.SECONDS);
        return new CertificateStore(core.db).bySerial(serial).orElseThrow();
    }

    @Test
    void anAcceptedCertificateIsRecordedAsVerifiedAtMostOnceAMinute() throws Exception {
        ClientCredentials c = ca.issueClientCertificate(MAC, "lab-7", null, false);
        assertThat(stored(c.info().serial()).verifiedAt()).isNull();
        long rev = new CertificateStore(core.db).revision();

        Instant before = Instant.now().minusMillis(1);
        assertThat(fetchScript(MAC, c)).startsWith("HTTP/1.1 ");
        Instant first = stored(c.info().serial()).verifiedAt();
        assertThat(first).isNotNull().isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(new CertificateStore(core.db).revision()).as("the revocation view is not reloaded for it")
                .isEqualTo(rev);
        assertThat(ca.refresh()).isFalse();

        fetchScript(MAC, c);
        assertThat(stored(c.info().serial()).verifiedAt()).as("not again within the minute").isEqualTo(first);

        // an iPXE that fetched its script over HTTPS has HTTPS
        assertThat(core.inventory.get(MAC).orElseThrow().ipxeHttps()).isTrue();
        assertThat(core.inventory.get(MAC).orElseThrow().userAgent()).startsWith("iPXE/1.21.1");
    }

    @Test
    void aRefusedCertificateIsNotRecorded() throws Exception {
        ClientCredentials revoked = ca.issueClientCertificate(OTHER, null, null, false);
        ClientCredentials stolen = ca.issueClientCertificate(MAC, null, null, false);
        // revoked: a revoked certificate's key is deleted by the CA; the test still holds it
        ca.revoke(OTHER, RevocationReason.KEY_COMPROMISE);
        fetchScript(OTHER, revoked);
        assertThat(stored(revoked.info().serial()).verifiedAt()).isNull();
        // valid, but another machine's script: the certificate itself is verified (it proves MAC), the script refused
        fetchScript(OTHER, stolen);
        assertThat(stored(stolen.info().serial()).verifiedAt()).isNotNull();
    }
}
