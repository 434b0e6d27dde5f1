package io.bootdesk.model;

/** How BootDesk takes part in DHCP on the boot network. */
public enum DhcpMode {
    /** BootDesk hands out addresses and boot information: an isolated build network. */
    FULL,
    /** Another DHCP server hands out addresses; BootDesk only adds boot information (proxyDHCP). */
    PROXY
}
