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
                         long leaseSeconds, int port, int pxePort, Trust trust) {

    /**
     * What iPXE needs to trust BootDesk's HTTPS: the CA's SHA-256 fingerprint (option 175.90, read by an iPXE chained
     * from the stage that received it) and BootDesk's crosscert URL (175.93).
     */
    public record Trust(byte[] caFingerprint, String crosscertUrl) {
        public Trust {
            if (caFingerprint.length != 32) {
                throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes");
            }
            caFingerprint = caFingerprint.clone();
        }
    }

    /** Without HTTPS trust delivery. */
    public DhcpConfig(DhcpMode mode, String interfaceName, int serverIp, List<Pool> pools, List<Integer> dns,
                      long leaseSeconds, int port, int pxePort) {
        this(mode, interfaceName, serverIp, pools, dns, leaseSeconds, port, pxePort, null);
    }

    public DhcpConfig {
        pools = List.copyOf(pools);
        dns = List.copyOf(dns);
        if (mode == DhcpMode.FULL && pools.isEmpty()) {
            throw new IllegalArgumentException("full mode needs an address pool (--pool FIRST-LAST)");
        }
    }
}
