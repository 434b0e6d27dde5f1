package io.bootdesk.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.MacAddress;
import io.bootdesk.model.RevocationReason;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");
    static final MacAddress OTHER = MacAddress.parse("52:54:00:00:00:02");

    @TempDir
    Path tmp;
    MemoryLedger ledger;
    TestClock clock;
    CertificateAuthority ca;

    @BeforeEach
    void setUp() {
        ledger = new MemoryLedger();
        clock = new TestClock(Instant.now());
        ca = new CertificateAuthority(tmp.resolve("ca"), ledger, PassphraseSource.NONE, CaOptions.defaults().withClock(clock));
    }

    static X509CRL parse(byte[] der) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }

    static BigInteger crlNumber(X509CRL crl) {
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId()))
                .getOctets()).getValue();
    }

    @Test
    void theCrlListsRevokedSerialsWithReasonsAndIsSignedByTheRoot() throws Exception {
        X509Certificate a = ca.issueClientCertificate(MAC, null, null, false).certificate();
        X509Certificate b = ca.issueClientCertificate(OTHER, null, null, false).certificate();
        X509CRL empty = parse(ca.crl());
        empty.verify(ca.root().getPublicKey());
        assertThat(empty.getRevokedCertificates()).isNull();
        assertThat(empty.getIssuerX500Principal()).isEqualTo(ca.root().getSubjectX500Principal());
        assertThat(Duration.between(empty.getThisUpdate().toInstant(), empty.getNextUpdate().toInstant())).isEqualTo(Duration.ofDays(7));
        assertThat(empty.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNotNull();
        assertThat(ca.crl()).as("unchanged: cached").isEqualTo(ca.crl());

        clock.advance(Duration.ofSeconds(5));
        ca.revoke(MAC, RevocationReason.KEY_COMPROMISE);
        ca.revoke(OTHER, RevocationReason.UNSPECIFIED);
        X509CRL crl = parse(ca.crl());
        crl.verify(ca.root().getPublicKey());
        assertThat(crl.getRevokedCertificates()).extracting(X509CRLEntry::getSerialNumber)
                .containsExactlyInAnyOrder(a.getSerialNumber(), b.getSerialNumber());
        X509CRLEntry ea = crl.getRevokedCertificate(a.getSerialNumber());
        assertThat(ea.getRevocationReason()).isEqualTo(java.security.cert.CRLReason.KEY_COMPROMISE);
        assertThat(ea.getRevocationDate().toInstant()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                .with(java.time.temporal.ChronoField.MILLI_OF_SECOND, 0));
        assertThat(crl.getRevokedCertificate(b.getSerialNumber()).getRevocationReason()).as("unspecified is left out").isNull();
        assertThat(crlNumber(crl)).isGreaterThan(crlNumber(empty));
        assertThat(crl.isRevoked(a)).isTrue();
    }

    @Test
    void theCrlIsRegeneratedAfterTwelveHoursEvenWithoutChanges() throws Exception {
        byte[] first = ca.crl();
        clock.advance(Duration.ofHours(13));
        X509CRL second = parse(ca.crl());
        assertThat(second.getEncoded()).isNotEqualTo(first);
        assertThat(second.getNextUpdate().toInstant()).isAfter(clock.instant().plus(Duration.ofDays(6)));
    }

    static SingleResp single(byte[] response) throws Exception {
        OCSPResp resp = new OCSPResp(response);
        assertThat(resp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        return basic.getResponses()[0];
    }

    @Test
    void ocspAnswersGoodThenRevokedForBootDeskSerialsAndUnknownForOthers() throws Exception {
        X509Certificate c = ca.issueClientCertificate(MAC, null, null, false).certificate();
        SingleResp good = single(ca.ocspResponse(Ocsp.request(ca.root(), c.getSerialNumber(), null)));
        assertThat(good.getCertStatus()).as("good (BC represents it as null; revoked and unknown are objects)").isNull();
        assertThat(good.getCertID().getSerialNumber()).isEqualTo(c.getSerialNumber());
        assertThat(good.getNextUpdate()).isAfter(good.getThisUpdate());

        ca.revoke(MAC, RevocationReason.KEY_COMPROMISE);
        SingleResp revoked = single(ca.ocspResponse(Ocsp.request(ca.root(), c.getSerialNumber(), null)));
        assertThat(revoked.getCertStatus()).isInstanceOf(RevokedStatus.class);
        RevokedStatus rs = (RevokedStatus) revoked.getCertStatus();
        assertThat(rs.getRevocationReason()).isEqualTo(CRLReason.keyCompromise);
        assertThat(rs.getRevocationTime().toInstant()).isEqualTo(clock.instant().with(java.time.temporal.ChronoField.NANO_OF_SECOND, 0));

        assertThat(single(ca.ocspResponse(Ocsp.request(ca.root(), BigInteger.valueOf(12345), null))).getCertStatus())
                .isInstanceOf(UnknownStatus.class);
        CertificateAuthority stranger = new CertificateAuthority(tmp.resolve("stranger"), new MemoryLedger(),
                PassphraseSource.NONE, CaOptions.defaults());
        X509Certificate foreign = stranger.issueClientCertificate(MAC, null, null, false).certificate();
        assertThat(single(ca.ocspResponse(Ocsp.request(stranger.root(), foreign.getSerialNumber(), null))).getCertStatus())
                .as("another CA's certificate").isInstanceOf(UnknownStatus.class);
        assertThat(single(ca.ocspResponse(Ocsp.request(ca.root(), ca.root().getSerialNumber(), null))).getCertStatus())
                .as("the root itself").isInstanceOf(UnknownStatus.class);
    }

    @Test
    void aSha256CertIdIsAnsweredToo() throws Exception {
        X509Certificate c = ca.issueClientCertificate(MAC, null, null, false).certificate();
        byte[] req = Ocsp.request(ca.root(), c.getSerialNumber(), null,
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256));
        assertThat(single(ca.ocspResponse(req)).getCertStatus()).as("good").isNull();
    }

    @Test
    void theDelegatedSignerIsIssuedByTheRootForOcspSigningAndSignsWithNonce() throws Exception {
        X509Certificate c = ca.issueClientCertificate(MAC, null, null, false).certificate();
        byte[] nonce = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        OCSPResp resp = new OCSPResp(ca.ocspResponse(Ocsp.request(ca.root(), c.getSerialNumber(), nonce)));
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        X509CertificateHolder[] certs = basic.getCerts();
        assertThat(certs).hasSize(1);
        X509Certificate signer = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(certs[0]);
        signer.verify(ca.root().getPublicKey());
        assertThat(signer.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.9");
        assertThat(signer.getExtensionValue(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId())).isNotNull();
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer))).isTrue();
        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets())
                .isEqualTo(new org.bouncycastle.asn1.DEROctetString(nonce).getEncoded());
        // the same signer is reused
        BasicOCSPResp again = (BasicOCSPResp) new OCSPResp(ca.ocspResponse(Ocsp.request(ca.root(), c.getSerialNumber(), null)))
                .getResponseObject();
        assertThat(again.getCerts()[0]).isEqualTo(certs[0]);
        assertThat(again.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)).isNull();
    }

    @Test
    void withoutDelegationTheRootSignsAndSendsNoCertificates() throws Exception {
        CertificateAuthority rootSigned = new CertificateAuthority(tmp.resolve("r"), new MemoryLedger(), PassphraseSource.NONE,
                CaOptions.defaults().withDelegatedOcspSigner(false));
        X509Certificate c = rootSigned.issueClientCertificate(MAC, null, null, false).certificate();
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(rootSigned.ocspResponse(
                Ocsp.request(rootSigned.root(), c.getSerialNumber(), null))).getResponseObject();
        assertThat(basic.getCerts()).isEmpty();
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(rootSigned.root()))).isTrue();
    }

    @Test
    void malformedRequestsGetMalformedRequestAndNothingThrows() throws Exception {
        ca.root();
        for (byte[] junk : new byte[][] {new byte[0], null, "GET / HTTP/1.1".getBytes(), new byte[] {0x30, (byte) 0x82, 0x7f},
                new byte[Revocation.MAX_REQUEST + 1]}) {
            assertThat(new OCSPResp(ca.ocspResponse(junk)).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        }
        java.util.Random r = new java.util.Random(42);
        byte[] valid = Ocsp.request(ca.root(), BigInteger.TEN, null);
        for (int i = 0; i < 300; i++) {
            byte[] m = valid.clone();
            m[r.nextInt(m.length)] ^= (byte) (1 + r.nextInt(255));
            int status = new OCSPResp(ca.ocspResponse(m)).getStatus();
            assertThat(status).isIn(OCSPResp.SUCCESSFUL, OCSPResp.MALFORMED_REQUEST);
        }
    }

    @Test
    void noCaYetMeansUnauthorized() throws Exception {
        CertificateAuthority none = new CertificateAuthority(tmp.resolve("none"), new MemoryLedger(), PassphraseSource.NONE,
                CaOptions.defaults());
        CertificateAuthority other = new CertificateAuthority(tmp.resolve("o"), new MemoryLedger(), PassphraseSource.NONE,
                CaOptions.defaults());
        assertThat(new OCSPResp(none.ocspResponse(Ocsp.request(other.root(), BigInteger.ONE, null))).getStatus())
                .isEqualTo(OCSPResp.UNAUTHORIZED);
        assertThat(none.exists()).as("an OCSP request does not create a CA").isFalse();
    }

    @Test
    void theGetFormIsDecodedFromTheUrlPath() throws Exception {
        byte[] req = Ocsp.request(ca.root(), BigInteger.TEN, null);
        String b64 = Base64.getEncoder().encodeToString(req);
        String encoded = java.net.URLEncoder.encode(b64, java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(OcspHttp.requestFromPath(encoded)).isEqualTo(req);
        assertThat(OcspHttp.requestFromPath("/" + encoded)).isEqualTo(req);
        assertThat(OcspHttp.requestFromPath(b64)).as("not percent-encoded ('+' stays a plus)").isEqualTo(req);
        assertThat(OcspHttp.requestFromPath(Base64.getUrlEncoder().encodeToString(req))).isEqualTo(req);
        assertThat(OcspHttp.requestFromPath("!!!")).isEmpty();
        assertThat(new OCSPResp(ca.ocspResponse(OcspHttp.requestFromPath("!!!"))).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        CertificateID id = new org.bouncycastle.cert.ocsp.OCSPReq(OcspHttp.requestFromPath(encoded)).getRequestList()[0].getCertID();
        assertThat(id.getSerialNumber()).isEqualTo(BigInteger.TEN);
    }
}
