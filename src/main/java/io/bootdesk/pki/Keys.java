package io.bootdesk.pki;

import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.math.BigInteger;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/** RSA key pairs and the PKCS#1 form iPXE's {@code privkey} setting takes. */
public final class Keys {
    /** The root's modulus size. */
    public static final int ROOT_BITS = 3072;
    /** Server, client and OCSP signer keys: RSA-2048, which every iPXE and edk2 handles. */
    public static final int LEAF_BITS = 2048;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, RANDOM);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no RSA key generator", e);
        }
    }

    /** The DER of the PKCS#1 RSAPrivateKey inside a PKCS#8 RSA key ({@code openssl rsa -traditional -outform DER}). */
    public static byte[] pkcs1(PrivateKey key) {
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new PkiException("iPXE takes RSA private keys only, not " + key.getAlgorithm());
        }
        try {
            return PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded("DER");
        } catch (IOException e) {
            throw new PkiException("cannot encode the private key as PKCS#1: " + e.getMessage(), e);
        }
    }

    /** A fresh positive serial number of 16 bytes (126 random bits; RFC 5280 allows up to 20 octets). */
    public static BigInteger serial() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        b[0] = (byte) ((b[0] & 0x3F) | 0x40);
        return new BigInteger(1, b);
    }

    /** A serial as BootDesk writes it: upper-case hex, even number of digits (as {@code openssl x509 -serial}). */
    public static String serialHex(BigInteger serial) {
        String h = serial.toString(16).toUpperCase(java.util.Locale.ROOT);
        return h.length() % 2 == 0 ? h : "0" + h;
    }

    public static BigInteger parseSerial(String hex) {
        try {
            return new BigInteger(hex.replace(":", ""), 16);
        } catch (NumberFormatException e) {
            throw new PkiException("'" + hex + "' is not a serial number (hex digits, as bootdesk cert list shows them)");
        }
    }
}
