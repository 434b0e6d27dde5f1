package io.bootdesk.pki;

import io.bootdesk.model.MacAddress;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds the certificates: every profile decision of the CA is in this class. */
final class Issuer {
    /**
     * Where a client certificate carries its machine's MAC: a SAN otherName whose type-id is RFC 2307's
     * {@code macAddress} attribute (1.3.6.1.1.1.1.22) and whose value is an IA5String in colon form
     * ("52:54:00:12:34:56", lower case). {@code openssl x509 -text} shows it as
     * {@code othername: 1.3.6.1.1.1.1.22::52:54:00:12:34:56}.
     */
    static final ASN1ObjectIdentifier MAC_ADDRESS = new ASN1ObjectIdentifier("1.3.6.1.1.1.1.22");
    static final String SIGNATURE = "SHA256withRSA";

    private Issuer() {
    }

    static X509Certificate root(KeyPair keys, X500Name subject, BigInteger serial, Instant notBefore, Instant notAfter) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial, Date.from(notBefore),
                    Date.from(notAfter), subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ski(keys.getPublic()));
            return sign(b, keys.getPrivate());
        } catch (IOException e) {
            throw new PkiException("cannot build the root certificate: " + e.getMessage(), e);
        }
    }

    /** Optional AIA (OCSP) and CRL distribution point URLs; null leaves the extension out. */
    record Urls(URI ocsp, URI crl) {
        static final Urls NONE = new Urls(null, null);
    }

    static X509Certificate server(X509Certificate root, PrivateKey rootKey, PublicKey key, BigInteger serial,
                                  X500Name subject, List<InetAddress> addresses, List<String> hostNames,
                                  Instant notBefore, Instant notAfter, Urls urls) {
        List<GeneralName> names = new ArrayList<>();
        hostNames.forEach(h -> names.add(new GeneralName(GeneralName.dNSName, h)));
        addresses.forEach(a -> names.add(new GeneralName(GeneralName.iPAddress,
                new org.bouncycastle.asn1.DEROctetString(a.getAddress()))));
        return leaf(root, rootKey, key, serial, subject, notBefore, notAfter,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(names.toArray(GeneralName[]::new)), urls, false);
    }

    static X509Certificate client(X509Certificate root, PrivateKey rootKey, PublicKey key, BigInteger serial,
                                  X500Name subject, MacAddress mac, Instant notBefore, Instant notAfter, Urls urls) {
        ASN1Encodable otherName = new DERSequence(new ASN1Encodable[] {MAC_ADDRESS,
                new DERTaggedObject(true, 0, new DERIA5String(mac.toString()))});
        return leaf(root, rootKey, key, serial, subject, notBefore, notAfter, KeyUsage.digitalSignature,
                KeyPurposeId.id_kp_clientAuth, new GeneralNames(new GeneralName(GeneralName.otherName, otherName)),
                urls, false);
    }

    static X509Certificate ocspSigner(X509Certificate root, PrivateKey rootKey, PublicKey key, BigInteger serial,
                                      X500Name subject, Instant notBefore, Instant notAfter) {
        return leaf(root, rootKey, key, serial, subject, notBefore, notAfter, KeyUsage.digitalSignature,
                KeyPurposeId.id_kp_OCSPSigning, null, Urls.NONE, true);
    }

    private static X509Certificate leaf(X509Certificate root, PrivateKey rootKey, PublicKey key, BigInteger serial,
                                        X500Name subject, Instant notBefore, Instant notAfter, int keyUsage,
                                        KeyPurposeId purpose, GeneralNames san, Urls urls, boolean ocspNoCheck) {
        try {
            X500Name issuer = X500Name.getInstance(root.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
                    Date.from(notAfter), subject, key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (san != null) {
                b.addExtension(Extension.subjectAlternativeName, false, san);
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, ski(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId(root)));
            if (urls.ocsp() != null) {
                b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        new AccessDescription(AccessDescription.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, urls.ocsp().toString()))));
            }
            if (urls.crl() != null) {
                b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(new GeneralNames(
                                new GeneralName(GeneralName.uniformResourceIdentifier, urls.crl().toString()))),
                                null, null)}));
            }
            if (ocspNoCheck) {
                b.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
            }
            return sign(b, rootKey);
        } catch (IOException e) {
            throw new PkiException("cannot build the certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    /** The root's subject key identifier (what every leaf's authority key identifier repeats). */
    static byte[] keyId(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            throw new PkiException("the root certificate has no subject key identifier");
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }

    private static SubjectKeyIdentifier ski(PublicKey key) {
        try {
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-1 for key identifiers", e);
        }
    }

    static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(SIGNATURE).build(key);
        } catch (OperatorCreationException e) {
            throw new PkiException("cannot sign with the CA key: " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(signer(key)));
        } catch (CertificateException e) {
            throw new PkiException("the signed certificate could not be read back: " + e.getMessage(), e);
        }
    }
}
