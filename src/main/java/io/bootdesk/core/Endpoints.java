package io.bootdesk.core;

import io.bootdesk.model.MacAddress;

/**
 * Where clients reach this BootDesk: the boot interface's IPv4 address and the ports of the HTTP, HTTPS and
 * mutual-TLS listeners (0: that listener is off). URLs use the IP literal: firmware in proxy mode may have no DNS,
 * and edk2 checks the certificate's iPAddress SAN against it.
 */
public record Endpoints(String serverIp, int httpPort, int httpsPort, int mtlsPort) {

    /** Plain HTTP only. */
    public Endpoints(String serverIp, int httpPort) {
        this(serverIp, httpPort, 0, 0);
    }

    public boolean https() {
        return httpsPort > 0;
    }

    public boolean mtls() {
        return mtlsPort > 0;
    }

    public String base(Channel channel) {
        return switch (channel) {
            case HTTP -> "http://" + serverIp + (httpPort == 80 ? "" : ":" + httpPort);
            case HTTPS -> "https://" + serverIp + (httpsPort == 443 ? "" : ":" + httpsPort);
            case MTLS -> "https://" + serverIp + ":" + mtlsPort;
        };
    }

    public String httpBase() {
        return base(Channel.HTTP);
    }

    /** The per-machine script URL. */
    public String scriptUrl(MacAddress mac, Channel channel) {
        return base(channel) + "/boot/" + mac.hyphenated() + ".ipxe";
    }

    public String scriptUrl(MacAddress mac) {
        return scriptUrl(mac, Channel.HTTP);
    }

    /** URL of a file of an image; {@code mac} lets the server attribute the download to the machine. */
    public String imageFileUrl(String image, String file, MacAddress mac, Channel channel) {
        return base(channel == Channel.MTLS ? Channel.HTTPS : channel) + "/images/" + image + "/" + file
                + "?mac=" + mac.hyphenated();
    }

    public String imageFileUrl(String image, String file, MacAddress mac) {
        return imageFileUrl(image, file, mac, Channel.HTTP);
    }

    /** URL of an iPXE binary served over HTTP(S) (for UEFI HTTP Boot). */
    public String loaderUrl(String file, Channel channel) {
        return base(channel) + "/ipxe/" + file;
    }

    public String loaderUrl(String file) {
        return loaderUrl(file, Channel.HTTP);
    }

    /** iPXE's {@code crosscert} base (175.93): answered by BootDesk itself, so iPXE never waits on ca.ipxe.org. */
    public String crosscertUrl() {
        return httpBase() + "/ca/crosscert";
    }

    public String tftpUrl(String file) {
        return "tftp://" + serverIp + "/" + file;
    }
}
