package io.bootdesk.core;

import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.MacAddress;

/**
 * "This machine is here, at this stage of booting": what a protocol handler learned, in protocol-neutral terms.
 *
 * @param uuid        SMBIOS UUID in canonical order, or null
 * @param vendorClass DHCP option 60 as sent (or null)
 * @param ipxeHttps   an iPXE that advertises HTTPS (option 175 feature 0x14)
 * @param step        at which point of the boot the question is asked
 * @param channel     script requests: how the request arrived (DHCP steps: HTTP)
 * @param proven      script requests on the mutual-TLS listener: the machine whose valid certificate the client
 *                    presented, or null
 * @param exchange    DHCP steps: the transaction id (DISCOVER and REQUEST of one exchange share it); else 0
 */
public record BootRequest(MacAddress mac, String uuid, ClientArch arch, ClientKind kind, String vendorClass,
                          boolean ipxeHttps, Step step, Channel channel, MacAddress proven, int exchange) {

    public enum Step {
        /** A DHCP DISCOVER/REQUEST (full mode): the answer decides the boot file. */
        DHCP,
        /** A proxyDHCP exchange (port 67 offer or port 4011 request): boot information only. */
        PROXY_DHCP,
        /** iPXE fetches its per-machine script. */
        SCRIPT,
        /** An HTTPS-capable iPXE fetches its plain-HTTP stage script (tries HTTPS, falls back). */
        STAGE,
        /** The waiting script asks again whether an image was assigned. */
        POLL
    }

    public BootRequest(MacAddress mac, String uuid, ClientArch arch, ClientKind kind, String vendorClass,
                       boolean ipxeHttps, Step step) {
        this(mac, uuid, arch, kind, vendorClass, ipxeHttps, step, Channel.HTTP, null, 0);
    }

    /** A DHCP step of exchange {@code xid}. */
    public static BootRequest dhcp(MacAddress mac, String uuid, ClientArch arch, ClientKind kind, String vendorClass,
                                   boolean ipxeHttps, Step step, int xid) {
        return new BootRequest(mac, uuid, arch, kind, vendorClass, ipxeHttps, step, Channel.HTTP, null, xid);
    }

    public static BootRequest script(MacAddress mac, Step step) {
        return script(mac, step, Channel.HTTP, null);
    }

    public static BootRequest script(MacAddress mac, Step step, Channel channel, MacAddress proven) {
        return new BootRequest(mac, null, ClientArch.UNKNOWN, ClientKind.IPXE, null, false, step, channel, proven, 0);
    }
}
