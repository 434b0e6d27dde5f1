package io.bootdesk.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A private CA made with the openssl CLI only (no BootDesk code), for the reference trust setup of
 * {@link E2eTrustHarnessIT} and as "another CA" in the refusal matrix: RSA-2048 root, a server certificate for
 * one IP (SAN iPAddress), client certificates; leaf + CA chains, PKCS#12 for the JDK, DER/hex forms for iPXE, the
 * CA's SHA-256 fingerprint (DHCP 175.90) and an EFI signature list (OVMF fw_cfg {@code etc/edk2/https/cacerts}).
 */
final class ReferencePki {
    static final String P12_PASSWORD = "e2e-reference";

    final Path dir;
    final Path caCert;
    final Path caKey;

    private ReferencePki(Path dir) {
        this(dir, dir.resolve("ca.crt"), dir.resolve("ca.key"));
    }

    private ReferencePki(Path dir, Path caCert, Path caKey) {
        this.dir = dir;
        this.caCert = caCert;
        this.caKey = caKey;
    }

    /** Signs with an existing CA (PEM certificate and unencrypted PEM key), e.g. BootDesk's own, working in {@code dir}. */
    static ReferencePki existing(Path dir, Path caCert, Path caKey) throws IOException {
        Files.createDirectories(dir);
        return new ReferencePki(dir, caCert, caKey);
    }

    /** A new CA named {@code cn} in {@code dir}. */
    static ReferencePki create(Path dir, String cn) throws IOException {
        Files.createDirectories(dir);
        ReferencePki p = new ReferencePki(dir);
        p.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p.caKey.toString(), "-out",
                p.caCert.toString(), "-days", "3650", "-sha256", "-subj", "/CN=" + cn,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return p;
    }

    /** Server certificate for {@code ip}: {@code name.crt} (leaf), {@code name.key}, {@code name-chain.crt}, {@code name.p12}. */
    Path server(String name, String ip) throws IOException {
        issue(name, "/CN=" + ip, "subjectAltName=IP:" + ip + "\nextendedKeyUsage=serverAuth\n", "-days", "825");
        Path p12 = dir.resolve(name + ".p12");
        openssl("pkcs12", "-export", "-in", dir.resolve(name + ".crt").toString(), "-certfile", caCert.toString(),
                "-inkey", dir.resolve(name + ".key").toString(), "-name", name, "-out", p12.toString(),
                "-passout", "pass:" + P12_PASSWORD);
        Files.writeString(dir.resolve(name + "-chain.crt"), Files.readString(dir.resolve(name + ".crt"))
                + Files.readString(caCert));
        return p12;
    }

    /**
     * Client certificate {@code name.crt}/{@code name.key} (clientAuth). {@code validity} is passed to
     * {@code openssl x509}, e.g. {@code "-days", "30"}, or {@code "-not_before", "...", "-not_after", "..."}.
     */
    Path client(String name, String cn, String... validity) throws IOException {
        issue(name, "/CN=" + cn, "extendedKeyUsage=clientAuth\n", validity.length == 0 ? new String[] {"-days", "30"}
                : validity);
        return dir.resolve(name + ".crt");
    }

    /**
     * Client certificate {@code name.crt}/{@code name.key} (clientAuth) valid from {@code start} to {@code end}
     * (openssl's {@code YYYYMMDDHHMMSSZ}), e.g. one that expired long ago, made with {@code openssl ca} (whose
     * {@code -startdate}/{@code -enddate} openssl 3.0's {@code x509 -req} lacks). {@code extraExt} adds extension
     * lines such as a subjectAltName.
     */
    Path clientDated(String name, String cn, String extraExt, String start, String end) throws IOException {
        Path db = dir.resolve("ca-db-" + name);
        Files.createDirectories(db.resolve("new"));
        Files.writeString(db.resolve("index.txt"), "");
        Files.writeString(db.resolve("serial"), HexFormat.of().formatHex(randomSerial()) + "\n");
        Files.writeString(db.resolve("ca.cnf"), "[ ca ]\ndefault_ca = e2e\n[ e2e ]\ndatabase = " + db.resolve("index.txt")
                + "\nnew_certs_dir = " + db.resolve("new") + "\nserial = " + db.resolve("serial")
                + "\ndefault_md = sha256\npolicy = pol\nunique_subject = no\ncopy_extensions = none\n"
                + "[ pol ]\ncommonName = supplied\n"
                + "[ ext ]\nbasicConstraints = CA:FALSE\nkeyUsage = critical,digitalSignature,keyEncipherment\n"
                + "extendedKeyUsage = clientAuth\n" + extraExt);
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
        openssl("ca", "-batch", "-config", db.resolve("ca.cnf").toString(), "-cert", caCert.toString(), "-keyfile",
                caKey.toString(), "-in", csr.toString(), "-out", dir.resolve(name + ".crt").toString(), "-notext",
                "-extensions", "ext", "-startdate", start, "-enddate", end);
        return dir.resolve(name + ".crt");
    }

    /** Like {@link #client} with extension lines added (e.g. {@code subjectAltName = ...}). */
    Path clientWith(String name, String cn, String extraExt) throws IOException {
        issue(name, "/CN=" + cn, "extendedKeyUsage=clientAuth\n" + extraExt, "-days", "30");
        return dir.resolve(name + ".crt");
    }

    /** subjectAltName line carrying {@code mac} the way BootDesk names a machine (otherName 1.3.6.1.1.1.1.22, IA5String). */
    static String macSan(String mac) {
        return "subjectAltName = otherName:1.3.6.1.1.1.1.22;IA5STRING:" + mac.toLowerCase(java.util.Locale.ROOT) + "\n";
    }

    private void issue(String name, String subject, String ext, String... validity) throws IOException {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path extFile = dir.resolve(name + ".ext");
        Files.writeString(extFile, ext + "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", subject);
        List<String> c = Cmd.list("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey",
                caKey.toString(), "-set_serial", "0x" + HexFormat.of().formatHex(randomSerial()), "-sha256",
                "-extfile", extFile.toString(), "-out", dir.resolve(name + ".crt").toString());
        c.addAll(List.of(validity));
        openssl(c.toArray(String[]::new));
    }

    private static byte[] randomSerial() {
        byte[] b = new byte[12];
        new java.security.SecureRandom().nextBytes(b);
        b[0] &= 0x7f;
        b[0] |= 0x10;
        return b;
    }

    /** DER of a PEM certificate. */
    byte[] der(Path pem) throws IOException {
        Path out = Files.createTempFile(dir, "der-", ".der");
        openssl("x509", "-in", pem.toString(), "-outform", "DER", "-out", out.toString());
        byte[] b = Files.readAllBytes(out);
        Files.delete(out);
        return b;
    }

    /** PKCS#1 DER of a PEM RSA key (what iPXE's {@code privkey} takes). */
    byte[] keyDer(Path pemKey) throws IOException {
        Path out = Files.createTempFile(dir, "key-", ".der");
        openssl("rsa", "-in", pemKey.toString(), "-traditional", "-outform", "DER", "-out", out.toString());
        byte[] b = Files.readAllBytes(out);
        Files.delete(out);
        return b;
    }

    /** Bytes as iPXE's hex setting syntax: {@code 30:82:...}. */
    static String ipxeHex(byte[] b) {
        return HexFormat.ofDelimiter(":").formatHex(b);
    }

    /** SHA-256 of the CA's DER in iPXE's hex form, for DHCP option 175.90. */
    String fingerprint() throws IOException {
        try {
            return ipxeHex(MessageDigest.getInstance("SHA-256").digest(der(caCert)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA as an EFI_SIGNATURE_LIST of one EFI_CERT_X509_GUID entry (UEFI spec 32.4.1), written to {@code ca.esl}. */
    Path esl() throws IOException {
        byte[] der = der(caCert);
        ByteBuffer b = ByteBuffer.allocate(16 + 12 + 16 + der.length).order(ByteOrder.LITTLE_ENDIAN);
        putGuid(b, UUID.fromString("a5c059a1-94e4-4aa7-87b5-ab155c2bf072")); // EFI_CERT_X509_GUID
        b.putInt(28 + 16 + der.length).putInt(0).putInt(16 + der.length);
        putGuid(b, UUID.fromString("2b8cf6a1-3a5e-4b6a-9c2d-5e2e2e0e0e99")); // SignatureOwner: any
        b.put(der);
        Path esl = dir.resolve("ca.esl");
        Files.write(esl, b.array());
        return esl;
    }

    /** EFI_GUID layout: Data1..3 little-endian, Data4 as bytes. */
    private static void putGuid(ByteBuffer b, UUID u) {
        long hi = u.getMostSignificantBits();
        b.putInt((int) (hi >>> 32)).putShort((short) (hi >>> 16)).putShort((short) hi);
        b.order(ByteOrder.BIG_ENDIAN).putLong(u.getLeastSignificantBits()).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void openssl(String... args) {
        List<String> c = Cmd.list("openssl");
        c.addAll(List.of(args));
        Cmd.run(Duration.ofMinutes(2), dir, c).check();
    }
}
