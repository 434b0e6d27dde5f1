package io.bootdesk.engine;

import io.bootdesk.model.DhcpMode;
import io.bootdesk.dhcp.DhcpConfig;
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
 */
public record EngineConfig(Path dataDir, String interfaceName, DhcpMode mode, String pool,
                           List<String> relayPools, String router, List<String> dns, long leaseSeconds,
                           int dhcpPort, int pxePort, int tftpPort, int httpPort, Path ipxeDir, Path tftpRoot,
                           boolean routerAdverts) {

    public EngineConfig {
        relayPools = List.copyOf(relayPools);
        dns = List.copyOf(dns);
    }

    /** What the console starts with: the standard ports, default pool, Debian's iPXE dir, router advertisements. */
    public static EngineConfig standard(Path dataDir, String interfaceName, DhcpMode mode) {
        return new EngineConfig(dataDir, interfaceName, mode, null, List.of(), null, List.of(), 3600, 67, 4011, 69, 80,
                Path.of("/usr/lib/ipxe"), null, true);
    }

    /** The same with another interface and mode (the set-up's choice), everything else kept. */
    public EngineConfig with(String interfaceName, DhcpMode mode) {
        return new EngineConfig(dataDir, interfaceName, mode, pool, relayPools, router, dns, leaseSeconds, dhcpPort,
                pxePort, tftpPort, httpPort, ipxeDir, tftpRoot, routerAdverts);
    }
}
