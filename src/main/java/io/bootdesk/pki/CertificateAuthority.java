package io.bootdesk.pki;

import io.bootdesk.model.CaRotation;
import io.bootdesk.model.CaSummary;
import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.CertificateKind;
import io.bootdesk.model.CertificateStatus;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.RevocationReason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BootDesk's certificate authority over a folder of the data dir ({@code ca/}, see {@link CaFiles} for the
 * layout) and a {@link CertificateLedger}. The root is created on first use (RSA-3072, SHA-256); server and client
 * certificates are RSA-2048, back-dated by {@link #BACKDATE} for firmware clocks that are behind.
 *
 * <p>Thread-safe. Changes are serialised by a lock file, so CLI commands and a running server in other processes
 * can share the folder. The revocation answers ({@link #ocspResponse}, {@link #crl}) come from an in-memory view
 * of the ledger: call {@link #refresh()} periodically (the engine does every 250 ms) to see changes made by other
 * processes, as the catalog does for assignments. Nothing here logs key material; key-holding values leave it out of
 * their {@code toString()}.
 */
public final class CertificateAuthority {
    private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);

    /** notBefore of every certificate is this far in the past (iPXE allows 12.5 h of skew; CMOS clocks are often off more). */
    public static final Duration BACKDATE = Duration.ofDays(2);
    public static final Duration ROOT_VALIDITY = Duration.ofDays(3652);
    static final Duration SERVER_RENEW_BEFORE = Duration.ofDays(30);
    static final Duration OCSP_SIGNER_VALIDITY = Duration.ofDays(30);
    static final Duration OCSP_SIGNER_RENEW_BEFORE = Duration.ofDays(7);
    static final Duration OCSP_NEXT_UPDATE = Duration.ofHours(1);
    static final Duration CRL_VALIDITY = Duration.ofDays(7);
    static final Duration CRL_REGENERATE_AFTER = Duration.ofHours(12);
    static final int MIN_PASSPHRASE = 8;
    private static final String ROOT_ALIAS = "bootdesk-root";
    private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** The revocation view: the current root and what it issued, as of a ledger revision. */
    private record View(long revision, X509Certificate root, String rootFp, Map<BigInteger, CertificateInfo> issued) {
    }

    private final CaFiles files;
    private final CertificateLedger ledger;
    private final PassphraseSource passphrases;
    private final CaOptions options;
    private volatile View view;
    // guarded by this
    private PrivateKey rootKey;
    private String rootKeyFor;
    private ServerIdentity server;
    private Revocation.Signer ocspSigner;
    private byte[] crl;
    private long crlRevision = -1;
    private String crlRoot;
    private Instant crlAt;

    public CertificateAuthority(Path caDir, CertificateLedger ledger, PassphraseSource passphrases, CaOptions options) {
        this.files = new CaFiles(caDir);
        this.ledger = ledger;
        this.passphrases = passphrases;
        this.options = options;
        if (Files.exists(files.dir.resolve("root.crt.new"))) {
            files.locked(() -> {
                recoverRotation();
                return null;
            });
        }
        if (exists()) {
            files.locked(() -> {
                recordRootIfMissing();
                return null;
            });
        }
        this.view = load();
    }

    /** A root whose record is missing (a database restored or replaced beside the ca/ folder) is recorded again. */
    private void recordRootIfMissing() {
        X509Certificate root = readRoot();
        String fp = Fingerprints.plain(root);
        if (ledger.all().stream().noneMatch(i -> i.fingerprint().equals(fp))) {
            log.warn("the database had no record of the CA root in {}; recording it again", files.dir);
            ledger.record(List.of(info(root, CertificateKind.ROOT, null, fp, now())), List.of(), now(),
                    RevocationReason.SUPERSEDED);
        }
    }

    /** The folder this CA keeps its files in. */
    public Path directory() {
        return files.dir;
    }

    public boolean exists() {
        return Files.isRegularFile(files.rootCert());
    }

    // ------------------------------------------------------------------------------------------------- root

    /** Creates the root; fails if there is one. Protected by the passphrase source's passphrase if it gives one. */
    public CaSummary initialize() {
        files.locked(() -> {
            if (exists()) {
                X509Certificate r = readRoot();
                throw new PkiException("a CA exists already in " + files.dir + " (" + subject(r) + ", SHA-256 "
                        + Fingerprints.ipxe(r) + "); rotate it to replace it");
            }
            createRoot();
            return null;
        });
        return summary().orElseThrow();
    }

    /** The root certificate, created now if there is none yet (first use). */
    public X509Certificate root() {
        View v = view;
        if (v.root() != null) {
            return v.root();
        }
        files.locked(() -> {
            if (!exists()) {
                createRoot();
            }
            return null;
        });
        reload();
        return view.root();
    }

    public byte[] rootDer() {
        return Pem.der(root());
    }

    public String rootPem() {
        return Pem.certificate(root());
    }

    /** The 32 raw bytes of SHA-256 over the root's DER: DHCP option 175.90 ({@code trust}). */
    public byte[] rootFingerprint() {
        return Fingerprints.sha256(root());
    }

    /** The same in iPXE's hex form, aa:bb:... (lower case, colons). */
    public String rootFingerprintHex() {
        return Fingerprints.ipxe(root());
    }

    /** True when the root key is in a passphrase-protected PKCS#12 keystore. */
    public boolean keyProtected() {
        return Files.exists(files.rootKeyP12());
    }

    private void createRoot() {
        Passphrase p = passphrases.passphrase();
        if (p != null && p.length() < MIN_PASSPHRASE) {
            throw new PkiException("the CA passphrase from " + p.origin() + " is shorter than " + MIN_PASSPHRASE + " characters");
        }
        Instant now = now();
        KeyPair keys = Keys.rsa(Keys.ROOT_BITS);
        X509Certificate cert = newRootCertificate(keys, now);
        Path certStaged = CaFiles.stage(files.rootCert(), Pem.certificate(cert).getBytes(StandardCharsets.US_ASCII), false);
        Path keyTarget = p == null ? files.rootKeyPem() : files.rootKeyP12();
        Path keyStaged = null;
        try {
            keyStaged = CaFiles.stage(keyTarget, rootKeyBytes(keys.getPrivate(), cert, p), true);
            ledger.record(List.of(info(cert, CertificateKind.ROOT, null, Fingerprints.plain(cert), now)), List.of(), now,
                    RevocationReason.SUPERSEDED);
        } catch (RuntimeException e) {
            CaFiles.deleteQuietly(certStaged);
            if (keyStaged != null) {
                CaFiles.deleteQuietly(keyStaged);
            }
            throw e;
        }
        CaFiles.install(keyStaged, keyTarget);
        CaFiles.install(certStaged, files.rootCert());
        synchronized (this) {
            rootKey = keys.getPrivate();
            rootKeyFor = Fingerprints.plain(cert);
        }
        log.info("created the BootDesk root CA '{}' (SHA-256 {}), key {}{}", subject(cert), Fingerprints.ipxe(cert),
                keyTarget, p == null ? "" : " protected by the passphrase from " + p.origin());
        reload();
    }

    private X509Certificate newRootCertificate(KeyPair keys, Instant now) {
        BigInteger serial = Keys.serial();
        String id = Keys.serialHex(serial).substring(0, 8).toLowerCase(Locale.ROOT);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, "BootDesk CA " + DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(now) + " " + id)
                .addRDN(BCStyle.O, "BootDesk").build();
        Instant notBefore = now.minus(BACKDATE).truncatedTo(ChronoUnit.SECONDS);
        return Issuer.root(keys, subject, serial, notBefore, now.plus(ROOT_VALIDITY).truncatedTo(ChronoUnit.SECONDS));
    }

    private static byte[] rootKeyBytes(PrivateKey key, X509Certificate cert, Passphrase p) {
        if (p == null) {
            return Pem.privateKey(key).getBytes(StandardCharsets.US_ASCII);
        }
        char[] chars = p.chars();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ROOT_ALIAS, key, chars, new Certificate[] {cert});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, chars);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("cannot write the PKCS#12 keystore for the CA key: " + e.getMessage(), e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** The root key, read (and if protected, unlocked) on first need. */
    private PrivateKey rootKey() {
        X509Certificate root = root(); // may create it, taking the file lock: never while holding this monitor
        String fp = Fingerprints.plain(root);
        synchronized (this) {
            if (rootKey != null && fp.equals(rootKeyFor)) {
                return rootKey;
            }
            PrivateKey k = readRootKey(root, passphrases.passphrase());
            rootKey = k;
            rootKeyFor = fp;
            return k;
        }
    }

    private PrivateKey readRootKey(X509Certificate root, Passphrase p) {
        PrivateKey key;
        if (Files.exists(files.rootKeyP12())) {
            if (p == null) {
                throw new PkiException("the CA key " + files.rootKeyP12() + " is protected by a passphrase and none was given ("
                        + passphraseHint() + ")");
            }
            char[] chars = p.chars();
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(new ByteArrayInputStream(Files.readAllBytes(files.rootKeyP12())), chars);
                key = (PrivateKey) ks.getKey(ROOT_ALIAS, chars);
                if (key == null) {
                    throw new PkiException(files.rootKeyP12() + " holds no key named " + ROOT_ALIAS);
                }
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                    throw new PkiException("the passphrase from " + p.origin() + " does not unlock the CA key "
                            + files.rootKeyP12(), e);
                }
                throw new PkiException("cannot read the CA key " + files.rootKeyP12() + ": " + e.getMessage(), e);
            } catch (UnrecoverableKeyException e) {
                throw new PkiException("the passphrase from " + p.origin() + " does not unlock the CA key "
                        + files.rootKeyP12(), e);
            } catch (GeneralSecurityException e) {
                throw new PkiException("cannot read the CA key " + files.rootKeyP12() + ": " + e.getMessage(), e);
            } finally {
                Arrays.fill(chars, '\0');
            }
        } else if (Files.exists(files.rootKeyPem())) {
            key = Pem.parsePrivateKey(CaFiles.read(files.rootKeyPem()), files.rootKeyPem().toString());
        } else {
            throw new PkiException("the CA key is missing: " + files.dir + " has neither root-key.pem nor root-key.p12");
        }
        if (!(key instanceof RSAPrivateCrtKey k) || !(root.getPublicKey() instanceof RSAPublicKey pub)
                || !k.getModulus().equals(pub.getModulus())) {
            throw new PkiException("the CA key in " + files.dir + " does not belong to its root certificate root.crt");
        }
        return key;
    }

    private String passphraseHint() {
        return passphrases.hint();
    }

    // ---------------------------------------------------------------------------------------------- server

    /**
     * The HTTPS server's identity for exactly these addresses and names (iPAddress and dNSName SANs). Reused from
     * memory or from disk while it matches (same root, same SANs, same AIA/CRL options, more than 30 days left);
     * otherwise a new one is issued, stored and recorded, and the previous one is revoked as superseded. Blocks for
     * key generation when it issues: call it when the server starts or its addresses change, not per connection.
     */
    public ServerIdentity serverCertificate(Set<InetAddress> addresses, Set<String> hostNames) {
        List<InetAddress> ips = normaliseAddresses(addresses);
        List<String> names = normaliseHostNames(hostNames);
        if (ips.isEmpty() && names.isEmpty()) {
            throw new PkiException("a server certificate needs at least one IP address or host name");
        }
        X509Certificate root = root();
        synchronized (this) {
            if (server != null && matches(server, root, ips, names)) {
                return server;
            }
        }
        ServerIdentity s = files.locked(() -> {
            ServerIdentity onDisk = readServer(root);
            if (onDisk != null && matches(onDisk, root, ips, names)) {
                return onDisk;
            }
            return issueServer(root, ips, names);
        });
        synchronized (this) {
            server = s;
        }
        return s;
    }

    private ServerIdentity issueServer(X509Certificate root, List<InetAddress> ips, List<String> names) {
        Instant now = now();
        KeyPair keys = Keys.rsa(Keys.LEAF_BITS);
        String cn = names.isEmpty() ? ips.get(0).getHostAddress() : names.get(0);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, cn.length() > 64 ? cn.substring(0, 64) : cn).addRDN(BCStyle.O, "BootDesk").build();
        X509Certificate cert = Issuer.server(root, rootKey(), keys.getPublic(), Keys.serial(), subject, ips, names,
                notBefore(now), capped(now.plus(options.serverValidity()), root), urls());
        String rootFp = Fingerprints.plain(root);
        CertificateInfo info = info(cert, CertificateKind.SERVER, null, rootFp, now);
        List<String> superseded = ledger.all().stream()
                .filter(i -> i.kind() == CertificateKind.SERVER && !i.revoked() && i.issuerFingerprint().equals(rootFp))
                .map(CertificateInfo::serial).toList();
        Path certStaged = CaFiles.stage(files.serverCert(),
                Pem.certificates(List.of(cert, root)).getBytes(StandardCharsets.US_ASCII), false);
        Path keyStaged = CaFiles.stage(files.serverKey(), Pem.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII), true);
        try {
            ledger.record(List.of(info), superseded, now, RevocationReason.SUPERSEDED);
        } catch (RuntimeException e) {
            CaFiles.deleteQuietly(certStaged);
            CaFiles.deleteQuietly(keyStaged);
            throw e;
        }
        CaFiles.install(keyStaged, files.serverKey());
        CaFiles.install(certStaged, files.serverCert());
        log.info("issued server certificate {} for {} {}", info.serial(), names, ips.stream().map(InetAddress::getHostAddress).toList());
        return new ServerIdentity(cert, List.of(cert, root), keys.getPrivate(), info, Set.copyOf(ips), Set.copyOf(names));
    }

    private ServerIdentity readServer(X509Certificate root) {
        if (!Files.exists(files.serverCert()) || !Files.exists(files.serverKey())) {
            return null;
        }
        try {
            List<X509Certificate> chain = Pem.parseCertificates(CaFiles.read(files.serverCert()), files.serverCert().toString());
            X509Certificate leaf = chain.get(0);
            PrivateKey key = Pem.parsePrivateKey(CaFiles.read(files.serverKey()), files.serverKey().toString());
            Optional<CertificateInfo> info = ledger.all().stream()
                    .filter(i -> i.serial().equals(Keys.serialHex(leaf.getSerialNumber()))).findFirst();
            if (info.isEmpty() || info.get().revoked() || !issuedBy(leaf, root)) {
                return null;
            }
            return new ServerIdentity(leaf, List.of(leaf, root), key, info.get(), Set.copyOf(sanAddresses(leaf)),
                    Set.copyOf(sanNames(leaf)));
        } catch (PkiException e) {
            log.warn("the stored server certificate is unusable and will be replaced: {}", e.getMessage());
            return null;
        }
    }

    private boolean matches(ServerIdentity s, X509Certificate root, List<InetAddress> ips, List<String> names) {
        return issuedBy(s.certificate(), root)
                && s.addresses().equals(Set.copyOf(ips)) && s.hostNames().equals(Set.copyOf(names))
                && s.certificate().getNotAfter().toInstant().isAfter(now().plus(SERVER_RENEW_BEFORE))
                && urlsOf(s.certificate()).equals(urls());
    }

    private static List<InetAddress> normaliseAddresses(Set<InetAddress> addresses) {
        TreeSet<String> seen = new TreeSet<>();
        List<InetAddress> out = new ArrayList<>();
        for (InetAddress a : addresses) {
            try {
                InetAddress plain = InetAddress.getByAddress(a.getAddress()); // no host name, no scope
                if (seen.add(plain.getHostAddress())) {
                    out.add(plain);
                }
            } catch (UnknownHostException e) {
                throw new PkiException("'" + a + "' is not an IP address", e);
            }
        }
        out.sort(Comparator.comparing(a -> HexFormat.of().formatHex(a.getAddress()), Comparator.naturalOrder()));
        out.sort(Comparator.comparingInt(a -> a.getAddress().length));
        return out;
    }

    private static List<String> normaliseHostNames(Set<String> hostNames) {
        Set<String> out = new TreeSet<>();
        for (String h : hostNames) {
            String n = h.trim().toLowerCase(Locale.ROOT);
            if (n.endsWith(".")) {
                n = n.substring(0, n.length() - 1);
            }
            String labels = n.startsWith("*.") ? n.substring(2) : n;
            boolean ok = !labels.isEmpty() && n.length() <= 253
                    && Arrays.stream(labels.split("\\.", -1)).allMatch(l -> HOST_LABEL.matcher(l).matches());
            if (!ok) {
                throw new PkiException("'" + h + "' is not a host name (letters, digits and '-' in dot-separated labels)");
            }
            out.add(n);
        }
        return new ArrayList<>(out);
    }

    // ---------------------------------------------------------------------------------------------- clients

    /**
     * Issues a client certificate for {@code mac}: RSA-2048, EKU clientAuth, subject {@code CN=<name or MAC>,
     * OU=machines, O=BootDesk}, the MAC in a SAN otherName (RFC 2307 macAddress). If the machine has a valid one
     * already this fails, unless {@code replace}, which revokes it (superseded) in the same transaction.
     *
     * @param name     what the subject's CN says (null: the MAC)
     * @param validity null: the CA's default (825 days); never beyond the root's end
     */
    public ClientCredentials issueClientCertificate(MacAddress mac, String name, Duration validity, boolean replace) {
        String cn = name == null || name.isBlank() ? mac.toString() : name.trim();
        if (cn.length() > 64 || cn.chars().anyMatch(Character::isISOControl)) {
            throw new PkiException("a machine name for a certificate is 1 to 64 printable characters, not '" + name + "'");
        }
        Duration life = validity == null ? options.clientValidity() : validity;
        if (life.isNegative() || life.isZero()) {
            throw new PkiException("a certificate's lifetime must be positive");
        }
        X509Certificate root = root();
        PrivateKey signingKey = rootKey();
        return files.locked(() -> {
            String rootFp = Fingerprints.plain(root);
            Instant now = now();
            List<CertificateInfo> current = ledger.all().stream()
                    .filter(i -> i.kind() == CertificateKind.CLIENT && mac.equals(i.mac()) && !i.revoked()
                            && i.issuerFingerprint().equals(rootFp) && i.notAfter().isAfter(now))
                    .toList();
            if (!current.isEmpty() && !replace) {
                throw new PkiException(mac + " already has a valid certificate (serial " + current.get(0).serial()
                        + "); revoke it first or replace it");
            }
            KeyPair keys = Keys.rsa(Keys.LEAF_BITS);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn)
                    .addRDN(BCStyle.OU, "machines").addRDN(BCStyle.O, "BootDesk").build();
            X509Certificate cert = Issuer.client(root, signingKey, keys.getPublic(), Keys.serial(), subject, mac,
                    notBefore(now), capped(now.plus(life), root), urls());
            CertificateInfo info = info(cert, CertificateKind.CLIENT, mac, rootFp, now);
            Path certFile = files.clientCert(info.serial());
            Path keyFile = files.clientKey(info.serial());
            CaFiles.create(certFile, Pem.certificate(cert).getBytes(StandardCharsets.US_ASCII), false);
            try {
                CaFiles.create(keyFile, Pem.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII), true);
                ledger.record(List.of(info), current.stream().map(CertificateInfo::serial).toList(), now,
                        RevocationReason.SUPERSEDED);
            } catch (RuntimeException e) {
                CaFiles.deleteQuietly(certFile);
                CaFiles.deleteQuietly(keyFile);
                throw e;
            }
            current.forEach(i -> CaFiles.deleteQuietly(files.clientKey(i.serial())));
            log.info("issued client certificate {} for {} ({})", info.serial(), mac, info.subject());
            reload();
            return new ClientCredentials(info, cert, keys.getPrivate());
        });
    }

    /** The newest valid client certificate of {@code mac} under the current root, with its key. */
    public Optional<ClientCredentials> clientCredentials(MacAddress mac) {
        X509Certificate root = root();
        String rootFp = Fingerprints.plain(root);
        Instant now = now();
        return ledger.all().stream()
                .filter(i -> i.kind() == CertificateKind.CLIENT && mac.equals(i.mac())
                        && i.issuerFingerprint().equals(rootFp) && i.status(now) == CertificateStatus.VALID
                        && Files.exists(files.clientKey(i.serial())))
                .max(Comparator.comparing(CertificateInfo::issued))
                .map(i -> new ClientCredentials(i,
                        Pem.parseCertificates(CaFiles.read(files.clientCert(i.serial())), files.clientCert(i.serial()).toString()).get(0),
                        Pem.parsePrivateKey(CaFiles.read(files.clientKey(i.serial())), files.clientKey(i.serial()).toString())));
    }

    /**
     * Revokes every certificate of {@code mac} that is not revoked yet and deletes their keys. Returns them as
     * revoked. Fails (changing nothing) if there is none.
     */
    public List<CertificateInfo> revoke(MacAddress mac, RevocationReason reason) {
        return files.locked(() -> {
            List<CertificateInfo> targets = ledger.all().stream()
                    .filter(i -> i.kind() == CertificateKind.CLIENT && mac.equals(i.mac()) && !i.revoked()).toList();
            if (targets.isEmpty()) {
                throw new PkiException(mac + " has no certificate that is not revoked already");
            }
            return revokeAll(targets, reason);
        });
    }

    /** Revokes one certificate by serial (client, server or OCSP signer; a root is rotated, not revoked). */
    public CertificateInfo revoke(String serial, RevocationReason reason) {
        String s = Keys.serialHex(Keys.parseSerial(serial));
        return files.locked(() -> {
            CertificateInfo i = ledger.all().stream().filter(c -> c.serial().equals(s)).findFirst()
                    .orElseThrow(() -> new PkiException("BootDesk issued no certificate with serial " + s));
            if (i.kind() == CertificateKind.ROOT) {
                throw new PkiException("a root is replaced by rotating the CA, not revoked");
            }
            if (i.revoked()) {
                throw new PkiException("certificate " + s + " was revoked already on " + i.revokedAt());
            }
            return revokeAll(List.of(i), reason).get(0);
        });
    }

    private List<CertificateInfo> revokeAll(List<CertificateInfo> targets, RevocationReason reason) {
        Instant now = now();
        ledger.record(List.of(), targets.stream().map(CertificateInfo::serial).toList(), now, reason);
        for (CertificateInfo i : targets) {
            if (i.kind() == CertificateKind.CLIENT) {
                CaFiles.delete(files.clientKey(i.serial()));
            }
            log.info("revoked certificate {} ({}{}): {}", i.serial(), i.subject(), i.mac() == null ? "" : ", " + i.mac(),
                    reason.label());
        }
        synchronized (this) {
            if (server != null && targets.stream().anyMatch(t -> t.serial().equals(server.info().serial()))) {
                server = null;
            }
        }
        reload();
        return targets.stream().map(i -> i.withRevocation(now, reason)).toList();
    }

    /** Records how a machine got the key of {@code serial}. */
    public void recordDelivery(String serial, KeyDelivery how) {
        if (!ledger.delivered(serial, how, now())) {
            throw new PkiException("BootDesk issued no certificate with serial " + serial);
        }
    }

    /** Every certificate issued, oldest first, read now from the ledger. */
    public List<CertificateInfo> certificates() {
        return ledger.all();
    }

    /**
     * For mutual TLS: the machine a client certificate (already validated against {@link #root()} by the TLS
     * stack) belongs to, if it is a BootDesk client certificate of the current root that is valid now and not
     * revoked in the revocation view. Reads memory only.
     */
    public Optional<MacAddress> authenticatedMachine(X509Certificate cert) {
        View v = view;
        if (v.root() == null || !issuedBy(cert, v.root())) {
            return Optional.empty();
        }
        CertificateInfo i = v.issued().get(cert.getSerialNumber());
        if (i == null || i.kind() != CertificateKind.CLIENT || i.status(now()) != CertificateStatus.VALID
                || !i.fingerprint().equals(Fingerprints.plain(cert))) {
            return Optional.empty();
        }
        return MachineIdentity.macOf(cert).filter(m -> m.equals(i.mac()));
    }

    // ---------------------------------------------------------------------------------------------- revocation

    /**
     * The current CRL (DER, signed by the root): every revoked certificate of the current root, nextUpdate 7 days
     * on. Regenerated when the revocation view changes or after 12 hours. Needs the root key (and so its
     * passphrase, if protected) when it regenerates.
     */
    public byte[] crl() {
        root();
        synchronized (this) {
            View v = view;
            Instant now = now();
            if (crl != null && crlRevision == v.revision() && v.rootFp().equals(crlRoot)
                    && now.isBefore(crlAt.plus(CRL_REGENERATE_AFTER))) {
                return crl.clone();
            }
            Instant thisUpdate = now.truncatedTo(ChronoUnit.SECONDS);
            crl = Revocation.crl(v.root(), rootKey(), v.issued().values(), thisUpdate, thisUpdate.plus(CRL_VALIDITY));
            crlRevision = v.revision();
            crlRoot = v.rootFp();
            crlAt = now;
            return crl.clone();
        }
    }

    /**
     * An RFC 6960 OCSPResponse (DER) to a DER OCSPRequest: good or revoked for certificates this CA issued under
     * its current root, unknown for any other. Never throws: malformed input gets malformedRequest, a CA that
     * cannot sign (no CA yet, or a locked key) gets internalError / unauthorized. Reads memory only unless the OCSP
     * signer must be (re)issued.
     */
    public byte[] ocspResponse(byte[] request) {
        OCSPReq req;
        try {
            req = Revocation.parse(request);
        } catch (IOException | RuntimeException e) {
            return Revocation.status(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        View v = view;
        if (v.root() == null) {
            return Revocation.status(OCSPRespBuilder.UNAUTHORIZED);
        }
        try {
            Instant now = now().truncatedTo(ChronoUnit.SECONDS);
            return Revocation.respond(req, v.root(), v.issued(), ocspSigner(v.root()), now, now.plus(OCSP_NEXT_UPDATE));
        } catch (OCSPException | IOException | RuntimeException e) {
            log.warn("cannot answer an OCSP request: {}", e.getMessage());
            return Revocation.status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    private Revocation.Signer ocspSigner(X509Certificate root) {
        if (!options.delegatedOcspSigner()) {
            return new Revocation.Signer(root, rootKey(), false);
        }
        synchronized (this) {
            if (ocspSigner != null && usableSigner(ocspSigner.certificate(), root)) {
                return ocspSigner;
            }
        }
        // lock order: the file lock first, this monitor only briefly after it
        Revocation.Signer s = files.locked(() -> {
            if (Files.exists(files.ocspCert()) && Files.exists(files.ocspKey())) {
                X509Certificate c = Pem.parseCertificates(CaFiles.read(files.ocspCert()), files.ocspCert().toString()).get(0);
                if (usableSigner(c, root)) {
                    return new Revocation.Signer(c, Pem.parsePrivateKey(CaFiles.read(files.ocspKey()), files.ocspKey().toString()), true);
                }
            }
            return issueOcspSigner(root);
        });
        synchronized (this) {
            ocspSigner = s;
        }
        return s;
    }

    private boolean usableSigner(X509Certificate c, X509Certificate root) {
        return issuedBy(c, root) && c.getNotAfter().toInstant().isAfter(now().plus(OCSP_SIGNER_RENEW_BEFORE));
    }

    private Revocation.Signer issueOcspSigner(X509Certificate root) {
        Instant now = now();
        KeyPair keys = Keys.rsa(Keys.LEAF_BITS);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "BootDesk OCSP responder")
                .addRDN(BCStyle.O, "BootDesk").build();
        X509Certificate cert = Issuer.ocspSigner(root, rootKey(), keys.getPublic(), Keys.serial(), subject,
                notBefore(now), capped(now.plus(OCSP_SIGNER_VALIDITY), root));
        String rootFp = Fingerprints.plain(root);
        List<String> superseded = ledger.all().stream()
                .filter(i -> i.kind() == CertificateKind.OCSP_SIGNER && !i.revoked() && i.issuerFingerprint().equals(rootFp))
                .map(CertificateInfo::serial).toList();
        Path certStaged = CaFiles.stage(files.ocspCert(), Pem.certificate(cert).getBytes(StandardCharsets.US_ASCII), false);
        Path keyStaged = CaFiles.stage(files.ocspKey(), Pem.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII), true);
        try {
            ledger.record(List.of(info(cert, CertificateKind.OCSP_SIGNER, null, rootFp, now)), superseded, now,
                    RevocationReason.SUPERSEDED);
        } catch (RuntimeException e) {
            CaFiles.deleteQuietly(certStaged);
            CaFiles.deleteQuietly(keyStaged);
            throw e;
        }
        CaFiles.install(keyStaged, files.ocspKey());
        CaFiles.install(certStaged, files.ocspCert());
        log.info("issued the OCSP signing certificate {}", Keys.serialHex(cert.getSerialNumber()));
        return new Revocation.Signer(cert, keys.getPrivate(), true);
    }

    /**
     * Re-reads the ledger and the root if the ledger changed (in any process) since the last read. Cheap when
     * nothing changed (one small query). Returns true if it reloaded.
     */
    public boolean refresh() {
        if (ledger.revision() == view.revision()) {
            return false;
        }
        reload();
        return true;
    }

    private void reload() {
        View before = view;
        View after = load();
        view = after;
        if (before != null && before.rootFp() != null && !before.rootFp().equals(after.rootFp())) {
            synchronized (this) {
                rootKey = null;
                server = null;
                ocspSigner = null;
                crl = null;
            }
        }
    }

    private View load() {
        long revision = ledger.revision();
        List<CertificateInfo> all = ledger.all();
        if (!exists()) {
            return new View(revision, null, null, Map.of());
        }
        X509Certificate root = readRoot();
        String fp = Fingerprints.plain(root);
        Map<BigInteger, CertificateInfo> issued = new HashMap<>();
        boolean current = false;
        for (CertificateInfo i : all) {
            if (i.issuerFingerprint().equals(fp)) {
                issued.put(Keys.parseSerial(i.serial()), i);
            }
            current |= i.kind() == CertificateKind.ROOT && i.fingerprint().equals(fp) && !i.revoked();
        }
        // A rotation in another process commits the ledger before it renames the files: until root.crt is the
        // ledger's current root, keep the revision unknown so the next refresh looks again.
        return new View(current ? revision : -1, root, fp, Map.copyOf(issued));
    }

    private X509Certificate readRoot() {
        return Pem.parseCertificates(CaFiles.read(files.rootCert()), files.rootCert().toString()).get(0);
    }

    // ---------------------------------------------------------------------------------------------- rotation

    /**
     * Replaces the root with a new one. Everything the old root issued stops being valid for clients that trust
     * the new root, so it is all revoked in the ledger (reason superseded), the old root's key is destroyed and
     * its certificate kept under {@code retired/}. The server certificate and OCSP signer are re-issued on next
     * use; with {@code reissueClients}, every machine that had a valid client certificate gets a new one (same
     * name) now. Machines must then be given the new root (fingerprint, ESL, FAT image, iPXE build) and their new
     * client certificates. If the old key is protected, the passphrase must unlock it; the new key is protected
     * by the passphrase the source gives (if any).
     */
    public CaRotation rotate(boolean reissueClients) {
        CaRotation r = files.locked(() -> {
            if (!exists()) {
                throw new PkiException("there is no CA in " + files.dir + " to rotate yet");
            }
            X509Certificate old = readRoot();
            Passphrase p = passphrases.passphrase();
            if (keyProtected()) {
                readRootKey(old, p); // the operator proves they hold the current key before it is destroyed
            }
            if (p != null && p.length() < MIN_PASSPHRASE) {
                throw new PkiException("the CA passphrase from " + p.origin() + " is shorter than " + MIN_PASSPHRASE + " characters");
            }
            Instant now = now();
            String oldFp = Fingerprints.plain(old);
            KeyPair keys = Keys.rsa(Keys.ROOT_BITS);
            X509Certificate fresh = newRootCertificate(keys, now);
            Path newCert = files.dir.resolve("root.crt.new");
            Path newKey = files.dir.resolve(p == null ? "root-key.pem.new" : "root-key.p12.new");
            CaFiles.write(newKey, rootKeyBytes(keys.getPrivate(), fresh, p), true);
            CaFiles.write(newCert, Pem.certificate(fresh).getBytes(StandardCharsets.US_ASCII), false);
            List<CertificateInfo> all = ledger.all();
            List<CertificateInfo> live = all.stream().filter(i -> i.issuerFingerprint().equals(oldFp) && !i.revoked()).toList();
            List<CertificateInfo> clients = live.stream()
                    .filter(i -> i.kind() == CertificateKind.CLIENT && i.status(now) == CertificateStatus.VALID).toList();
            CertificateInfo freshInfo = info(fresh, CertificateKind.ROOT, null, Fingerprints.plain(fresh), now);
            int revoked;
            try {
                revoked = ledger.record(List.of(freshInfo), live.stream().map(CertificateInfo::serial).toList(), now,
                        RevocationReason.SUPERSEDED);
            } catch (RuntimeException e) {
                CaFiles.deleteQuietly(newCert);
                CaFiles.deleteQuietly(newKey);
                throw e;
            }
            finishRotation(old);
            synchronized (this) {
                rootKey = keys.getPrivate();
                rootKeyFor = Fingerprints.plain(fresh);
                server = null;
                ocspSigner = null;
                crl = null;
            }
            reload();
            log.info("rotated the root CA: '{}' (SHA-256 {}) replaces '{}'; {} certificates of the old root revoked",
                    subject(fresh), Fingerprints.ipxe(fresh), subject(old), revoked - 1);
            CertificateInfo oldInfo = all.stream().filter(i -> i.fingerprint().equals(oldFp)).findFirst()
                    .map(i -> i.withRevocation(now, RevocationReason.SUPERSEDED)).orElse(null);
            List<CertificateInfo> reissued = new ArrayList<>();
            if (reissueClients) {
                for (CertificateInfo c : clients) {
                    String name = commonName(c.subject());
                    reissued.add(issueClientCertificate(c.mac(), name.equals(c.mac().toString()) ? null : name,
                            options.clientValidity(), true).info());
                }
            }
            return new CaRotation(oldInfo, freshInfo, clients.size(), reissued);
        });
        return r;
    }

    /** After the ledger committed a rotation: retire the old root's files and put the new ones in place. */
    private void finishRotation(X509Certificate old) {
        Path retiredDir = files.retired().resolve(STAMP.format(now()) + "-" + Fingerprints.plain(old).substring(0, 8));
        CaFiles.makeDir(retiredDir);
        CaFiles.install(CaFiles.stage(retiredDir.resolve("root.crt"),
                Pem.certificate(old).getBytes(StandardCharsets.US_ASCII), false), retiredDir.resolve("root.crt"));
        CaFiles.delete(files.rootKeyPem());
        CaFiles.delete(files.rootKeyP12());
        Path newKeyPem = files.dir.resolve("root-key.pem.new");
        Path newKeyP12 = files.dir.resolve("root-key.p12.new");
        if (Files.exists(newKeyPem)) {
            CaFiles.install(newKeyPem, files.rootKeyPem());
        }
        if (Files.exists(newKeyP12)) {
            CaFiles.install(newKeyP12, files.rootKeyP12());
        }
        CaFiles.install(files.dir.resolve("root.crt.new"), files.rootCert());
        CaFiles.deleteTree(files.dir.resolve("server"));
        CaFiles.deleteTree(files.dir.resolve("ocsp"));
        for (CertificateInfo i : ledger.all()) {
            if (i.kind() == CertificateKind.CLIENT && i.revoked()) {
                CaFiles.delete(files.clientKey(i.serial()));
            }
        }
    }

    /** A rotation that stopped between the ledger commit and the renames is finished; one that did not commit is undone. */
    private void recoverRotation() {
        Path newCert = files.dir.resolve("root.crt.new");
        X509Certificate fresh = Pem.parseCertificates(CaFiles.read(newCert), newCert.toString()).get(0);
        String fp = Fingerprints.plain(fresh);
        boolean committed = ledger.all().stream().anyMatch(i -> i.kind() == CertificateKind.ROOT && i.fingerprint().equals(fp));
        if (committed && exists()) {
            log.warn("finishing an interrupted CA rotation in {}", files.dir);
            finishRotation(readRoot());
        } else {
            log.warn("undoing an interrupted CA rotation in {} (it was not recorded)", files.dir);
            CaFiles.delete(newCert);
            CaFiles.delete(files.dir.resolve("root-key.pem.new"));
            CaFiles.delete(files.dir.resolve("root-key.p12.new"));
        }
    }

    // ---------------------------------------------------------------------------------------------- summary

    /** What {@code ca show} reports; empty when there is no CA yet. */
    public Optional<CaSummary> summary() {
        if (!exists()) {
            return Optional.empty();
        }
        X509Certificate root = readRoot();
        String fp = Fingerprints.plain(root);
        List<CertificateInfo> all = ledger.all();
        Instant now = now();
        CertificateInfo rootInfo = all.stream().filter(i -> i.fingerprint().equals(fp)).findFirst()
                .orElseGet(() -> info(root, CertificateKind.ROOT, null, fp, root.getNotBefore().toInstant()));
        CertificateInfo serverInfo = all.stream().filter(i -> i.kind() == CertificateKind.SERVER
                && i.issuerFingerprint().equals(fp) && i.status(now) == CertificateStatus.VALID)
                .max(Comparator.comparing(CertificateInfo::issued)).orElse(null);
        List<String> serverNames = new ArrayList<>();
        if (serverInfo != null && Files.exists(files.serverCert())) {
            X509Certificate leaf = Pem.parseCertificates(CaFiles.read(files.serverCert()), files.serverCert().toString()).get(0);
            if (Keys.serialHex(leaf.getSerialNumber()).equals(serverInfo.serial())) {
                serverNames.addAll(sanNames(leaf));
                sanAddresses(leaf).forEach(a -> serverNames.add(a.getHostAddress()));
            }
        }
        CertificateInfo ocsp = all.stream().filter(i -> i.kind() == CertificateKind.OCSP_SIGNER
                && i.issuerFingerprint().equals(fp) && i.status(now) == CertificateStatus.VALID)
                .max(Comparator.comparing(CertificateInfo::issued)).orElse(null);
        int valid = 0;
        int revoked = 0;
        for (CertificateInfo i : all) {
            if (i.kind() == CertificateKind.CLIENT && i.issuerFingerprint().equals(fp)) {
                if (i.revoked()) {
                    revoked++;
                } else if (i.status(now) == CertificateStatus.VALID) {
                    valid++;
                }
            }
        }
        List<CertificateInfo> retired = all.stream()
                .filter(i -> i.kind() == CertificateKind.ROOT && !i.fingerprint().equals(fp) && i.revoked()).toList();
        Map<String, Instant> retiredAt = new HashMap<>();
        retired.forEach(r -> retiredAt.put(r.fingerprint(), r.revokedAt()));
        List<CertificateInfo> lost = all.stream()
                .filter(i -> i.kind() == CertificateKind.CLIENT && i.reason() == RevocationReason.SUPERSEDED
                        && i.revokedAt().equals(retiredAt.get(i.issuerFingerprint())))
                .toList();
        Set<MacAddress> reissued = new LinkedHashSet<>();
        for (CertificateInfo l : lost) {
            boolean hasNew = all.stream().anyMatch(i -> i.kind() == CertificateKind.CLIENT && l.mac().equals(i.mac())
                    && i.issuerFingerprint().equals(fp) && i.status(now) == CertificateStatus.VALID);
            if (hasNew) {
                reissued.add(l.mac());
            }
        }
        Path keyFile = keyProtected() ? files.rootKeyP12() : files.rootKeyPem();
        return Optional.of(new CaSummary(files.dir, rootInfo, Fingerprints.ipxe(root), keyFile, keyProtected(),
                serverInfo, serverNames, ocsp, valid, revoked, retired, lost, List.copyOf(reissued)));
    }

    // ---------------------------------------------------------------------------------------------- exports

    /** The root as an EFI signature database, for OVMF's {@code etc/edk2/https/cacerts} and firmware enrolment. */
    public byte[] efiSignatureList() {
        return EfiSignatureList.of(List.of(root()));
    }

    /**
     * A small FAT12 image with the root certificate (bootdesk-ca.der, bootdesk-ca.pem), its signature list
     * (bootdesk-ca.esl) and a README.TXT, for firmware screens that enrol a CA from a USB stick.
     */
    public FatImage caFatImage() {
        X509Certificate root = root();
        String readme = "BootDesk certificate authority\r\n\r\n"
                + subject(root) + "\r\nSHA-256 " + Fingerprints.ipxe(root) + "\r\n\r\n"
                + "bootdesk-ca.der  the CA certificate (DER): firmware 'TLS Auth Configuration' / HTTPS Boot CA enrolment\r\n"
                + "bootdesk-ca.pem  the same certificate (PEM)\r\n"
                + "bootdesk-ca.esl  the same as an EFI signature list (EFI_CERT_X509)\r\n";
        return FatImage.builder().label("BOOTDESK CA")
                .file("bootdesk-ca.der", Pem.der(root))
                .file("bootdesk-ca.pem", Pem.certificate(root).getBytes(StandardCharsets.US_ASCII))
                .file("bootdesk-ca.esl", efiSignatureList())
                .file("README.TXT", readme.getBytes(StandardCharsets.US_ASCII))
                .build();
    }

    /**
     * Writes an iPXE build recipe into {@code dir} (see {@link IpxeRecipe}); with {@code machine}, the machine's
     * client certificate and key are built in (CERT=/PRIVKEY=), and its key delivery is recorded as an iPXE build.
     *
     * @param scriptUrl what the embedded script chains to; null: {@code https://${next-server}/boot/${mac:hexhyp}.ipxe}
     */
    public List<Path> writeIpxeRecipe(Path dir, String scriptUrl, MacAddress machine) throws IOException {
        ClientCredentials creds = null;
        if (machine != null) {
            creds = clientCredentials(machine).orElseThrow(() -> new PkiException(machine
                    + " has no valid client certificate with a key to build in; issue one first"));
        }
        List<Path> written = IpxeRecipe.write(dir, root(), scriptUrl, creds);
        if (creds != null) {
            recordDelivery(creds.info().serial(), KeyDelivery.IPXE_BUILD);
        }
        return written;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private Instant now() {
        return options.clock().instant();
    }

    private static Instant notBefore(Instant now) {
        return now.minus(BACKDATE).truncatedTo(ChronoUnit.SECONDS);
    }

    private static Instant capped(Instant end, X509Certificate root) {
        Instant rootEnd = root.getNotAfter().toInstant();
        return (end.isAfter(rootEnd) ? rootEnd : end).truncatedTo(ChronoUnit.SECONDS);
    }

    private Issuer.Urls urls() {
        return new Issuer.Urls(options.ocspUrl(), options.crlUrl());
    }

    static boolean issuedBy(X509Certificate cert, X509Certificate root) {
        if (!cert.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(root.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static CertificateInfo info(X509Certificate cert, CertificateKind kind, MacAddress mac, String issuerFp,
                                        Instant issued) {
        return new CertificateInfo(Keys.serialHex(cert.getSerialNumber()), kind, mac, subject(cert), issuerFp,
                Fingerprints.plain(cert), cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), issued,
                null, null, KeyDelivery.NONE, null);
    }

    static String subject(X509Certificate cert) {
        return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()).toString();
    }

    static String commonName(String subject) {
        X500Name name = new X500Name(subject);
        RDN[] cn = name.getRDNs(BCStyle.CN);
        return cn.length == 0 ? subject : IETFUtils.valueToString(cn[0].getFirst().getValue());
    }

    static List<String> sanNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        for (GeneralName n : san(cert)) {
            if (n.getTagNo() == GeneralName.dNSName) {
                out.add(n.getName().toString());
            }
        }
        return out;
    }

    static List<InetAddress> sanAddresses(X509Certificate cert) {
        List<InetAddress> out = new ArrayList<>();
        for (GeneralName n : san(cert)) {
            if (n.getTagNo() == GeneralName.iPAddress) {
                try {
                    out.add(InetAddress.getByAddress(ASN1OctetString.getInstance(n.getName()).getOctets()));
                } catch (UnknownHostException e) {
                    throw new PkiException("the certificate " + subject(cert) + " has a malformed IP address SAN", e);
                }
            }
        }
        return out;
    }

    private static GeneralName[] san(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (ext == null) {
            return new GeneralName[0];
        }
        return GeneralNames.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getNames();
    }

    /** The OCSP and CRL URLs a certificate carries (null for absent). */
    static Issuer.Urls urlsOf(X509Certificate cert) {
        URI ocsp = null;
        URI crlUrl = null;
        byte[] aia = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (aia != null) {
            for (AccessDescription d : AuthorityInformationAccess.getInstance(ASN1OctetString.getInstance(aia).getOctets())
                    .getAccessDescriptions()) {
                if (d.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                    ocsp = URI.create(d.getAccessLocation().getName().toString());
                }
            }
        }
        byte[] dp = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (dp != null) {
            for (DistributionPoint p : CRLDistPoint.getInstance(ASN1OctetString.getInstance(dp).getOctets()).getDistributionPoints()) {
                for (GeneralName n : GeneralNames.getInstance(p.getDistributionPoint().getName()).getNames()) {
                    crlUrl = URI.create(n.getName().toString());
                }
            }
        }
        return new Issuer.Urls(ocsp, crlUrl);
    }
}
