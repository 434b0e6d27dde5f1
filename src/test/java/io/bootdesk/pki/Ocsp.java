package io.bootdesk.pki;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** OCSP requests as a client builds them (for tests). */
final class Ocsp {
    private Ocsp() {
    }

    static byte[] request(X509Certificate issuer, BigInteger serial, byte[] nonce) throws Exception {
        return request(issuer, serial, nonce, CertificateID.HASH_SHA1);
    }

    static byte[] request(X509Certificate issuer, BigInteger serial, byte[] nonce,
                          org.bouncycastle.asn1.x509.AlgorithmIdentifier hash) throws Exception {
        DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
        CertificateID id = new CertificateID(digests.get(hash), new JcaX509CertificateHolder(issuer), serial);
        OCSPReqBuilder b = new OCSPReqBuilder().addRequest(id);
        if (nonce != null) {
            b.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(new DEROctetString(nonce).getEncoded()))));
        }
        return b.build().getEncoded();
    }
}
