package io.bootdesk.model;

/** Where a machine is in its boot, as the machine table shows it. Ordered roughly by progress. */
public enum BootStage {
    /** Seen on the wire (DHCP DISCOVER). */
    DISCOVERED,
    /** Has an address (DHCP ACK) or proxy boot information. */
    ADDRESSED,
    /** Fetching a network boot program (iPXE) over TFTP or HTTP. */
    LOADER,
    /** iPXE is running and asked for its script. */
    SCRIPT,
    /** No image is assigned: iPXE sits in the waiting script and asks again. */
    WAITING,
    /** Fetching the assigned image's files. */
    DOWNLOADING,
    /** Every file of the assigned image was delivered completely. */
    BOOTED,
    /** The last step failed (see the events). */
    FAILED
}
