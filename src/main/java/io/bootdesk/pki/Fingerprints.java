package io.bootdesk.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** SHA-256 fingerprints of certificates, raw and in the forms iPXE and BootDesk's records use. */
public final class Fingerprints {
    private Fingerprints() {
    }

    /** The 32 raw bytes of SHA-256 over the certificate's DER: the value of iPXE's {@code trust} (DHCP 175.90). */
    public static byte[] sha256(X509Certificate cert) {
        return sha256(Pem.der(cert));
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** iPXE's hex setting form: lower-case, colon-separated ({@code set trust aa:bb:...}). */
    public static String ipxe(X509Certificate cert) {
        return IpxeHex.of(sha256(cert));
    }

    /** Lower-case hex without separators, as the database keeps it. */
    public static String plain(X509Certificate cert) {
        return HexFormat.of().formatHex(sha256(cert));
    }
}
