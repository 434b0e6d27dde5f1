package io.bootdesk.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The interface the operator named for booting, with its IPv4 address and subnet (every server binds to that
 * address or that interface only).
 *
 * @param ipv6Prefixes global or unique-local /64 prefixes on the interface (advertised in router advertisements)
 */
public record BootInterface(String name, Inet4Address address, int prefixLength, byte[] mac,
                            List<Inet6Address> ipv6Prefixes) {

    public static BootInterface lookup(String name) throws IOException {
        NetworkInterface nif;
        try {
            nif = NetworkInterface.getByName(name);
        } catch (SocketException e) {
            throw new IOException("cannot read interface " + name + ": " + e.getMessage(), e);
        }
        if (nif == null) {
            throw new IOException("there is no network interface named '" + name + "'; interfaces here: " + names());
        }
        if (!nif.isUp()) {
            throw new IOException("interface " + name + " is down; bring it up first (ip link set " + name + " up)");
        }
        Inet4Address v4 = null;
        int prefix = 0;
        List<Inet6Address> v6 = new ArrayList<>();
        for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
            if (ia.getAddress() instanceof Inet4Address a && v4 == null) {
                v4 = a;
                prefix = ia.getNetworkPrefixLength();
            } else if (ia.getAddress() instanceof Inet6Address a && !a.isLinkLocalAddress() && !a.isLoopbackAddress()
                    && ia.getNetworkPrefixLength() == 64) {
                byte[] p = a.getAddress();
                for (int i = 8; i < 16; i++) {
                    p[i] = 0;
                }
                v6.add((Inet6Address) Inet6Address.getByAddress(null, p));
            }
        }
        if (v4 == null) {
            throw new IOException("interface " + name + " has no IPv4 address; give it one first, e.g. ip addr add 10.99.0.1/24 dev " + name);
        }
        byte[] mac = nif.getHardwareAddress();
        return new BootInterface(name, v4, prefix, mac == null ? new byte[6] : mac, List.copyOf(v6));
    }

    public static String names() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .map(NetworkInterface::getName).sorted().collect(Collectors.joining(", "));
        } catch (SocketException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Names of other interfaces that are up and have an IPv4 address (besides loopback). */
    public List<String> otherIpv4Interfaces() throws SocketException {
        List<String> out = new ArrayList<>();
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.getName().equals(name) && n.isUp() && !n.isLoopback()
                    && n.getInterfaceAddresses().stream().anyMatch(a -> a.getAddress() instanceof Inet4Address)) {
                out.add(n.getName());
            }
        }
        return out;
    }

    public String ip() {
        return address.getHostAddress();
    }

    public int netmaskBits() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }
}
