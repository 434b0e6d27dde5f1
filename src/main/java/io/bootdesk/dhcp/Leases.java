package io.bootdesk.dhcp;

import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Address bookkeeping of the full-mode server for all pools: offers (held briefly, in memory), bound leases and
 * quarantined (declined) addresses. A machine keeps its address across boots while it is not given to another.
 * Each pool keeps a bit per address that has an entry, so finding a never-used address is a word scan and a full
 * pool answers "exhausted" without walking every entry; expired entries are reclaimed when the pool runs full, at
 * most once per {@link #RECLAIM_INTERVAL_MS}. Not thread-safe: the DHCP server uses it from one thread.
 */
public final class Leases {
    /** How long an offered address stays reserved for the client it was offered to. */
    static final long OFFER_HOLD_MS = 30_000;
    /** How long a declined address stays out of use. */
    static final long QUARANTINE_MS = 3_600_000;
    /** A full pool looks for expired entries to reuse at most this often. */
    static final long RECLAIM_INTERVAL_MS = 1_000;

    enum State { OFFERED, BOUND, DECLINED }

    private record Entry(MacAddress mac, long expires, State state) {
    }

    private final List<Pool> pools;
    private final long leaseMs;
    private final Map<Integer, Entry> byIp = new HashMap<>();
    private final Map<MacAddress, Integer> byMac = new HashMap<>();
    private final Map<Pool, Integer> cursor = new HashMap<>();
    private final Map<Pool, BitSet> taken = new HashMap<>();
    private final Map<Pool, Long> lastReclaim = new HashMap<>();

    public Leases(List<Pool> pools, long leaseSeconds) {
        this.pools = List.copyOf(pools);
        this.leaseMs = leaseSeconds * 1000;
        for (Pool p : this.pools) {
            BitSet b = new BitSet(p.size());
            for (int ip : new int[] {p.subnet(), p.subnet() | ~p.mask()}) {
                if (p.inRange(ip)) {
                    b.set(ip - p.first()); // never hand out the network or broadcast address
                }
            }
            taken.put(p, b);
        }
    }

    private void put(int ip, Entry e) {
        byIp.put(ip, e);
        mark(ip, true);
    }

    private void drop(int ip) {
        if (byIp.remove(ip) != null) {
            mark(ip, false);
        }
    }

    private void mark(int ip, boolean used) {
        for (Pool p : pools) {
            if (p.inRange(ip)) {
                taken.get(p).set(ip - p.first(), used);
                return;
            }
        }
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
            put(ip, new Entry(null, l.expires().toEpochMilli(), State.DECLINED));
        } else if (l.mac() != null) {
            put(ip, new Entry(l.mac(), l.expires().toEpochMilli(), State.BOUND));
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
        if (known != null && pool.inRange(known) && freeFor(known, mac, now)) {
            ip = known;
        } else if (requested != 0 && pool.inRange(requested) && freeFor(requested, mac, now)) {
            ip = requested;
        } else {
            ip = nextFree(pool, mac, now);
        }
        if (ip == 0) {
            return 0;
        }
        Entry e = byIp.get(ip);
        if (e == null || e.state() != State.BOUND || !mac.equals(e.mac())) {
            unlinkMac(mac, ip);
            Entry stale = byIp.get(ip);
            if (stale != null && stale.mac() != null && !stale.mac().equals(mac)) {
                byMac.remove(stale.mac(), ip);
            }
            put(ip, new Entry(mac, now + OFFER_HOLD_MS, State.OFFERED));
            byMac.put(mac, ip);
        }
        return ip;
    }

    /** The next address without any entry, after the last one handed out; reclaims expired entries when full. */
    private int nextFree(Pool pool, MacAddress mac, long now) {
        int found = clearBit(pool);
        if (found < 0 && now - lastReclaim.getOrDefault(pool, Long.MIN_VALUE / 2) >= RECLAIM_INTERVAL_MS) {
            lastReclaim.put(pool, now);
            reclaim(pool, now);
            found = clearBit(pool);
        }
        if (found < 0) {
            return 0;
        }
        cursor.put(pool, (found + 1) % pool.size());
        return pool.first() + found;
    }

    private int clearBit(Pool pool) {
        BitSet b = taken.get(pool);
        int size = pool.size();
        int i = b.nextClearBit(cursor.getOrDefault(pool, 0));
        if (i >= size) {
            i = b.nextClearBit(0);
        }
        return i < size ? i : -1;
    }

    private void reclaim(Pool pool, long now) {
        var it = byIp.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (pool.inRange(e.getKey()) && e.getValue().expires() <= now) {
                if (e.getValue().mac() != null) {
                    byMac.remove(e.getValue().mac(), e.getKey());
                }
                it.remove();
                mark(e.getKey(), false);
            }
        }
    }

    private void unlinkMac(MacAddress mac, int keepIp) {
        Integer old = byMac.get(mac);
        if (old != null && old != keepIp) {
            Entry e = byIp.get(old);
            if (e != null && mac.equals(e.mac()) && e.state() == State.OFFERED) {
                drop(old);
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
                drop(old); // a machine holds one address per BootDesk
            }
        }
        long expires = now + leaseMs;
        Entry stale = byIp.get(ip);
        if (stale != null && stale.mac() != null && !stale.mac().equals(mac)) {
            byMac.remove(stale.mac(), ip);
        }
        put(ip, new Entry(mac, expires, State.BOUND));
        byMac.put(mac, ip);
        return new Lease(Ip4.format(ip), mac, Instant.ofEpochMilli(expires), false);
    }

    /** The client declined our offer (DHCPREQUEST to another server): the offer is withdrawn. */
    public void withdrawOffer(MacAddress mac) {
        Integer ip = byMac.get(mac);
        if (ip != null) {
            Entry e = byIp.get(ip);
            if (e != null && e.state() == State.OFFERED) {
                drop(ip);
                byMac.remove(mac);
            }
        }
    }

    /** DHCPRELEASE: true if {@code ip} was bound to {@code mac} and is now free. */
    public boolean release(MacAddress mac, int ip) {
        Entry e = byIp.get(ip);
        if (e != null && mac.equals(e.mac()) && e.state() == State.BOUND) {
            drop(ip);
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
        put(ip, new Entry(null, until, State.DECLINED));
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
