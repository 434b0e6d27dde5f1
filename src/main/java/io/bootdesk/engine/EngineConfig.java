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
}
