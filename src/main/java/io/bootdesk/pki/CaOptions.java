package io.bootdesk.pki;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * How the CA issues.
 *
 * @param ocspUrl          put into server and client certificates as AIA OCSP; null (the default) leaves AIA out,
 *                         since iPXE then fetches OCSP for every certificate and fails where the URL is unreachable
 * @param crlUrl           put into them as the CRL distribution point; null (the default) leaves it out
 * @param delegatedOcspSigner sign OCSP responses with a short-lived OCSP signing certificate issued by the root
 *                         (its key is unencrypted, so a running server answers OCSP without the root key);
 *                         false signs them with the root key itself
 * @param serverValidity   lifetime of server certificates (renewed automatically 30 days before the end)
 * @param clientValidity   default lifetime of client certificates
 * @param clock            the time source (tests move it)
 */
public record CaOptions(URI ocspUrl, URI crlUrl, boolean delegatedOcspSigner, Duration serverValidity,
                        Duration clientValidity, Clock clock) {

    public CaOptions {
        if (serverValidity.isNegative() || serverValidity.isZero() || clientValidity.isNegative() || clientValidity.isZero()) {
            throw new IllegalArgumentException("certificate lifetimes must be positive");
        }
        check(ocspUrl, "OCSP");
        check(crlUrl, "CRL");
    }

    private static void check(URI u, String what) {
        if (u != null && (!u.isAbsolute() || !("http".equals(u.getScheme()) || "https".equals(u.getScheme())))) {
            throw new IllegalArgumentException("the " + what + " URL must be an absolute http:// URL, not '" + u + "'");
        }
    }

    public static CaOptions defaults() {
        return new CaOptions(null, null, true, Duration.ofDays(825), Duration.ofDays(825), Clock.systemUTC());
    }

    public CaOptions withUrls(URI ocsp, URI crl) {
        return new CaOptions(ocsp, crl, delegatedOcspSigner, serverValidity, clientValidity, clock);
    }

    public CaOptions withClock(Clock c) {
        return new CaOptions(ocspUrl, crlUrl, delegatedOcspSigner, serverValidity, clientValidity, c);
    }

    public CaOptions withDelegatedOcspSigner(boolean delegated) {
        return new CaOptions(ocspUrl, crlUrl, delegated, serverValidity, clientValidity, clock);
    }
}
