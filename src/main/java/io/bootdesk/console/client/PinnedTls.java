package io.bootdesk.console.client;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for BMCs and KVMs with self-signed certificates, trust-on-first-use style, never trust-all.
 *
 * <p>Without a pin the JDK's normal PKIX validation (CA chain + host name) applies; when that fails the
 * presented leaf certificate's SHA-256 fingerprint is still recorded in {@link #lastSeen()} so the client can
 * report it ("confirm this fingerprint"). With a pin (the operator confirmed that fingerprint for this
 * binding) exactly that leaf certificate is accepted and nothing else; CA chain and host name are then not
 * checked, as the pin is the stronger statement. Shared by the Redfish, PiKVM and JetKVM clients.
 */
public final class PinnedTls {

    private final SSLContext context;
    private final AtomicReference<String> lastSeen = new AtomicReference<>();

    private PinnedTls(String pin) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            X509ExtendedTrustManager system = null;
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    system = x;
                }
            }
            if (system == null) {
                throw new IllegalStateException("no X509ExtendedTrustManager in the JDK");
            }
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Manager(system, pin == null ? null : normalize(pin))}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JDK", e);
        }
    }

    /** A TLS context that accepts the certificate with this SHA-256 fingerprint, or PKIX when {@code pin} is null. */
    public static PinnedTls create(String pin) {
        return new PinnedTls(pin);
    }

    /**
     * An HTTP client for one device: this trust, the given connect timeout, redirects never followed (a device
     * redirecting elsewhere would take the credentials with it).
     */
    public java.net.http.HttpClient httpClient(java.time.Duration connectTimeout) {
        return java.net.http.HttpClient.newBuilder().connectTimeout(connectTimeout).sslContext(context())
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
    }

    /** A device's base URL without its trailing slash, so paths can be appended. */
    public static String base(java.net.URI uri) {
        String b = uri.toString();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    public SSLContext context() {
        return context;
    }

    /** The fingerprint of the last certificate the server presented (null before any handshake). */
    public String lastSeen() {
        return lastSeen.get();
    }

    /** SHA-256 over the DER encoding, upper-case hex pairs separated by colons (as browsers show it). */
    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts colon-, space- or un-separated hex in either case; returns the canonical form. */
    public static String normalize(String fingerprint) {
        String hex = fingerprint.replaceAll("[^0-9A-Fa-f]", "").toUpperCase(Locale.ROOT);
        if (hex.length() != 64) {
            throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes (64 hex digits)");
        }
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
    }

    private final class Manager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager system;
        private final String pin;

        Manager(X509ExtendedTrustManager system, String pin) {
            this.system = system;
            this.pin = pin;
        }

        private boolean pinned(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            String seen = fingerprint(chain[0]);
            lastSeen.set(seen);
            if (pin == null) {
                return false;
            }
            if (pin.equals(seen)) {
                return true;
            }
            throw new CertificateException("certificate fingerprint " + seen + " is not the pinned " + pin);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            if (!pinned(chain)) {
                system.checkServerTrusted(chain, authType, socket);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            if (!pinned(chain)) {
                system.checkServerTrusted(chain, authType, engine);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (!pinned(chain)) {
                ((X509TrustManager) system).checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted here");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
