package io.bootdesk.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM and DER of certificates and RSA private keys (PKCS#8 "PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY"). */
public final class Pem {
    private Pem() {
    }

    public static String certificate(X509Certificate cert) {
        return pem("CERTIFICATE", der(cert));
    }

    public static String certificates(List<X509Certificate> chain) {
        StringBuilder s = new StringBuilder();
        chain.forEach(c -> s.append(certificate(c)));
        return s.toString();
    }

    /** PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), unencrypted. */
    public static String privateKey(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static byte[] der(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateException e) {
            throw new PkiException("cannot encode the certificate " + cert.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    public static X509Certificate parseDer(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new PkiException("not a DER X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** Every CERTIFICATE block of a PEM text, in order. */
    public static List<X509Certificate> parseCertificates(String pem, String what) {
        List<X509Certificate> out = new ArrayList<>();
        for (PemObject o : objects(pem, what)) {
            if (o.getType().equals("CERTIFICATE")) {
                out.add(parseDer(o.getContent()));
            }
        }
        if (out.isEmpty()) {
            throw new PkiException(what + " holds no PEM certificate");
        }
        return out;
    }

    /** The first PKCS#8 "PRIVATE KEY" block of a PEM text, as an RSA key. */
    public static PrivateKey parsePrivateKey(String pem, String what) {
        for (PemObject o : objects(pem, what)) {
            if (o.getType().equals("PRIVATE KEY")) {
                try {
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(o.getContent()));
                } catch (GeneralSecurityException e) {
                    throw new PkiException(what + " does not hold a usable RSA private key: " + e.getMessage(), e);
                }
            }
        }
        throw new PkiException(what + " holds no PEM private key (PKCS#8)");
    }

    static String pem(String type, byte[] content) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, content));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static List<PemObject> objects(String pem, String what) {
        List<PemObject> out = new ArrayList<>();
        try (PemReader r = new PemReader(new StringReader(pem))) {
            for (PemObject o = r.readPemObject(); o != null; o = r.readPemObject()) {
                out.add(o);
            }
        } catch (IOException e) {
            throw new PkiException(what + " is not valid PEM: " + e.getMessage(), e);
        }
        return out;
    }
}
