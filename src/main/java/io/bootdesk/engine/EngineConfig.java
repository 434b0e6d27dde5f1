package io.bootdesk.engine;

import io.bootdesk.model.DhcpMode;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code serve} needs. Ports are configurable so tests can run unprivileged on loopback; the real
 * protocols need 67, 69, 4011 and usually 80.
 *
 * @param pool         full mode: FIRST-LAST on the boot interface's subnet; ignored in proxy mode
 * @param relayPools   full mode: CIDR=FIRST-LAST[,router=IP] for subnets behind DHCP relays
 * @param router       option 3 on the boot interface's subnet (null: none)
 * @param dns          option 6 (empty: none)
 * @param ipxeDir      where the iPXE binaries are (Debian: /usr/lib/ipxe)
 * @param tftpRoot     extra TFTP files (may be null)
 * @param routerAdverts send IPv6 router advertisements on the boot interface
 * @param tls           the HTTPS listeners and trust delivery ({@link Tls#OFF}: plain HTTP only)
 */
public record EngineConfig(Path dataDir, String interfaceName, DhcpMode mode, String pool,
                           List<String> relayPools, String router, List<String> dns, long leaseSeconds,
                           int dhcpPort, int pxePort, int tftpPort, int httpPort, Path ipxeDir, Path tftpRoot,
                           boolean routerAdverts, Tls tls) {

    /**
     * HTTPS boot.
     *
     * @param httpsPort server-authenticated HTTPS (0: off)
     * @param mtlsPort  the listener that asks for client certificates (0: off)
     * @param legacyRsa also offer TLS_RSA_* key exchange for iPXE builds older than 2024
     * @param uefiHttps UEFI HTTP Boot clients have BootDesk's CA enrolled: give them https:// URLs
     * @param revocationUrls certificates serve issues name BootDesk's OCSP responder (AIA) and CRL (CRL-DP); off by
     *                  default, since iPXE then must reach them to accept a certificate
     */
    public record Tls(int httpsPort, int mtlsPort, boolean legacyRsa, boolean uefiHttps, boolean revocationUrls) {
        public static final Tls OFF = new Tls(0, 0, false, false, false);

        public boolean on() {
            return httpsPort > 0 || mtlsPort > 0;
        }
    }

    public EngineConfig {
        relayPools = List.copyOf(relayPools);
        dns = List.copyOf(dns);
        tls = tls == null ? Tls.OFF : tls;
    }

    /** Plain HTTP only. */
    public EngineConfig(Path dataDir, String interfaceName, DhcpMode mode, String pool, List<String> relayPools,
                        String router, List<String> dns, long leaseSeconds, int dhcpPort, int pxePort, int tftpPort,
                        int httpPort, Path ipxeDir, Path tftpRoot, boolean routerAdverts) {
        this(dataDir, interfaceName, mode, pool, relayPools, router, dns, leaseSeconds, dhcpPort, pxePort, tftpPort,
                httpPort, ipxeDir, tftpRoot, routerAdverts, Tls.OFF);
    }

    /**
     * What the console starts with, as {@code serve} without options: the standard ports, default pool, the
     * distribution's iPXE dir, router advertisements, HTTPS on 443 and mutual TLS on 8443.
     */
    public static EngineConfig standard(Path dataDir, String interfaceName, DhcpMode mode) {
        return new EngineConfig(dataDir, interfaceName, mode, null, List.of(), null, List.of(), 3600, 67, 4011, 69, 80,
                distributionIpxeDir(), null, true, new Tls(443, 8443, false, false, false));
    }

    /**
     * Where the distribution's iPXE package put its binaries (the BootDesk packages recommend it): Debian and
     * Ubuntu's {@code ipxe} has /usr/lib/ipxe, Fedora's {@code ipxe-bootimgs-x86} /usr/share/ipxe; the first that
     * exists, else /usr/lib/ipxe.
     */
    public static Path distributionIpxeDir() {
        for (String dir : new String[] {"/usr/lib/ipxe", "/usr/share/ipxe"}) {
            if (java.nio.file.Files.isDirectory(Path.of(dir))) {
                return Path.of(dir);
            }
        }
        return Path.of("/usr/lib/ipxe");
    }

    /** The same with another interface and mode (the set-up's choice), everything else kept. */
    public EngineConfig with(String interfaceName, DhcpMode mode) {
        return new EngineConfig(dataDir, interfaceName, mode, pool, relayPools, router, dns, leaseSeconds, dhcpPort,
                pxePort, tftpPort, httpPort, ipxeDir, tftpRoot, routerAdverts, tls);
    }
}
