package io.bootdesk.pki;

import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.CertificateKind;
import io.bootdesk.model.RevocationReason;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** The CRL and the OCSP answers, computed from the ledger's records. */
final class Revocation {
    /** Largest OCSP request accepted (a request for a handful of certificates is a few hundred bytes). */
    static final int MAX_REQUEST = 16 * 1024;

    private Revocation() {
    }

    /** A DER CRL of every revoked certificate issued by {@code root}, signed by the root. */
    static byte[] crl(X509Certificate root, PrivateKey rootKey, Collection<CertificateInfo> issued, Instant thisUpdate,
                      Instant nextUpdate) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                    Date.from(thisUpdate));
            b.setNextUpdate(Date.from(nextUpdate));
            for (CertificateInfo i : issued) {
                if (i.revoked() && i.kind() != CertificateKind.ROOT) {
                    b.addCRLEntry(Keys.parseSerial(i.serial()), Date.from(i.revokedAt()), reasonExtensions(i.reason()));
                }
            }
            b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(Issuer.keyId(root)));
            // Monotonic across regenerations and processes as long as the clock does not go back.
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(thisUpdate.toEpochMilli())));
            return b.build(Issuer.signer(rootKey)).getEncoded();
        } catch (IOException e) {
            throw new PkiException("cannot build the CRL: " + e.getMessage(), e);
        }
    }

    /** RFC 5280 5.3.1: the reason code extension is left out rather than set to unspecified. */
    private static Extensions reasonExtensions(RevocationReason reason) throws IOException {
        if (reason == null || reason == RevocationReason.UNSPECIFIED) {
            return null;
        }
        return new Extensions(new Extension(Extension.reasonCode, false, CRLReason.lookup(reason.code()).getEncoded()));
    }

    /** Who signs OCSP responses: the root itself, or a delegated OCSP signer (sent along in the response). */
    record Signer(X509Certificate certificate, PrivateKey key, boolean delegated) {
        @Override
        public String toString() {
            return "OCSP signer " + certificate.getSubjectX500Principal() + " (key withheld)";
        }
    }

    /** An OCSPResponse with only a status (malformedRequest, internalError, unauthorized, ...). */
    static byte[] status(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (IOException | OCSPException e) {
            throw new IllegalStateException("cannot encode an OCSP status response", e);
        }
    }

    static OCSPReq parse(byte[] request) throws IOException {
        if (request == null || request.length == 0 || request.length > MAX_REQUEST) {
            throw new IOException("an OCSP request is 1 to " + MAX_REQUEST + " bytes of DER");
        }
        OCSPReq req = new OCSPReq(request);
        if (req.getRequestList().length == 0) {
            throw new IOException("the OCSP request asks about no certificate");
        }
        return req;
    }

    /**
     * Answers each certificate of {@code req}: good or revoked for certificates of {@code issued} (keyed by serial)
     * whose issuer is {@code root}, unknown for anything else. Echoes the nonce.
     */
    static byte[] respond(OCSPReq req, X509Certificate root, Map<BigInteger, CertificateInfo> issued, Signer signer,
                          Instant now, Instant nextUpdate) throws OCSPException, IOException {
        DigestCalculatorProvider digests;
        try {
            digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new OCSPException("no digest provider: " + e.getMessage(), e);
        }
        X509CertificateHolder rootHolder;
        try {
            rootHolder = new JcaX509CertificateHolder(root);
        } catch (CertificateEncodingException e) {
            throw new OCSPException("cannot encode the root: " + e.getMessage(), e);
        }
        SubjectPublicKeyInfo signerKey = SubjectPublicKeyInfo.getInstance(signer.certificate().getPublicKey().getEncoded());
        BasicOCSPRespBuilder b;
        try {
            // ResponderID byKey is the SHA-1 of the signer's key by definition (RFC 6960 4.2.1)
            b = new BasicOCSPRespBuilder(signerKey, digests.get(CertificateID.HASH_SHA1));
        } catch (OperatorCreationException e) {
            throw new OCSPException("no SHA-1 digest for the responder ID: " + e.getMessage(), e);
        }
        for (Req r : req.getRequestList()) {
            CertificateID id = r.getCertID();
            b.addResponse(id, status(id, rootHolder, issued, digests), Date.from(now), Date.from(nextUpdate), null);
        }
        Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null) {
            b.setResponseExtensions(new Extensions(nonce));
        }
        X509CertificateHolder[] chain = signer.delegated()
                ? new X509CertificateHolder[] {holder(signer.certificate())} : null;
        BasicOCSPResp basic = b.build(Issuer.signer(signer.key()), chain, Date.from(now));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    private static CertificateStatus status(CertificateID id, X509CertificateHolder root,
                                            Map<BigInteger, CertificateInfo> issued, DigestCalculatorProvider digests) {
        boolean ours;
        try {
            ours = id.matchesIssuer(root, digests);
        } catch (OCSPException e) {
            ours = false; // a hash algorithm we do not have: not a question about our root we can answer
        }
        if (!ours) {
            return new UnknownStatus();
        }
        CertificateInfo i = issued.get(id.getSerialNumber());
        if (i == null || i.kind() == CertificateKind.ROOT) {
            return new UnknownStatus();
        }
        if (!i.revoked()) {
            return CertificateStatus.GOOD;
        }
        CRLReason reason = i.reason() == RevocationReason.UNSPECIFIED ? null : CRLReason.lookup(i.reason().code());
        return new RevokedStatus(new RevokedInfo(new ASN1GeneralizedTime(Date.from(i.revokedAt())), reason));
    }

    private static X509CertificateHolder holder(X509Certificate c) throws OCSPException {
        try {
            return new JcaX509CertificateHolder(c);
        } catch (CertificateEncodingException e) {
            throw new OCSPException("cannot encode " + c.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }
}
