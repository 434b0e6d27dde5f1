package io.bootdesk.ui.model;

import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.Server;
import io.bootdesk.model.DhcpMode;

/**
 * One server's chip in the toolbar while the engine runs: its name and ports, whether it runs, and a tooltip that
 * says what a click does and what stopping it means for the machines.
 *
 * @param text    "TFTP :69", "DHCP :67+4011"; a stopped server says so: "TFTP :69 stopped"
 * @param running bound now
 * @param tooltip the state, the click's effect and, for a running server, its consequence for machines
 */
public record ServerChip(Server server, String text, boolean running, String tooltip) {

    public static ServerChip of(Server server, EngineConfig config, boolean running) {
        String ports = ports(server, config);
        String text = server.label() + " :" + ports + (running ? "" : " stopped");
        String tooltip = running
                ? server.label() + " server running on port " + ports + ". Click to stop only this server.\nStopping it: "
                        + server.whenStopped()
                : server.label() + " server stopped by the operator; the other servers run. Click to start it again on"
                        + " port " + ports + ".\nWhile stopped: " + server.whenStopped();
        return new ServerChip(server, text, running, tooltip);
    }

    /** "67+4011" for DHCP with the PXE boot server port, "443+8443" for HTTPS with mutual TLS. */
    static String ports(Server server, EngineConfig c) {
        return switch (server) {
            case DHCP -> c.mode() == DhcpMode.FULL || c.pxePort() <= 0 ? c.dhcpPort() + "" : c.dhcpPort() + "+" + c.pxePort();
            case TFTP -> c.tftpPort() + "";
            case HTTP -> c.httpPort() + "";
            case HTTPS -> c.tls().httpsPort() > 0
                    ? c.tls().httpsPort() + (c.tls().mtlsPort() > 0 ? "+" + c.tls().mtlsPort() : "")
                    : c.tls().mtlsPort() + "";
        };
    }

    /** What the status bar says after a click. */
    public String afterToggle() {
        return running
                ? server.label() + " server running again (" + text.substring(text.indexOf(':')) + ")."
                : server.label() + " server stopped. " + server.whenStopped();
    }
}
