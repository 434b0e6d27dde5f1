package io.bootdesk.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bootdesk.model.CaRotation;
import io.bootdesk.model.CaSummary;
import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.CertificateKind;
import io.bootdesk.model.CertificateStatus;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.RevocationReason;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class CertificateAuthorityTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");
    static final MacAddress OTHER = MacAddress.parse("52:54:00:ab:cd:ef");
    static final String EKU_SERVER = "1.3.6.1.5.5.7.3.1";
    static final String EKU_CLIENT = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path tmp;
    Path dir;
    MemoryLedger ledger;
    TestClock clock;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("ca");
        ledger = new MemoryLedger();
        clock = new TestClock(Instant.now());
    }

    CertificateAuthority ca(PassphraseSource p) {
        return new CertificateAuthority(dir, ledger, p, CaOptions.defaults().withClock(clock));
    }

    CertificateAuthority ca() {
        return ca(PassphraseSource.NONE);
    }

    static PassphraseSource pass(String text) {
        return () -> new Passphrase(text.toCharArray(), "test");
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theRootIsCreatedOnFirstUseWithTheRequiredProfile() throws Exception {
        CertificateAuthority ca = ca();
        assertThat(ca.exists()).isFalse();
        assertThat(ca.summary()).isEmpty();

        X509Certificate root = ca.root();

        assertThat(((RSAPublicKey) root.getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
        assertThat(root.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE); // CA:TRUE, no path length
        assertThat(root.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        boolean[] ku = root.getKeyUsage();
        assertThat(ku[5]).as("keyCertSign").isTrue();
        assertThat(ku[6]).as("cRLSign").isTrue();
        assertThat(ku[0] || ku[1] || ku[2] || ku[3] || ku[4]).isFalse();
        assertThat(root.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
        assertThat(root.getNotBefore().toInstant()).isBeforeOrEqualTo(clock.instant().minus(Duration.ofDays(1)));
        assertThat(root.getNotAfter().toInstant()).isAfter(clock.instant().plus(Duration.ofDays(3000)));
        root.verify(root.getPublicKey());

        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("root-key.pem"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("root.crt"))).isEqualTo("rw-r--r--");
        assertThat(dir.resolve("root-key.p12")).doesNotExist();
        assertThat(ca.keyProtected()).isFalse();
        PrivateKey key = Pem.parsePrivateKey(Files.readString(dir.resolve("root-key.pem")), "root-key.pem");
        assertThat(((RSAPrivateCrtKey) key).getModulus()).isEqualTo(((RSAPublicKey) root.getPublicKey()).getModulus());

        assertThat(ledger.all()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(CertificateKind.ROOT);
            assertThat(i.fingerprint()).isEqualTo(Fingerprints.plain(root)).isEqualTo(i.issuerFingerprint());
        });
        assertThat(ca.root()).isEqualTo(root);
        assertThat(ca().root()).as("another instance reads the same root").isEqualTo(root);
        assertThat(ca.rootFingerprint()).hasSize(32);
        assertThat(ca.rootFingerprintHex()).matches("([0-9a-f]{2}:){31}[0-9a-f]{2}");
    }

    @Test
    void initializeRefusesASecondRootAndChangesNothing() {
        CertificateAuthority ca = ca();
        CaSummary s = ca.initialize();
        assertThat(s.keyProtected()).isFalse();
        assertThatThrownBy(ca::initialize).isInstanceOf(PkiException.class)
                .hasMessageContaining("a CA exists already").hasMessageContaining(s.fingerprint());
        assertThat(ledger.all()).hasSize(1);
        assertThat(ca.rootFingerprintHex()).isEqualTo(s.fingerprint());
    }

    @Test
    void aPassphraseProtectsTheRootKeyInAPkcs12Keystore() throws Exception {
        CertificateAuthority ca = ca(pass("correct horse battery"));
        ca.initialize();
        X509Certificate root = ca.root();
        assertThat(dir.resolve("root-key.pem")).doesNotExist();
        Path p12 = dir.resolve("root-key.p12");
        assertThat(mode(p12)).isEqualTo("rw-------");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(Files.readAllBytes(p12)), "correct horse battery".toCharArray());
        assertThat(ks.getCertificate("bootdesk-root")).isEqualTo(root);

        CertificateAuthority locked = ca();
        assertThat(locked.rootPem()).as("the certificate needs no passphrase").isEqualTo(Pem.certificate(root));
        assertThat(locked.keyProtected()).isTrue();
        assertThatThrownBy(() -> locked.issueClientCertificate(MAC, null, null, false))
                .hasMessageContaining("is protected by a passphrase and none was given");
        assertThatThrownBy(() -> ca(pass("wrong passphrase")).issueClientCertificate(MAC, null, null, false))
                .hasMessageContaining("does not unlock the CA key");
        assertThat(ledger.all()).hasSize(1);
        assertThat(ca(pass("correct horse battery")).issueClientCertificate(MAC, null, null, false).info().mac()).isEqualTo(MAC);
    }

    @Test
    void aShortPassphraseIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> ca(pass("short")).initialize()).hasMessageContaining("shorter than 8 characters");
        assertThat(ledger.all()).isEmpty();
        assertThat(dir.resolve("root.crt")).doesNotExist();
    }

    @Test
    void theServerCertificateHasTheSansTheEkuAndABackdatedStart() throws Exception {
        CertificateAuthority ca = ca();
        ServerIdentity s = ca.serverCertificate(Set.of(InetAddress.getByName("10.99.0.1"), InetAddress.getByName("fd00::1")),
                Set.of("Boot.Lab.example", "bootdesk"));
        X509Certificate leaf = s.certificate();

        assertThat(leaf.getSubjectAlternativeNames()).extracting(l -> (Object) l.get(1))
                .containsExactlyInAnyOrder((Object) "boot.lab.example", "bootdesk", "10.99.0.1", "fd00:0:0:0:0:0:0:1");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(EKU_SERVER);
        assertThat(((RSAPublicKey) leaf.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getNotBefore().toInstant()).isBeforeOrEqualTo(clock.instant().minus(Duration.ofDays(1)));
        assertThat(leaf.getExtensionValue(Extension.authorityInfoAccess.getId())).isNull();
        assertThat(leaf.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNull();
        leaf.verify(ca.root().getPublicKey());
        assertThat(s.chain()).containsExactly(leaf, ca.root());
        assertThat(((RSAPrivateCrtKey) s.key()).getModulus()).isEqualTo(((RSAPublicKey) leaf.getPublicKey()).getModulus());
        assertThat(s.info().kind()).isEqualTo(CertificateKind.SERVER);
        assertThat(mode(dir.resolve("server/server-key.pem"))).isEqualTo("rw-------");
    }

    @Test
    void theServerCertificateIsReusedWhileItFitsAndReissuedWhenAddressesChangeOrItNearsItsEnd() throws Exception {
        CertificateAuthority ca = ca();
        Set<InetAddress> ips = Set.of(InetAddress.getByName("10.99.0.1"));
        ServerIdentity first = ca.serverCertificate(ips, Set.of());
        assertThat(ca.serverCertificate(ips, Set.of())).isSameAs(first);
        ServerIdentity fromDisk = ca().serverCertificate(ips, Set.of());
        assertThat(fromDisk.info().serial()).as("a new process reuses the one on disk").isEqualTo(first.info().serial());
        assertThat(fromDisk.key().getEncoded()).isEqualTo(first.key().getEncoded());

        ServerIdentity moved = ca.serverCertificate(Set.of(InetAddress.getByName("10.99.0.2")), Set.of());
        assertThat(moved.info().serial()).isNotEqualTo(first.info().serial());
        assertThat(ledger.all()).filteredOn(i -> i.serial().equals(first.info().serial())).singleElement()
                .satisfies(i -> assertThat(i.reason()).isEqualTo(RevocationReason.SUPERSEDED));

        clock.advance(Duration.ofDays(825 - 29));
        ServerIdentity renewed = ca.serverCertificate(Set.of(InetAddress.getByName("10.99.0.2")), Set.of());
        assertThat(renewed.info().serial()).isNotEqualTo(moved.info().serial());
    }

    @Test
    void ocspAndCrlUrlsGoIntoCertificatesOnlyWhenConfigured() throws Exception {
        CertificateAuthority ca = new CertificateAuthority(dir, ledger, PassphraseSource.NONE, CaOptions.defaults()
                .withClock(clock).withUrls(URI.create("http://10.99.0.1/ca/ocsp"), URI.create("http://10.99.0.1/ca/crl")));
        X509Certificate leaf = ca.serverCertificate(Set.of(InetAddress.getByName("10.99.0.1")), Set.of()).certificate();
        assertThat(CertificateAuthority.urlsOf(leaf)).isEqualTo(new Issuer.Urls(URI.create("http://10.99.0.1/ca/ocsp"),
                URI.create("http://10.99.0.1/ca/crl")));
        X509Certificate client = ca.issueClientCertificate(MAC, null, null, false).certificate();
        assertThat(CertificateAuthority.urlsOf(client).ocsp()).hasToString("http://10.99.0.1/ca/ocsp");
        // switching the option off re-issues the server certificate without them
        X509Certificate plain = ca().serverCertificate(Set.of(InetAddress.getByName("10.99.0.1")), Set.of()).certificate();
        assertThat(CertificateAuthority.urlsOf(plain)).isEqualTo(Issuer.Urls.NONE);
    }

    @Test
    void badServerNamesAreRefused() throws Exception {
        CertificateAuthority ca = ca();
        assertThatThrownBy(() -> ca.serverCertificate(Set.of(), Set.of())).hasMessageContaining("at least one IP address or host name");
        assertThatThrownBy(() -> ca.serverCertificate(Set.of(), Set.of("bad_name.lab"))).hasMessageContaining("is not a host name");
        assertThatThrownBy(() -> ca.serverCertificate(Set.of(), Set.of("-x.lab"))).hasMessageContaining("is not a host name");
        assertThat(ca.serverCertificate(Set.of(), Set.of("*.lab.example")).hostNames()).containsExactly("*.lab.example");
    }

    @Test
    void aClientCertificateNamesTheMachineAndCarriesItsMac() throws Exception {
        CertificateAuthority ca = ca();
        ClientCredentials c = ca.issueClientCertificate(MAC, "lab-node-7", null, false);
        X509Certificate cert = c.certificate();
        assertThat(cert.getExtendedKeyUsage()).containsExactly(EKU_CLIENT);
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(CertificateAuthority.subject(cert)).isEqualTo("CN=lab-node-7,OU=machines,O=BootDesk");
        assertThat(MachineIdentity.macOf(cert)).contains(MAC);
        assertThat(cert.getNotBefore().toInstant()).isBeforeOrEqualTo(clock.instant().minus(Duration.ofDays(1)));
        cert.verify(ca.root().getPublicKey());
        assertThat(c.info().mac()).isEqualTo(MAC);
        assertThat(c.info().delivery()).isEqualTo(KeyDelivery.NONE);
        assertThat(mode(dir.resolve("clients").resolve(c.info().serial() + "-key.pem"))).isEqualTo("rw-------");
        assertThat(ca.clientCredentials(MAC)).get().satisfies(back -> {
            assertThat(back.certificate()).isEqualTo(cert);
            assertThat(back.key().getEncoded()).isEqualTo(c.key().getEncoded());
        });
        X509Certificate other = ca.issueClientCertificate(OTHER, null, Duration.ofDays(30), false).certificate();
        assertThat(CertificateAuthority.subject(other)).isEqualTo("CN=52:54:00:ab:cd:ef,OU=machines,O=BootDesk");
        assertThat(Duration.between(other.getNotBefore().toInstant(), other.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(30).plus(CertificateAuthority.BACKDATE));
        assertThat(MachineIdentity.macOf(ca.root())).isEmpty();
    }

    @Test
    void aSecondCertificateForAMachineNeedsReplaceAndReplacingRevokesTheFirst() throws Exception {
        CertificateAuthority ca = ca();
        ClientCredentials first = ca.issueClientCertificate(MAC, null, null, false);
        List<CertificateInfo> before = ledger.all();
        long filesBefore = countFiles(dir.resolve("clients"));
        assertThatThrownBy(() -> ca.issueClientCertificate(MAC, null, null, false))
                .hasMessage("52:54:00:12:34:56 already has a valid certificate (serial " + first.info().serial()
                        + "); revoke it first or replace it");
        assertThat(ledger.all()).isEqualTo(before);
        assertThat(countFiles(dir.resolve("clients"))).isEqualTo(filesBefore);

        ClientCredentials second = ca.issueClientCertificate(MAC, null, null, true);
        assertThat(ledger.all()).filteredOn(i -> i.serial().equals(first.info().serial())).singleElement()
                .satisfies(i -> assertThat(i.reason()).isEqualTo(RevocationReason.SUPERSEDED));
        assertThat(dir.resolve("clients").resolve(first.info().serial() + "-key.pem")).doesNotExist();
        assertThat(ca.clientCredentials(MAC)).get().extracting(c -> c.info().serial()).isEqualTo(second.info().serial());
    }

    @Test
    void aFailedLedgerWriteLeavesNoFilesBehind() throws Exception {
        CertificateAuthority ca = ca();
        ca.root();
        ledger.failNext = true;
        assertThatThrownBy(() -> ca.issueClientCertificate(MAC, null, null, false)).hasMessageContaining("disk full");
        assertThat(countFiles(dir.resolve("clients"))).isZero();
        assertThat(ledger.all()).hasSize(1);
        ledger.failNext = true;
        assertThatThrownBy(() -> ca.serverCertificate(Set.of(InetAddress.getByName("10.0.0.1")), Set.of()))
                .hasMessageContaining("disk full");
        assertThat(dir.resolve("server/server.crt")).doesNotExist();
        assertThat(countFiles(dir.resolve("server"))).isZero();
    }

    @Test
    void revokingMarksTheRecordDeletesTheKeyAndRefusesASecondTime() throws Exception {
        CertificateAuthority ca = ca();
        ClientCredentials c = ca.issueClientCertificate(MAC, null, null, false);
        assertThat(ca.authenticatedMachine(c.certificate())).contains(MAC);

        List<CertificateInfo> revoked = ca.revoke(MAC, RevocationReason.KEY_COMPROMISE);
        assertThat(revoked).singleElement().satisfies(i -> {
            assertThat(i.status(clock.instant())).isEqualTo(CertificateStatus.REVOKED);
            assertThat(i.reason()).isEqualTo(RevocationReason.KEY_COMPROMISE);
        });
        assertThat(ledger.all()).filteredOn(i -> i.kind() == CertificateKind.CLIENT).singleElement()
                .satisfies(i -> assertThat(i.revokedAt()).isEqualTo(clock.instant()));
        assertThat(dir.resolve("clients").resolve(c.info().serial() + "-key.pem")).doesNotExist();
        assertThat(dir.resolve("clients").resolve(c.info().serial() + ".crt")).exists();
        assertThat(ca.clientCredentials(MAC)).isEmpty();
        assertThat(ca.authenticatedMachine(c.certificate())).isEmpty();
        assertThatThrownBy(() -> ca.revoke(MAC, RevocationReason.UNSPECIFIED))
                .hasMessage("52:54:00:12:34:56 has no certificate that is not revoked already");
        assertThatThrownBy(() -> ca.revoke(c.info().serial(), RevocationReason.UNSPECIFIED))
                .hasMessageContaining("was revoked already");
        assertThatThrownBy(() -> ca.revoke(ledger.all().get(0).serial(), RevocationReason.UNSPECIFIED))
                .hasMessageContaining("rotating the CA, not revoked");
        assertThatThrownBy(() -> ca.revoke("zz", RevocationReason.UNSPECIFIED)).hasMessageContaining("is not a serial number");
        assertThatThrownBy(() -> ca.revoke("0A", RevocationReason.UNSPECIFIED)).hasMessageContaining("no certificate with serial 0A");
    }

    @Test
    void theIpxeFormsAreTheCertificateDerAndThePkcs1Key() throws Exception {
        ClientCredentials c = ca().issueClientCertificate(MAC, null, null, false);
        String cert = c.ipxeSetCert();
        String key = c.ipxeSetPrivkey();
        assertThat(cert).startsWith("set cert 30:82:").matches("set cert ([0-9a-f]{2}:)+[0-9a-f]{2}");
        assertThat(key).startsWith("set privkey 30:82:").matches("set privkey ([0-9a-f]{2}:)+[0-9a-f]{2}");
        assertThat(IpxeHex.parse(cert.substring("set cert ".length()))).isEqualTo(c.certificate().getEncoded());
        RSAPrivateKey pkcs1 = RSAPrivateKey.getInstance(IpxeHex.parse(key.substring("set privkey ".length())));
        assertThat(pkcs1.getModulus()).isEqualTo(((RSAPublicKey) c.certificate().getPublicKey()).getModulus());
        assertThat(pkcs1.getPrivateExponent()).isEqualTo(((RSAPrivateCrtKey) c.key()).getPrivateExponent());
        assertThat(c.ipxeSettings()).isEqualTo(cert + "\n" + key + "\n");
    }

    @Test
    void anotherInstanceSeesRevocationsAfterRefresh() throws Exception {
        CertificateAuthority serve = ca();
        CertificateAuthority cli = ca();
        ClientCredentials c = cli.issueClientCertificate(MAC, null, null, false);
        assertThat(serve.authenticatedMachine(c.certificate())).as("not seen before refresh").isEmpty();
        assertThat(serve.refresh()).isTrue();
        assertThat(serve.authenticatedMachine(c.certificate())).contains(MAC);
        assertThat(serve.refresh()).isFalse();
        cli.revoke(MAC, RevocationReason.CESSATION_OF_OPERATION);
        assertThat(serve.authenticatedMachine(c.certificate())).contains(MAC);
        assertThat(serve.refresh()).isTrue();
        assertThat(serve.authenticatedMachine(c.certificate())).isEmpty();
    }

    @Test
    void rotationRevokesWhatTheOldRootIssuedRetiresItAndCanReissue() throws Exception {
        CertificateAuthority ca = ca();
        X509Certificate oldRoot = ca.root();
        ServerIdentity oldServer = ca.serverCertificate(Set.of(InetAddress.getByName("10.99.0.1")), Set.of());
        ClientCredentials a = ca.issueClientCertificate(MAC, "node-a", null, false);
        ClientCredentials b = ca.issueClientCertificate(OTHER, null, null, false);
        ca.revoke(OTHER, RevocationReason.KEY_COMPROMISE);
        clock.advance(Duration.ofMinutes(1));

        CaRotation r = ca.rotate(true);

        X509Certificate newRoot = ca.root();
        assertThat(newRoot).isNotEqualTo(oldRoot);
        assertThat(Fingerprints.plain(newRoot)).isEqualTo(r.newRoot().fingerprint());
        assertThat(r.oldRoot().fingerprint()).isEqualTo(Fingerprints.plain(oldRoot));
        assertThat(r.clientsLost()).isEqualTo(1);
        assertThat(r.reissued()).singleElement().satisfies(i -> {
            assertThat(i.mac()).isEqualTo(MAC);
            assertThat(i.subject()).startsWith("CN=node-a,");
            assertThat(i.issuerFingerprint()).isEqualTo(Fingerprints.plain(newRoot));
        });
        CertificateInfo oldA = ledger.all().stream().filter(i -> i.serial().equals(a.info().serial())).findFirst().orElseThrow();
        assertThat(oldA.reason()).isEqualTo(RevocationReason.SUPERSEDED);
        CertificateInfo oldB = ledger.all().stream().filter(i -> i.serial().equals(b.info().serial())).findFirst().orElseThrow();
        assertThat(oldB.reason()).as("an earlier revocation stays as it was").isEqualTo(RevocationReason.KEY_COMPROMISE);
        try (Stream<Path> retired = Files.list(dir.resolve("retired"))) {
            Path only = retired.findFirst().orElseThrow();
            assertThat(Pem.parseCertificates(Files.readString(only.resolve("root.crt")), "retired").get(0)).isEqualTo(oldRoot);
        }
        assertThat(dir.resolve("clients").resolve(a.info().serial() + "-key.pem")).doesNotExist();
        assertThat(dir.resolve("root.crt.new")).doesNotExist();

        ServerIdentity newServer = ca.serverCertificate(Set.of(InetAddress.getByName("10.99.0.1")), Set.of());
        assertThat(newServer.info().serial()).isNotEqualTo(oldServer.info().serial());
        newServer.certificate().verify(newRoot.getPublicKey());
        assertThat(ca.authenticatedMachine(a.certificate())).isEmpty();
        assertThat(ca.clientCredentials(MAC)).get().extracting(c -> c.info().serial()).isEqualTo(r.reissued().get(0).serial());

        CaSummary s = ca.summary().orElseThrow();
        assertThat(s.retiredRoots()).extracting(CertificateInfo::fingerprint).containsExactly(Fingerprints.plain(oldRoot));
        assertThat(s.lostByRotation()).extracting(CertificateInfo::serial).containsExactly(a.info().serial());
        assertThat(s.reissuedAfterRotation()).containsExactly(MAC);
        assertThat(s.clientsValid()).isEqualTo(1);
    }

    @Test
    void rotatingAProtectedRootNeedsItsPassphraseAndChangesNothingWithout() {
        CertificateAuthority ca = ca(pass("correct horse battery"));
        X509Certificate root = ca.root();
        List<CertificateInfo> before = ledger.all();
        assertThatThrownBy(() -> ca().rotate(false)).hasMessageContaining("protected by a passphrase and none was given");
        assertThatThrownBy(() -> ca(pass("not the one at all")).rotate(false)).hasMessageContaining("does not unlock");
        assertThat(ca().root()).isEqualTo(root);
        assertThat(ledger.all()).isEqualTo(before);
        assertThat(dir.resolve("root.crt.new")).doesNotExist();
        ca(pass("correct horse battery")).rotate(false);
        assertThat(ca().keyProtected()).isTrue();
        assertThat(ca().root()).isNotEqualTo(root);
    }

    @Test
    void anInterruptedRotationThatWasNotRecordedIsUndone() throws Exception {
        X509Certificate root = ca().root();
        CertificateAuthority other = new CertificateAuthority(tmp.resolve("other"), new MemoryLedger(),
                PassphraseSource.NONE, CaOptions.defaults());
        Files.writeString(dir.resolve("root.crt.new"), other.rootPem());
        Files.writeString(dir.resolve("root-key.pem.new"), "junk");
        CertificateAuthority reopened = ca();
        assertThat(reopened.root()).isEqualTo(root);
        assertThat(dir.resolve("root.crt.new")).doesNotExist();
        assertThat(dir.resolve("root-key.pem.new")).doesNotExist();
    }

    @Test
    void aLostRootRecordIsRecordedAgain() {
        X509Certificate root = ca().root();
        MemoryLedger fresh = new MemoryLedger();
        new CertificateAuthority(dir, fresh, PassphraseSource.NONE, CaOptions.defaults());
        assertThat(fresh.all()).singleElement().satisfies(i -> assertThat(i.fingerprint()).isEqualTo(Fingerprints.plain(root)));
    }

    @Test
    void theIpxeRecipeHasTheTrustFileTheScriptAndTheMakeLines() throws Exception {
        CertificateAuthority ca = ca();
        ClientCredentials c = ca.issueClientCertificate(MAC, null, null, false);
        Path out = tmp.resolve("recipe");
        List<Path> files = ca.writeIpxeRecipe(out, "https://10.99.0.1/boot/${mac:hexhyp}.ipxe", MAC);
        assertThat(files).extracting(p -> out.relativize(p).toString()).containsExactly("ca.crt", "boot.ipxe",
                "config/local/bootdesk/general.h", "client.crt", "client.key", "README.txt");
        assertThat(Pem.parseCertificates(Files.readString(out.resolve("ca.crt")), "ca.crt")).containsExactly(ca.root());
        assertThat(Files.readString(out.resolve("boot.ipxe"))).startsWith("#!ipxe\n")
                .contains("dhcp || goto failed\nchain https://10.99.0.1/boot/${mac:hexhyp}.ipxe || goto failed\n");
        assertThat(Pem.parseCertificates(Files.readString(out.resolve("client.crt")), "c")).containsExactly(c.certificate());
        assertThat(Pem.parsePrivateKey(Files.readString(out.resolve("client.key")), "k").getEncoded()).isEqualTo(c.key().getEncoded());
        assertThat(mode(out.resolve("client.key"))).isEqualTo("rw-------");
        assertThat(Files.readString(out.resolve("config/local/bootdesk/general.h"))).contains("#define DOWNLOAD_PROTO_HTTPS");
        assertThat(Files.readString(out.resolve("README.txt")))
                .contains("make bin-x86_64-efi/ipxe.efi TRUST=" + out.resolve("ca.crt") + " EMBED=" + out.resolve("boot.ipxe")
                        + " CERT=" + out.resolve("client.crt") + " PRIVKEY=" + out.resolve("client.key") + " CONFIG=bootdesk")
                .contains(ca.rootFingerprintHex());
        assertThat(ledger.all()).filteredOn(i -> i.kind() == CertificateKind.CLIENT).singleElement()
                .satisfies(i -> assertThat(i.delivery()).isEqualTo(KeyDelivery.IPXE_BUILD));

        Path plain = tmp.resolve("plain");
        assertThat(ca.writeIpxeRecipe(plain, null, null)).extracting(p -> plain.relativize(p).toString())
                .doesNotContain("client.crt", "client.key");
        assertThat(Files.readString(plain.resolve("boot.ipxe"))).contains("chain https://${next-server}/boot/${mac:hexhyp}.ipxe");
        assertThatThrownBy(() -> ca.writeIpxeRecipe(tmp.resolve("x"), "ftp://x/y", null)).hasMessageContaining("must start with https://");
        assertThatThrownBy(() -> ca.writeIpxeRecipe(tmp.resolve("y"), null, OTHER)).hasMessageContaining("has no valid client certificate");
        assertThat(tmp.resolve("y")).doesNotExist();
    }

    @Test
    void theCaFatImageAndSignatureListHoldTheRoot() throws Exception {
        CertificateAuthority ca = ca();
        byte[] esl = ca.efiSignatureList();
        assertThat(esl).hasSize(28 + 16 + ca.rootDer().length);
        FatReader fat = new FatReader(ca.caFatImage().toByteArray());
        assertThat(fat.read("bootdesk-ca.der")).isEqualTo(ca.rootDer());
        assertThat(new String(fat.read("bootdesk-ca.pem"))).isEqualTo(ca.rootPem());
        assertThat(fat.read("bootdesk-ca.esl")).isEqualTo(esl);
        assertThat(new String(fat.read("README.TXT"))).contains(ca.rootFingerprintHex());
    }

    @Test
    void keysNeverReachTheLogOrToString() throws Exception {
        Logger pki = (Logger) LoggerFactory.getLogger("io.bootdesk");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        pki.addAppender(appender);
        ch.qos.logback.classic.Level level = pki.getLevel();
        pki.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            CertificateAuthority ca = ca(pass("correct horse battery"));
            ca.initialize();
            ServerIdentity s = ca.serverCertificate(Set.of(InetAddress.getByName("10.0.0.1")), Set.of("boot"));
            ClientCredentials c = ca.issueClientCertificate(MAC, null, null, false);
            ca.ocspResponse(Ocsp.request(ca.root(), c.certificate().getSerialNumber(), null));
            ca.crl();
            ca.revoke(MAC, RevocationReason.KEY_COMPROMISE);
            ca.rotate(true);
            assertThatThrownBy(() -> ca(pass("wrong passphrase!")).issueClientCertificate(OTHER, null, null, false))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong passphrase!"));

            List<String> secrets = List.of("PRIVATE KEY", "correct horse battery", hex(((RSAPrivateCrtKey) c.key()).getPrivateExponent()),
                    hex(((RSAPrivateCrtKey) s.key()).getPrivateExponent()), ((RSAPrivateCrtKey) c.key()).getPrivateExponent().toString(),
                    c.ipxeSetPrivkey().substring(12, 60));
            assertThat(appender.list).isNotEmpty();
            for (ILoggingEvent e : appender.list) {
                for (String secret : secrets) {
                    assertThat(e.getFormattedMessage()).doesNotContain(secret);
                }
            }
            for (String text : List.of(s.toString(), c.toString(), pass("correct horse battery").passphrase().toString())) {
                for (String secret : secrets) {
                    assertThat(text).doesNotContain(secret);
                }
                assertThat(text).doesNotContain(((RSAPrivateCrtKey) c.key()).getPrivateExponent().toString(16));
            }
        } finally {
            pki.detachAppender(appender);
            pki.setLevel(level);
        }
    }

    private static String hex(BigInteger b) {
        return HexFormat.of().formatHex(b.toByteArray()).substring(2, 40);
    }

    private static long countFiles(Path d) throws Exception {
        if (!Files.exists(d)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }
}
