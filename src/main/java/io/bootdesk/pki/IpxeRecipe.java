package io.bootdesk.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder to build an iPXE that trusts BootDesk's CA (and optionally carries one machine's client certificate):
 *
 * <pre>
 * ca.crt                         TRUST= (PEM; iPXE's build takes its SHA-256 fingerprint)
 * boot.ipxe                      EMBED= (dhcp, then chain the BootDesk script over HTTPS)
 * client.crt, client.key         CERT=, PRIVKEY= (PEM, PKCS#8), only for a named machine; client.key is secret
 * config/local/bootdesk/general.h  turns HTTPS on (upstream builds before 2026 and BIOS builds leave it off)
 * README.txt                     the exact make command lines
 * </pre>
 *
 * Facts from iPXE's Makefile.housekeeping: TRUST, CERT and EMBED take comma-separated lists of files; CERT files
 * must be PEM; PRIVKEY is converted with {@code openssl pkey}; {@code CONFIG=name} includes
 * {@code config/local/name/*.h} after the defaults; a build with TRUST= ignores a run-time {@code trust} setting
 * unless {@code TRUST_EXT=1}.
 */
final class IpxeRecipe {
    static final String DEFAULT_SCRIPT_URL = "https://${next-server}/boot/${mac:hexhyp}.ipxe";

    private IpxeRecipe() {
    }

    static List<Path> write(Path dir, X509Certificate root, String scriptUrl, ClientCredentials client) throws IOException {
        String url = scriptUrl == null || scriptUrl.isBlank() ? DEFAULT_SCRIPT_URL : scriptUrl.trim();
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw new PkiException("the script URL for the iPXE build must start with https:// (or http://), not '" + url + "'");
        }
        if (url.chars().anyMatch(c -> c <= ' ')) {
            throw new PkiException("the script URL for the iPXE build must not contain spaces: '" + url + "'");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new PkiException(dir + " is a file; the iPXE recipe is written into a folder");
        }
        Path abs = dir.toAbsolutePath().normalize();
        List<Path> written = new ArrayList<>();
        Files.createDirectories(abs);
        written.add(put(abs.resolve("ca.crt"), Pem.certificate(root), false));
        written.add(put(abs.resolve("boot.ipxe"), script(url), false));
        written.add(put(abs.resolve("config/local/bootdesk/general.h"), generalH(), false));
        if (client != null) {
            written.add(put(abs.resolve("client.crt"), client.certificatePem(), false));
            written.add(put(abs.resolve("client.key"), client.keyPem(), true));
        }
        written.add(put(abs.resolve("README.txt"), readme(abs, root, url, client), false));
        return written;
    }

    private static Path put(Path file, String text, boolean secret) {
        CaFiles.write(file, text.getBytes(StandardCharsets.UTF_8), secret);
        return file;
    }

    static String script(String url) {
        return "#!ipxe\n"
                + "# Embedded by BootDesk: get an address, then ask BootDesk what to boot (over HTTPS).\n"
                + ":retry\n"
                + "dhcp || goto failed\n"
                + "chain " + url + " || goto failed\n"
                + "exit\n"
                + ":failed\n"
                + "echo BootDesk: boot failed (${errno}); trying again in 5 seconds (Ctrl-C for a shell)\n"
                + "sleep 5 || shell\n"
                + "goto retry\n";
    }

    static String generalH() {
        return "/* BootDesk: HTTPS in every platform's build (BIOS builds and upstream before 2026 leave it off). */\n"
                + "#undef DOWNLOAD_PROTO_HTTPS\n"
                + "#define DOWNLOAD_PROTO_HTTPS\n";
    }

    static String readme(Path dir, X509Certificate root, String url, ClientCredentials client) {
        String vars = "TRUST=" + dir.resolve("ca.crt") + " EMBED=" + dir.resolve("boot.ipxe")
                + (client == null ? "" : " CERT=" + dir.resolve("client.crt") + " PRIVKEY=" + dir.resolve("client.key"))
                + " CONFIG=bootdesk";
        StringBuilder s = new StringBuilder();
        s.append("iPXE build recipe from BootDesk\n===============================\n\n");
        s.append("Trusted CA: ").append(CertificateAuthority.subject(root)).append('\n');
        s.append("SHA-256:    ").append(Fingerprints.ipxe(root)).append('\n');
        if (client != null) {
            s.append("Machine:    ").append(client.info().mac()).append(" (").append(client.info().subject())
                    .append(", certificate ").append(client.info().serial()).append(")\n");
            s.append("\nclient.key is that machine's private key: the binary built from it is that machine's alone.\n"
                    + "Keep both away from other machines and delete the folder after the build.\n");
        }
        s.append("\nThe embedded script (boot.ipxe) runs dhcp and chains ").append(url).append('\n');
        s.append("\n1. Get the iPXE source and copy the named configuration into it:\n\n");
        s.append("   git clone https://github.com/ipxe/ipxe.git\n");
        s.append("   mkdir -p ipxe/src/config/local/bootdesk\n");
        s.append("   cp ").append(dir.resolve("config/local/bootdesk/general.h")).append(" ipxe/src/config/local/bootdesk/\n");
        s.append("   cd ipxe/src\n");
        s.append("\n2. Build (run in ipxe/src; the paths are absolute):\n\n");
        s.append("   UEFI x86-64:  make bin-x86_64-efi/ipxe.efi ").append(vars).append('\n');
        s.append("   UEFI, only the NIC it was loaded from:  make bin-x86_64-efi/snponly.efi ").append(vars).append('\n');
        s.append("   BIOS PXE chainload:  make bin/undionly.kpxe ").append(vars).append('\n');
        s.append("   USB stick image:  make bin/ipxe.usb ").append(vars).append('\n');
        s.append("\n   (Build dependencies on Debian: gcc binutils make perl liblzma-dev mtools openssl.)\n");
        s.append("\nA build with TRUST= trusts this CA only and ignores the run-time 'trust' setting (DHCP 175.90);\n"
                + "add TRUST_EXT=1 to honour it as well. The fingerprint above is what iPXE's 'trust' takes.\n");
        s.append("\nAfter 'bootdesk ca rotate' this binary no longer trusts BootDesk's server: write a new recipe and build again.\n");
        return s.toString();
    }
}
