package io.bootdesk.engine;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** The machine's network interfaces as the set-up shows them: what an operator needs to pick the boot network. */
public final class NetworkInterfaces {
    private NetworkInterfaces() {
    }

    /**
     * One interface.
     *
     * @param ipv4     the first IPv4 address, or null
     * @param prefix   its prefix length (0 without an address)
     * @param up       the link is up (carrier and administratively up, as far as the JDK can tell)
     * @param mac      colon form, or "" when the interface has none (loopback, tunnels)
     */
    public record Nic(String name, String ipv4, int prefix, boolean up, boolean loopback, boolean virtual, String mac) {

        /** It can serve: up, with an IPv4 address. */
        public boolean usable() {
            return up && ipv4 != null;
        }

        public String address() {
            return ipv4 == null ? "no IPv4 address" : ipv4 + "/" + prefix;
        }

        public String link() {
            return up ? "up" : "down";
        }

        /** Why it cannot be chosen, in a sentence with the fix; empty when it can. */
        public String problem() {
            if (!up) {
                return name + " is down: bring it up first (ip link set " + name + " up) or plug in the cable";
            }
            if (ipv4 == null) {
                return name + " has no IPv4 address: give it one first, e.g. ip addr add 10.99.0.1/24 dev " + name;
            }
            return "";
        }
    }

    /** Every interface, usable ones first, loopback last (it only serves this machine: for tests and demos). */
    public static List<Nic> list() {
        List<Nic> out = new ArrayList<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.add(describe(n));
            }
        } catch (SocketException e) {
            return List.of();
        }
        out.sort(Comparator.comparing((Nic n) -> n.loopback())
                .thenComparing(n -> !n.usable())
                .thenComparing(Nic::name));
        return List.copyOf(out);
    }

    static Nic describe(NetworkInterface n) throws SocketException {
        String ip = null;
        int prefix = 0;
        for (InterfaceAddress ia : n.getInterfaceAddresses()) {
            if (ia.getAddress() instanceof Inet4Address a) {
                ip = a.getHostAddress();
                prefix = ia.getNetworkPrefixLength();
                break;
            }
        }
        byte[] hw = n.getHardwareAddress();
        String mac = hw == null || hw.length == 0 ? "" : HexFormat.ofDelimiter(":").formatHex(hw);
        return new Nic(n.getName(), ip, prefix, n.isUp(), n.isLoopback(), n.isVirtual(), mac);
    }
}
