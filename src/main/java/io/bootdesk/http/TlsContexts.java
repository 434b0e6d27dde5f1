package io.bootdesk.http;

import io.bootdesk.pki.ServerIdentity;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the boot server, with the JDK provider: TLS 1.3 and 1.2 (iPXE and edk2 speak 1.2 at most), RSA server
 * certificate with the whole chain (leaf + CA: iPXE trusting by fingerprint needs the CA in the chain), ECDHE-RSA
 * with AES-GCM first and AES-CBC after it (what iPXE since 2024 and edk2 negotiate), plus TLS_RSA_* only when the
 * operator opts in for older iPXE builds.
 */
final class TlsContexts {

    /** TLS 1.3 suites, then the TLS 1.2 suites iPXE (ECDHE-RSA AES-GCM/CBC) and edk2 (AES-GCM) accept. */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");

    /** RSA key exchange, no forward secrecy: pre-2024 iPXE offers nothing else. */
    static final List<String> LEGACY_RSA = List.of(
            "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256",
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA");

    private TlsContexts() {
    }

    static List<String> ciphers(boolean legacyRsa) {
        List<String> c = new ArrayList<>(CIPHERS);
        if (legacyRsa) {
            c.addAll(LEGACY_RSA);
        }
        return c;
    }

    /**
     * Current JDKs list {@code TLS_RSA_*} in {@code jdk.tls.disabledAlgorithms}; the opt-in removes that entry for
     * this process. The JDK reads that list once, at the process's first TLS use, so this works only before any TLS
     * handshake in the JVM ({@code serve} calls it while it starts; ServeProcessIT checks it with openssl).
     */
    static synchronized void enableLegacyRsa() {
        String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
        if (disabled != null && disabled.contains("TLS_RSA_*")) {
            Security.setProperty("jdk.tls.disabledAlgorithms",
                    disabled.replaceAll("\\s*TLS_RSA_\\*\\s*,?", " ").replaceAll(",\\s*$", "").trim());
        }
    }

    /** Server-authenticated HTTPS. */
    static SslContext server(ServerIdentity id, boolean legacyRsa) throws SSLException {
        return base(id, legacyRsa).clientAuth(ClientAuth.NONE).build();
    }

    /**
     * The mutual-TLS listener: asks for a client certificate but lets the handshake finish without one, or with one
     * BootDesk did not issue, so the refusal is an HTTP answer and a journaled event with the reason (iPXE shows
     * "HTTP 403") rather than a bare TLS alert. The client still proves it holds the certificate's key
     * (CertificateVerify); BootDesk checks issuer, validity and revocation on the request ({@link ClientVerifier}).
     */
    static SslContext mutual(ServerIdentity id, X509Certificate root, boolean legacyRsa) throws SSLException {
        return base(id, legacyRsa).clientAuth(ClientAuth.OPTIONAL).trustManager(new AnyClient(root)).build();
    }

    private static SslContextBuilder base(ServerIdentity id, boolean legacyRsa) {
        return SslContextBuilder.forServer(id.key(), id.chainArray())
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .ciphers(ciphers(legacyRsa));
    }

    /** Accepts any client chain at the TLS layer; names BootDesk's root as the acceptable issuer. */
    private record AnyClient(X509Certificate root) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // decided per request by ClientVerifier, with a reason
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("a server does not check server certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {root};
        }
    }
}
