package io.bootdesk.engine;

import io.bootdesk.model.CaRotation;
import io.bootdesk.model.CaSummary;
import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.RevocationReason;
import io.bootdesk.pki.CaOptions;
import io.bootdesk.pki.CertificateAuthority;
import io.bootdesk.pki.ClientCredentials;
import io.bootdesk.pki.FatImage;
import io.bootdesk.pki.PkiException;
import io.bootdesk.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CA as the CLI (and later the GUI) sees it: only model and engine types cross this line. The CA itself lives
 * in {@code <data-dir>/ca/}; its records in the shared database, so a running serve sees revocations within its
 * poll interval.
 */
public final class Certificates {
    /** Folder of the CA in the data dir. */
    public static final String FOLDER = "ca";

    private final CertificateAuthority ca;

    Certificates(Path dataDir, Database db, CaPassphrases.Input input, Map<String, String> env) {
        this.ca = open(dataDir, db, input, env);
    }

    /** The CA of a data dir, as the engine and the workspace open it. */
    static CertificateAuthority open(Path dataDir, Database db, CaPassphrases.Input input, Map<String, String> env) {
        return open(dataDir, db, input, env, CaOptions.defaults());
    }

    static CertificateAuthority open(Path dataDir, Database db, CaPassphrases.Input input, Map<String, String> env,
                                     CaOptions options) {
        return new CertificateAuthority(dataDir.resolve(FOLDER), new StoredLedger(db), CaPassphrases.of(input, env),
                options);
    }

    /** The summary, or empty when no CA was created yet. */
    public Optional<CaSummary> show() {
        return ca.summary();
    }

    public CaSummary init() {
        return ca.initialize();
    }

    public CaRotation rotate(boolean reissueClients) {
        return ca.rotate(reissueClients);
    }

    /**
     * Issues a client certificate for {@code mac}.
     *
     * @param name shown as the subject's CN (null: the MAC)
     * @param days lifetime (null: 825 days)
     */
    public CertificateInfo issue(MacAddress mac, String name, Integer days, boolean replace) {
        if (days != null && (days < 1 || days > 3650)) {
            throw new IllegalArgumentException("--days is 1 to 3650, not " + days);
        }
        return ca.issueClientCertificate(mac, name, days == null ? null : Duration.ofDays(days), replace).info();
    }

    public List<CertificateInfo> revoke(MacAddress mac, RevocationReason reason) {
        return ca.revoke(mac, reason);
    }

    public CertificateInfo revokeSerial(String serial, RevocationReason reason) {
        return ca.revoke(serial, reason);
    }

    /**
     * Writes the boot medium {@code m} describes (see {@link #createBootMedium(MacAddress, Path, String, Path)}):
     * what {@code bootdesk media create} and the console's "Create boot medium" both call.
     */
    public BootMedium.Written createBootMedium(BootMedium m) throws IOException {
        Path efi = m.efi();
        String url = m.scriptUrl();
        CertificateInfo c = createBootMedium(m.mac(), efi, url, m.out());
        return new BootMedium.Written(m.out(), c, efi, url);
    }

    /**
     * A boot medium for mutual TLS without rebuilding iPXE: a FAT image with stock {@code ipxe.efi} as
     * EFI/BOOT/BOOTX64.EFI and an {@code autoexec.ipxe} that configures the network, sets the machine's client
     * certificate and key, and chains its script on the mutual-TLS listener. Uses the machine's valid client
     * certificate, issuing one if it has none; records the delivery (the image holds the private key: a secret).
     *
     * @param ipxeEfi       the x86_64 EFI iPXE to put on it
     * @param mtlsScriptUrl where the machine's mutual-TLS script is, e.g. https://10.99.0.1:8443/boot/52-54-00-12-34-56.ipxe
     * @return the certificate that went onto the medium
     */
    public CertificateInfo createBootMedium(MacAddress mac, Path ipxeEfi, String mtlsScriptUrl, Path out) throws IOException {
        if (!Files.isRegularFile(ipxeEfi)) {
            throw new IOException("no iPXE EFI binary at " + ipxeEfi + " (Debian: apt-get install ipxe, or give --ipxe-efi)");
        }
        ClientCredentials c = ca.clientCredentials(mac).orElseGet(() -> ca.issueClientCertificate(mac, null, null, false));
        String autoexec = "#!ipxe\n"
                + "echo BootDesk boot medium for " + mac + "\n"
                + ":dhcp\n"
                + "dhcp || goto dhcp\n"
                + c.ipxeSettings()
                + "chain --autofree " + mtlsScriptUrl + " || goto failed\n"
                + "exit\n"
                + ":failed\n"
                + "echo BootDesk refused this machine's certificate or could not be reached (${errno})\n"
                + "prompt --timeout 30000 Press any key to try again ||\n"
                + "chain --autofree " + mtlsScriptUrl + "\n";
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".bootdesk-medium", ".img");
        try {
            FatImage.builder().label("BOOTDESK")
                    .file("EFI/BOOT/BOOTX64.EFI", ipxeEfi)
                    .file("EFI/BOOT/autoexec.ipxe", autoexec.getBytes(StandardCharsets.US_ASCII))
                    .build().writeTo(tmp);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        ca.recordDelivery(c.info().serial(), KeyDelivery.BOOT_MEDIUM);
        return c.info();
    }

    /** Every certificate, oldest first. */
    public List<CertificateInfo> list() {
        return ca.certificates();
    }

    /** The root's SHA-256 in iPXE's hex form. */
    public String fingerprint() {
        return ca.rootFingerprintHex();
    }

    /**
     * Writes {@code format} to {@code out} (a file; a folder for {@link ExportFormat#IPXE_RECIPE}). Creates the CA
     * if there is none yet. Returns the files written.
     *
     * @param machine   IPXE_RECIPE only: build this machine's client certificate and key in
     * @param scriptUrl IPXE_RECIPE only: what the embedded script chains to (null: BootDesk's default)
     */
    public List<Path> export(ExportFormat format, Path out, MacAddress machine, String scriptUrl) throws IOException {
        if (machine != null && format != ExportFormat.IPXE_RECIPE) {
            throw new IllegalArgumentException("--machine goes with --format ipxe-recipe only");
        }
        if (scriptUrl != null && format != ExportFormat.IPXE_RECIPE) {
            throw new IllegalArgumentException("--script-url goes with --format ipxe-recipe only");
        }
        if (format == ExportFormat.IPXE_RECIPE) {
            return ca.writeIpxeRecipe(out, scriptUrl, machine);
        }
        checkTarget(out);
        if (format == ExportFormat.FAT_IMAGE) {
            ca.caFatImage().writeTo(out);
            return List.of(out);
        }
        byte[] bytes = switch (format) {
            case PEM -> ca.rootPem().getBytes(StandardCharsets.US_ASCII);
            case DER -> ca.rootDer();
            case FINGERPRINT -> (ca.rootFingerprintHex() + "\n").getBytes(StandardCharsets.US_ASCII);
            case ESL -> ca.efiSignatureList();
            case CRL -> ca.crl();
            default -> throw new IllegalStateException(format.label());
        };
        write(out, bytes, false);
        return List.of(out);
    }

    /** What {@code bootdesk cert export} writes. */
    public enum ClientFormat {
        /** The certificate and its key (PKCS#8), PEM, one file. */
        PEM,
        /** {@code set cert ...} and {@code set privkey ...} lines for an iPXE script. */
        IPXE
    }

    /**
     * Writes the machine's current client certificate with its key (a secret: mode 0600) and records the delivery
     * as an exported file.
     */
    public CertificateInfo exportClient(MacAddress mac, ClientFormat format, Path out) throws IOException {
        ClientCredentials c = ca.clientCredentials(mac).orElseThrow(() -> new PkiException(mac
                + " has no valid client certificate with a key (issue one with: bootdesk cert issue " + mac + ")"));
        checkTarget(out);
        String text = switch (format) {
            case PEM -> c.certificatePem() + c.keyPem();
            case IPXE -> "#!ipxe\n# BootDesk client identity of " + mac + " (certificate " + c.info().serial()
                    + "): a secret, for this machine only\n" + c.ipxeSettings();
        };
        write(out, text.getBytes(StandardCharsets.US_ASCII), true);
        ca.recordDelivery(c.info().serial(), KeyDelivery.FILE);
        return c.info().withDelivery(KeyDelivery.FILE, java.time.Instant.now());
    }

    private static void checkTarget(Path out) {
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("the folder " + parent + " does not exist");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + " is a folder; give a file name");
        }
    }

    /** Writes through a temporary file and a rename, so a failed export leaves no partial file. */
    static void write(Path out, byte[] bytes, boolean secret) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(parent, "." + out.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            try {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
