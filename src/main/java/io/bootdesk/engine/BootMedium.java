package io.bootdesk.engine;

import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a boot medium is made of, as {@code bootdesk media create} and the console's "Create boot medium" ask for
 * it: both hand one to {@link Certificates#createBootMedium(BootMedium)}, so they write the same image.
 *
 * @param mac      the machine whose client certificate (and key) goes onto the medium
 * @param out      the image file to write
 * @param server   BootDesk's address on the boot network; null: iPXE's {@code ${next-server}} from the DHCP answer
 *                 (BootDesk sets it in full mode; give it in proxy mode)
 * @param mtlsPort serve's mutual-TLS port
 * @param ipxeDir  where the x86_64 EFI iPXE is ({@link #EFI_NAMES}); ignored when {@code ipxeEfi} is given
 * @param ipxeEfi  the EFI iPXE to use (null: look in {@code ipxeDir})
 */
public record BootMedium(MacAddress mac, Path out, String server, int mtlsPort, Path ipxeDir, Path ipxeEfi) {
    public static final int DEFAULT_MTLS_PORT = 8443;
    public static final Path DEFAULT_IPXE_DIR = Path.of("/usr/lib/ipxe");
    /** Looked for in the iPXE dir, in this order (Debian 13's ipxe package has both). */
    public static final List<String> EFI_NAMES = List.of("ipxe-amd64.efi", "ipxe.efi");

    /** What a medium written by {@link Certificates#createBootMedium(BootMedium)} holds. */
    public record Written(Path out, CertificateInfo certificate, Path efi, String scriptUrl) {
    }

    public BootMedium {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(out, "out");
        server = server == null || server.isBlank() ? null : server.strip();
        if (mtlsPort < 1 || mtlsPort > 65535) {
            throw new IllegalArgumentException("the mutual-TLS port is 1 to 65535, not " + mtlsPort);
        }
        ipxeDir = ipxeDir == null ? DEFAULT_IPXE_DIR : ipxeDir;
    }

    /**
     * The console's starting point for a machine: the running engine's address and mutual-TLS port, its iPXE dir.
     *
     * @param serverIp the boot interface's address (null when not serving: {@code ${next-server}})
     */
    public static BootMedium forMachine(MacAddress mac, Path out, EngineConfig config, String serverIp) {
        int mtls = config.tls().mtlsPort() > 0 ? config.tls().mtlsPort() : DEFAULT_MTLS_PORT;
        return new BootMedium(mac, out, serverIp, mtls, config.ipxeDir(), null);
    }

    public BootMedium withOut(Path file) {
        return new BootMedium(mac, file, server, mtlsPort, ipxeDir, ipxeEfi);
    }

    /** The EFI iPXE that goes onto the medium: {@code ipxeEfi}, else the first of {@link #EFI_NAMES} in the dir. */
    public Path efi() {
        if (ipxeEfi != null) {
            return ipxeEfi;
        }
        return EFI_NAMES.stream().map(ipxeDir::resolve).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no ipxe-amd64.efi or ipxe.efi in " + ipxeDir
                        + "; give the iPXE dir or the EFI iPXE file (--ipxe-dir, --ipxe-efi); it must be an"
                        + " HTTPS-capable iPXE, e.g. Debian 13's"));
    }

    /** Where the medium's iPXE chains: the machine's script on the mutual-TLS listener. */
    public String scriptUrl() {
        return "https://" + (server != null ? server : "${next-server}") + ":" + mtlsPort + "/boot/" + mac.hyphenated()
                + ".ipxe";
    }
}
