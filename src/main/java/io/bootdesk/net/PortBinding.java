package io.bootdesk.net;

import java.io.IOException;
import java.net.BindException;

/** Turns a failed bind into a sentence that names the port and the fix. */
public final class PortBinding {
    private PortBinding() {
    }

    public static IOException explain(String what, String proto, String address, int port, Throwable cause) {
        String m = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        String fix;
        if (m.contains("permission denied") || m.contains("access denied") || m.contains("not permitted")) {
            fix = "ports below 1024 need privileges: run as root, or grant the JVM the capability once with"
                    + " 'sudo setcap cap_net_bind_service,cap_net_raw+ep " + ProcessHandle.current().info().command()
                    .orElse("$(readlink -f $(which java))") + "'";
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
}
