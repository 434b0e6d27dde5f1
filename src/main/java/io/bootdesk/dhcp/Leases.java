package io.bootdesk.dhcp;

import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Address bookkeeping of the full-mode server for all pools: offers (held briefly, in memory), bound leases and
 * quarantined (declined) addresses. A machine keeps its address across boots while it is not given to another.
 * Not thread-safe: the DHCP server uses it from one thread.
 */
public final class Leases {
    /** How long an offered address stays reserved for the client it was offered to. */
    static final long OFFER_HOLD_MS = 30_000;
    /** How long a declined address stays out of use. */
    static final long QUARANTINE_MS = 3_600_000;

    enum State { OFFERED, BOUND, DECLINED }

    private record Entry(MacAddress mac, long expires, State state) {
    }

    private final List<Pool> pools;
    private final long leaseMs;
    private final Map<Integer, Entry> byIp = new HashMap<>();
    private final Map<MacAddress, Integer> byMac = new HashMap<>();
    private final Map<Pool, Integer> cursor = new HashMap<>();

    public Leases(List<Pool> pools, long leaseSeconds) {
        this.pools = List.copyOf(pools);
        this.leaseMs = leaseSeconds * 1000;
    }

    public List<Pool> pools() {
        return pools;
    }

    public long leaseSeconds() {
        return leaseMs / 1000;
    }

    /** Restores a persisted lease. */
    public void load(Lease l) {
        int ip = Ip4.parse(l.ip());
        if (l.declined()) {
            byIp.put(ip, new Entry(null, l.expires().toEpochMilli(), State.DECLINED));
        } else if (l.mac() != null) {
            byIp.put(ip, new Entry(l.mac(), l.expires().toEpochMilli(), State.BOUND));
            byMac.put(l.mac(), ip);
        }
    }

    /** The pool serving a request: the relay's subnet when relayed, else the boot interface's subnet (pool 0). */
    public Pool poolFor(int giaddr) {
        if (giaddr == 0) {
            return pools.get(0);
        }
        for (Pool p : pools) {
            if (p.onSubnet(giaddr)) {
                return p;
            }
        }
        return null;
    }

    private boolean freeFor(int ip, MacAddress mac, long now) {
        Entry e = byIp.get(ip);
        return e == null || mac.equals(e.mac()) && e.state() != State.DECLINED || e.expires() <= now;
    }

    /**
     * Picks an address to offer: the one the machine has (or had) if still free, else the requested one if free,
     * else the next free one. Returns 0 when the pool is exhausted.
     */
    public int offer(Pool pool, MacAddress mac, int requested, long now) {
        Integer known = byMac.get(mac);
        int ip = 0;
        if (known != null && usable(pool, known) && freeFor(known, mac, now)) {
            ip = known;
        } else if (requested != 0 && usable(pool, requested) && freeFor(requested, mac, now)) {
            ip = requested;
        } else {
            ip = nextFree(pool, mac, now);
        }
        if (ip == 0) {
            return 0;
        }
        Entry e = byIp.get(ip);
        // an expired lease counts as free, so re-offering it to its owner must hold it like any other offer
        if (e == null || e.state() != State.BOUND || !mac.equals(e.mac()) || e.expires() <= now) {
            unlinkMac(mac, ip);
            byIp.put(ip, new Entry(mac, now + OFFER_HOLD_MS, State.OFFERED));
            byMac.put(mac, ip);
        }
        return ip;
    }

    private int nextFree(Pool pool, MacAddress mac, long now) {
        int size = pool.size();
        int start = cursor.getOrDefault(pool, 0);
        for (int i = 0; i < size; i++) {
            int off = (start + i) % size;
            int ip = pool.first() + off;
            if (freeFor(ip, mac, now) && !isNetworkOrBroadcast(pool, ip)) {
                Entry stale = byIp.get(ip);
                if (stale != null && stale.mac() != null && !stale.mac().equals(mac)) {
                    byMac.remove(stale.mac(), ip);
                }
                cursor.put(pool, (off + 1) % size);
                return ip;
            }
        }
        return 0;
    }

    /** In the pool and neither the subnet's own address nor its broadcast address (a pool may span them). */
    private static boolean usable(Pool pool, int ip) {
        return pool.inRange(ip) && !isNetworkOrBroadcast(pool, ip);
    }

    private static boolean isNetworkOrBroadcast(Pool pool, int ip) {
        return ip == pool.subnet() || ip == (pool.subnet() | ~pool.mask());
    }

    private void unlinkMac(MacAddress mac, int keepIp) {
        Integer old = byMac.get(mac);
        if (old != null && old != keepIp) {
            Entry e = byIp.get(old);
            if (e != null && mac.equals(e.mac()) && e.state() == State.OFFERED) {
                byIp.remove(old);
            }
        }
    }

    /** Why {@code ip} cannot be bound to {@code mac}, or null if it can. */
    public String refusal(Pool pool, MacAddress mac, int ip, long now) {
        if (!pool.onSubnet(ip)) {
            return Ip4.format(ip) + " is not on this network (" + Ip4.format(pool.subnet()) + "/" + pool.prefixLength() + ")";
        }
        if (!pool.inRange(ip)) {
            return Ip4.format(ip) + " is outside the pool " + pool;
        }
        if (isNetworkOrBroadcast(pool, ip)) {
            return Ip4.format(ip) + " is the network or broadcast address of " + Ip4.format(pool.subnet()) + "/"
                    + pool.prefixLength();
        }
        Entry e = byIp.get(ip);
        if (e != null && e.expires() > now) {
            if (e.state() == State.DECLINED) {
                return Ip4.format(ip) + " is quarantined (a client declined it)";
            }
            if (!mac.equals(e.mac())) {
                return Ip4.format(ip) + " is leased to " + e.mac();
            }
        }
        return null;
    }

    /** Binds {@code ip} to {@code mac} (caller checked {@link #refusal}); returns the lease to persist. */
    public Lease bind(MacAddress mac, int ip, long now) {
        unlinkMac(mac, ip);
        Integer old = byMac.get(mac);
        if (old != null && old != ip) {
            Entry e = byIp.get(old);
            if (e != null && mac.equals(e.mac())) {
                byIp.remove(old); // a machine holds one address per BootDesk
            }
        }
        long expires = now + leaseMs;
        byIp.put(ip, new Entry(mac, expires, State.BOUND));
        byMac.put(mac, ip);
        return new Lease(Ip4.format(ip), mac, Instant.ofEpochMilli(expires), false);
    }

    /** The client declined our offer (DHCPREQUEST to another server): the offer is withdrawn. */
    public void withdrawOffer(MacAddress mac) {
        Integer ip = byMac.get(mac);
        if (ip != null) {
            Entry e = byIp.get(ip);
            if (e != null && e.state() == State.OFFERED) {
                byIp.remove(ip);
                byMac.remove(mac);
            }
        }
    }

    /** DHCPRELEASE: true if {@code ip} was bound to {@code mac} and is now free. */
    public boolean release(MacAddress mac, int ip) {
        Entry e = byIp.get(ip);
        if (e != null && mac.equals(e.mac()) && e.state() == State.BOUND) {
            byIp.remove(ip);
            byMac.remove(mac, ip);
            return true;
        }
        return false;
    }

    /** DHCPDECLINE: the address is in use by someone else; quarantine it. Returns the record to persist. */
    public Lease decline(int ip, long now) {
        Entry e = byIp.get(ip);
        if (e != null && e.mac() != null) {
            byMac.remove(e.mac(), ip);
        }
        long until = now + QUARANTINE_MS;
        byIp.put(ip, new Entry(null, until, State.DECLINED));
        return new Lease(Ip4.format(ip), null, Instant.ofEpochMilli(until), true);
    }

    /** The address bound to (or offered to) {@code mac}, or 0. */
    public int addressOf(MacAddress mac) {
        Integer ip = byMac.get(mac);
        return ip == null ? 0 : ip;
    }

    public int boundCount(long now) {
        int n = 0;
        for (Entry e : byIp.values()) {
            if (e.state() == State.BOUND && e.expires() > now) {
                n++;
            }
        }
        return n;
    }
}
