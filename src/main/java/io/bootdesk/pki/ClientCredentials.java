package io.bootdesk.pki;

import io.bootdesk.model.CertificateInfo;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A machine's client certificate with its private key, in the forms iPXE takes. Everything with the key in it is
 * a secret: hand it only to the machine (over server-authenticated HTTPS, on its boot medium or in its build);
 * {@link #toString()} leaves it out.
 */
public record ClientCredentials(CertificateInfo info, X509Certificate certificate, PrivateKey key) {

    public byte[] certificateDer() {
        return Pem.der(certificate);
    }

    /** DER of the PKCS#1 RSAPrivateKey (what {@code openssl rsa -traditional -outform DER} writes). */
    public byte[] privateKeyPkcs1() {
        return Keys.pkcs1(key);
    }

    /** {@code set cert 30:82:...} */
    public String ipxeSetCert() {
        return IpxeHex.setCert(certificate);
    }

    /** {@code set privkey 30:82:...}: a secret. */
    public String ipxeSetPrivkey() {
        return IpxeHex.setPrivkey(key);
    }

    /** Both lines, for a script or an {@code autoexec.ipxe}. */
    public String ipxeSettings() {
        return ipxeSetCert() + "\n" + ipxeSetPrivkey() + "\n";
    }

    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    /** PKCS#8 PEM of the key: a secret. */
    public String keyPem() {
        return Pem.privateKey(key);
    }

    @Override
    public String toString() {
        return "ClientCredentials[serial " + info.serial() + ", " + info.mac() + ", " + info.subject() + ", key withheld]";
    }
}
