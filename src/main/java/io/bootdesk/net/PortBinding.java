package io.bootdesk.net;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;

/** Turns a failed bind into a sentence that names the port and the fix. */
public final class PortBinding {
    private PortBinding() {
    }

    public static IOException explain(String what, String proto, String address, int port, Throwable cause) {
        String m = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        String fix;
        if (m.contains("permission denied") || m.contains("access denied") || m.contains("not permitted")) {
            fix = privilegeFix(proto, port);
        } else if (m.contains("in use") || cause instanceof BindException && m.contains("address")) {
            fix = "another program already uses it (a DHCP/TFTP/HTTP server such as dnsmasq, tftpd-hpa or nginx?): stop it"
                    + (port == 67 ? ", or run beside it with --mode proxy only if that program is not a proxyDHCP itself" : "")
                    + ", or pick another port where BootDesk offers an option for it";
        } else if (m.contains("cannot assign requested address")) {
            fix = "the address " + address + " is not on this machine (did the interface's address change?)";
        } else {
            fix = "see the cause";
        }
        return new IOException("cannot open " + what + " on " + proto + " " + address + ":" + port + ": "
                + cause.getMessage() + " -- " + fix, cause);
    }

    /**
     * The ways to a port below 1024 without running the window as root. The installed package gives its launcher
     * the capabilities (post-install); they are missing when the package could not set them (no setcap, a file
     * system without extended attributes) or when the file system is mounted nosuid (the kernel then ignores them).
     */
    static String privilegeFix(String proto, int port) {
        String command = ProcessHandle.current().info().command().orElse("$(readlink -f $(which java))");
        StringBuilder fix = new StringBuilder("ports below 1024 need privileges: grant them once with 'sudo setcap"
                + " cap_net_bind_service,cap_net_raw+ep " + command + "'");
        if (command.startsWith("/opt/bootdesk/")) {
            fix.append(" (the BootDesk package does this when it installs; check with 'getcap ").append(command)
                    .append("': a file system without capabilities or mounted nosuid loses them)");
        } else if (command.endsWith("/java")) {
            // A program with file capabilities ignores $ORIGIN in its run path: java then no longer finds libjli.so.
            Path lib = Path.of(command).getParent().resolveSibling("lib");
            fix.append(" and let it find libjli.so, which it no longer looks for beside itself once it has capabilities"
                    + " ('echo ").append(lib).append(" | sudo tee /etc/ld.so.conf.d/bootdesk-java.conf && sudo ldconfig'),"
                    + " or install the BootDesk package, whose launcher needs neither");
        }
        fix.append("; or run the headless engine as the service the package installs ('sudo systemctl enable --now"
                + " bootdesk@IF': it gets only these capabilities from systemd), or as root");
        if ("TCP".equals(proto)) {
            fix.append("; or serve this one above 1024 (").append(port == 443 ? "--https-port 9443" : port == 80
                    ? "--http-port 8080" : "--http-port 8080 / --https-port 9443")
                    .append("): the DHCP answers then carry the port in the boot URLs");
        } else {
            fix.append(" (DHCP 67, TFTP 69 and PXE 4011 cannot move: network-boot firmware uses only those)");
        }
        return fix.toString();
    }
}
