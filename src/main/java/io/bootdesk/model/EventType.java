package io.bootdesk.model;

/** The kinds of step a boot is made of; every one is journaled. */
public enum EventType {
    DHCP_DISCOVER, DHCP_OFFER, DHCP_REQUEST, DHCP_ACK, DHCP_NAK, DHCP_RELEASE, DHCP_DECLINE, DHCP_INFORM,
    PROXY_OFFER, PROXY_ACK,
    DHCP_IGNORED,
    TFTP_START, TFTP_DONE, TFTP_FAILED,
    HTTP_SCRIPT, HTTP_WAITING, HTTP_FILE_START, HTTP_FILE_PROGRESS, HTTP_FILE_DONE, HTTP_REFUSED, HTTP_FAILED,
    BOOTED, ASSIGNMENT, NOTICE,
    /** The operator named a machine, renamed it or cleared its name. */
    MACHINE_RENAMED,
    /** The operator removed a machine from the table (its events stay). */
    MACHINE_FORGOTTEN,
    /** A machine's out-of-band console was attached, detached or failed (the message says which). */
    CONSOLE
}
