package io.bootdesk.dhcp;

/**
 * An address range on one subnet. The first pool is the boot interface's own subnet; further pools serve
 * subnets behind DHCP relays (chosen by giaddr).
 *
 * @param router option 3 for this subnet, or 0 for none
 */
public record Pool(int subnet, int prefixLength, int first, int last, int router) {

    public Pool {
        int mask = Ip4.mask(prefixLength);
        if (Integer.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException("pool " + Ip4.format(first) + "-" + Ip4.format(last) + " is empty (first > last)");
        }
        if ((first & mask) != (subnet & mask) || (last & mask) != (subnet & mask)) {
            throw new IllegalArgumentException("pool " + Ip4.format(first) + "-" + Ip4.format(last) + " is not inside "
                    + Ip4.format(subnet & mask) + "/" + prefixLength);
        }
        subnet = subnet & mask;
    }

    /** Parses "FIRST-LAST" on the subnet {@code subnet/prefixLength}. */
    public static Pool parseRange(String range, int subnet, int prefixLength, int router) {
        String[] p = range.split("-", 2);
        if (p.length != 2) {
            throw new IllegalArgumentException("a pool is FIRST-LAST, e.g. 10.99.0.100-10.99.0.199 (got '" + range + "')");
        }
        return new Pool(subnet, prefixLength, Ip4.parse(p[0]), Ip4.parse(p[1]), router);
    }

    /** Parses a relay pool "CIDR=FIRST-LAST[,router=IP]", e.g. 10.50.0.0/16=10.50.1.0-10.50.255.254,router=10.50.0.1. */
    public static Pool parseRelayPool(String spec) {
        String[] kv = spec.split("=", 2);
        if (kv.length != 2 || !kv[0].contains("/")) {
            throw new IllegalArgumentException("a relay pool is CIDR=FIRST-LAST[,router=IP], e.g. "
                    + "10.50.0.0/16=10.50.1.0-10.50.255.254,router=10.50.0.1 (got '" + spec + "')");
        }
        String[] cidr = kv[0].split("/", 2);
        int subnet = Ip4.parse(cidr[0]);
        int prefix = Integer.parseInt(cidr[1]);
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("prefix length must be 8..30 (got " + prefix + ")");
        }
        String[] parts = kv[1].split(",");
        int router = 0;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("router=")) {
                router = Ip4.parse(parts[i].substring(7));
            } else {
                throw new IllegalArgumentException("unknown relay pool setting '" + parts[i] + "' (known: router=IP)");
            }
        }
        return parseRange(parts[0], subnet, prefix, router);
    }

    public int mask() {
        return Ip4.mask(prefixLength);
    }

    public boolean onSubnet(int ip) {
        return (ip & mask()) == subnet;
    }

    public boolean inRange(int ip) {
        return Integer.compareUnsigned(ip, first) >= 0 && Integer.compareUnsigned(ip, last) <= 0;
    }

    public int size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return Ip4.format(first) + "-" + Ip4.format(last) + " on " + Ip4.format(subnet) + "/" + prefixLength;
    }
}
