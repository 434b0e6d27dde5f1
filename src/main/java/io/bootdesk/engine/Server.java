package io.bootdesk.engine;

/**
 * The engine's servers, each started and stopped on its own by the operator ({@link Engine#stop(Server)},
 * {@link Engine#start(Server)}) while the others keep running.
 */
public enum Server {
    /** DHCP on its port and, in proxy mode (or with a PXE port), the PXE boot server on 4011. */
    DHCP("DHCP", "Machines that network-boot get no DHCP answer from BootDesk: no address (full mode) and no boot"
            + " information, so they do not start booting. Leases are kept; machines already running iPXE go on."),
    /** TFTP, where PXE firmware fetches iPXE. */
    TFTP("TFTP", "PXE firmware cannot load iPXE (undionly.kpxe, snponly.efi) by TFTP, so new PXE boots fail."
            + " Machines already running iPXE and UEFI HTTP Boot are not affected."),
    /** Plain HTTP: iPXE scripts, images, iPXE binaries for UEFI HTTP Boot, the CA's endpoints. */
    HTTP("HTTP", "iPXE cannot fetch its script or images over plain HTTP and UEFI HTTP Boot cannot load iPXE;"
            + " downloads in progress are cut, and machines in the waiting script stop hearing about assignments."),
    /** Server-authenticated HTTPS and the mutual-TLS listener. */
    HTTPS("HTTPS", "iPXE with BootDesk's CA falls back to plain HTTP; machines that boot over mutual TLS (boot media,"
            + " network enrolment) and scripts with secrets get nothing; HTTPS downloads in progress are cut.");

    private final String label;
    private final String whenStopped;

    Server(String label, String whenStopped) {
        this.label = label;
        this.whenStopped = whenStopped;
    }

    public String label() {
        return label;
    }

    /** What stopping this server means for the machines on the boot network, in a sentence or two. */
    public String whenStopped() {
        return whenStopped;
    }
}
