package io.bootdesk.engine;

import io.bootdesk.net.NativeNet;
import io.bootdesk.net.PortBinding;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Tries, before anything is served, to bind every port the engine will need on the chosen interface, and says for
 * each one that fails exactly why and how to fix it (the same sentences {@code serve} prints). Nothing stays bound.
 */
public final class PortCheck {
    private PortCheck() {
    }

    /** One port and how the check went; {@code problem} is empty when it can be bound. */
    public record Result(String what, String proto, int port, String problem) {
        public boolean ok() {
            return problem.isEmpty();
        }
    }

    /** Checks DHCP (all addresses, restricted to the interface), the PXE port, TFTP and HTTP of {@code config}. */
    public static List<Result> check(EngineConfig config, String interfaceName, String address) {
        List<Result> out = new ArrayList<>();
        out.add(udp("DHCP server", "0.0.0.0", config.dhcpPort(), interfaceName));
        if (config.mode() == io.bootdesk.model.DhcpMode.PROXY || config.pxePort() > 0) {
            out.add(udp("PXE boot server", address, config.pxePort(), null));
        }
        out.add(udp("TFTP server", address, config.tftpPort(), null));
        out.add(tcp("HTTP server", address, config.httpPort()));
        if (config.tls().httpsPort() > 0) {
            out.add(tcp("HTTPS server", address, config.tls().httpsPort()));
        }
        if (config.tls().mtlsPort() > 0) {
            out.add(tcp("mutual-TLS server", address, config.tls().mtlsPort()));
        }
        return List.copyOf(out);
    }

    static Result udp(String what, String address, int port, String device) {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            if (device != null && NativeNet.get().available()) {
                NativeNet.get().bindToDevice(ch, device);
            }
            try {
                ch.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            } catch (IOException e) {
                return new Result(what, "UDP", port, PortBinding.explain("the " + what, "UDP", address, port, e).getMessage());
            }
            return new Result(what, "UDP", port, "");
        } catch (IOException e) {
            return new Result(what, "UDP", port, "cannot check UDP " + address + ":" + port + ": " + e.getMessage());
        }
    }

    static Result tcp(String what, String address, int port) {
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            try {
                ch.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            } catch (IOException e) {
                return new Result(what, "TCP", port, PortBinding.explain("the " + what, "TCP", address, port, e).getMessage());
            }
            return new Result(what, "TCP", port, "");
        } catch (IOException e) {
            return new Result(what, "TCP", port, "cannot check TCP " + address + ":" + port + ": " + e.getMessage());
        }
    }
}
