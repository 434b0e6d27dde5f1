package io.bootdesk.dhcp;

import io.bootdesk.model.DhcpMode;
import java.util.List;

/**
 * How the DHCP server runs.
 *
 * @param serverIp     the boot interface's address: server identifier, next-server, URLs
 * @param pools        full mode: first pool on the boot interface's subnet, then relay pools; proxy mode: empty
 * @param dns          option 6 servers (empty: not sent)
 * @param leaseSeconds option 51
 * @param port         UDP port for DHCP (67; tests use others)
 * @param pxePort      UDP port for PXE boot server requests (4011; 0 disables)
 */
public record DhcpConfig(DhcpMode mode, String interfaceName, int serverIp, List<Pool> pools, List<Integer> dns,
                         long leaseSeconds, int port, int pxePort) {


    public DhcpConfig {
        pools = List.copyOf(pools);
        dns = List.copyOf(dns);
        if (mode == DhcpMode.FULL && pools.isEmpty()) {
            throw new IllegalArgumentException("full mode needs an address pool (--pool FIRST-LAST)");
        }
    }
}
