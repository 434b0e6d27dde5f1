package io.bootdesk.core;

import io.bootdesk.model.MacAddress;

/** Where clients reach this BootDesk: the boot interface's IPv4 address and the HTTP port. */
public record Endpoints(String serverIp, int httpPort) {

    public String httpBase() {
        return "http://" + serverIp + (httpPort == 80 ? "" : ":" + httpPort);
    }

    /** The per-machine script URL handed to iPXE. */
    public String scriptUrl(MacAddress mac) {
        return httpBase() + "/boot/" + mac.hyphenated() + ".ipxe";
    }

    /** URL of a file of an image; {@code mac} lets the server attribute the download to the machine. */
    public String imageFileUrl(String image, String file, MacAddress mac) {
        return httpBase() + "/images/" + image + "/" + file + "?mac=" + mac.hyphenated();
    }

    /** URL of an iPXE binary served over HTTP (for UEFI HTTP Boot). */
    public String loaderUrl(String file) {
        return httpBase() + "/ipxe/" + file;
    }
}
