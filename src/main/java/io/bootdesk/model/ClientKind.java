package io.bootdesk.model;

/** Which network-boot client is talking: this decides what it can be given. */
public enum ClientKind {
    /** A PXE ROM or the firmware's own PXE client (option 60 PXEClient, not iPXE): gets an iPXE binary over TFTP. */
    PXE,
    /** UEFI HTTP Boot (option 60 HTTPClient): gets an absolute http(s) URL to an EFI file. */
    UEFI_HTTP,
    /** iPXE (option 77 "iPXE" or option 175 present): gets its per-machine script URL. */
    IPXE,
    /** Anything that is not network-booting (an OS asking for an address). */
    OTHER;

    public String label() {
        return switch (this) {
            case PXE -> "PXE";
            case UEFI_HTTP -> "UEFI HTTP";
            case IPXE -> "iPXE";
            case OTHER -> "other";
        };
    }
}
