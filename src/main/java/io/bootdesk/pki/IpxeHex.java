package io.bootdesk.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * iPXE's {@code hex} setting type: bytes as lower-case hex joined by colons, e.g. {@code set cert 30:82:03:...}.
 * Results that hold a private key are secrets: never log them.
 */
public final class IpxeHex {
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    private IpxeHex() {
    }

    public static String of(byte[] bytes) {
        return COLONS.formatHex(bytes);
    }

    /** Parses the colon form back (also accepts upper case). */
    public static byte[] parse(String hex) {
        try {
            return COLONS.parseHex(hex.trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PkiException("not an iPXE hex value (xx:xx:...): " + e.getMessage(), e);
        }
    }

    /** {@code set cert <DER of the certificate>}. */
    public static String setCert(X509Certificate cert) {
        return "set cert " + of(Pem.der(cert));
    }

    /** {@code set privkey <DER of the PKCS#1 RSAPrivateKey>}. A secret. */
    public static String setPrivkey(PrivateKey key) {
        return "set privkey " + of(Keys.pkcs1(key));
    }
}
