package io.bootdesk.core;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.store.Batch;
import io.bootdesk.store.Database;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events, machine rows and lease changes to SQLite in batches, off the I/O threads: one writer thread
 * collects whatever arrived while the previous transaction ran and commits it in one transaction (group commit).
 * Lease writes return a future that completes once the lease is on disk, so a DHCP ACK is sent only for a durable
 * lease without a transaction per packet.
 */
public final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    /** Events are dropped (and counted) beyond this backlog rather than exhausting memory. */
    private static final int MAX_PENDING_EVENTS = 200_000;
    /** Machine rows are a view for other processes: written at most this often (the newest state per machine). */
    static final long MACHINE_FLUSH_MS = 500;
    /**
     * How long the writer waits for more work before committing, so a transaction carries many rows (its fixed
     * cost dominates small ones: ~35 us per DHCP exchange at 10 exchanges per commit, ~15 us at 200, measured).
     * Lease writes hold up a DHCPACK, so they wait briefly; events alone can wait longer.
     */
    static final long LEASE_LINGER_NANOS = 2_000_000;
    static final long EVENT_LINGER_NANOS = 50_000_000;
    static final int FULL_BATCH = 500;

    private final Database db;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private List<BootEvent> events = new ArrayList<>();
    private Map<MacAddress, Machine> machines = new LinkedHashMap<>();
    private Map<String, Lease> leases = new HashMap<>();
    private Map<String, Boolean> released = new HashMap<>();
    private java.util.Set<MacAddress> forgotten = new java.util.LinkedHashSet<>();
    private Map<String, java.time.Instant> verified = new HashMap<>();
    /** When each certificate's verification was last handed to the writer (it is written at most once a minute). */
    private final Map<String, Long> verifiedQueued = new java.util.concurrent.ConcurrentHashMap<>();
    private List<CompletableFuture<Void>> waiters = new ArrayList<>();
    private long dropped;
    private long lastMachineFlush;
    private boolean flushRequested;
    private volatile boolean closed;
    private final Thread writer;

    public Journal(Database db) {
        this.db = db;
        this.writer = Thread.ofPlatform().name("bootdesk-journal").daemon().unstarted(this::run);
        this.writer.start();
    }

    public void event(BootEvent e) {
        lock.lock();
        try {
            if (events.size() >= MAX_PENDING_EVENTS) {
                dropped++;
                return;
            }
            events.add(e);
            if (events.size() == 1 || events.size() >= FULL_BATCH) {
                work.signal(); // in between, the writer's linger deadline wakes it: no futex call per event
            }
        } finally {
            lock.unlock();
        }
    }

    public void machine(Machine m) {
        lock.lock();
        try {
            machines.put(m.mac(), m);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The machine was forgotten (by the operator, in any process): its pending row is dropped and its row deleted
     * with the next batch, before any row of it recorded after this call.
     */
    public void forget(MacAddress mac) {
        lock.lock();
        try {
            machines.remove(mac);
            forgotten.add(mac);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A client certificate was presented over mutual TLS and accepted at {@code at}: recorded with the next batch, at
     * most once a minute per certificate (a machine presents it on every connection).
     */
    public void certificateVerified(String serial, java.time.Instant at) {
        long now = at.toEpochMilli();
        Long last = verifiedQueued.get(serial);
        if (last != null && now - last < io.bootdesk.store.CertificateStore.VERIFIED_INTERVAL_MS) {
            return;
        }
        verifiedQueued.put(serial, now);
        lock.lock();
        try {
            verified.put(serial, at);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Saves (or replaces) a lease; the future completes when it is committed. */
    public CompletableFuture<Void> lease(Lease l) {
        return leaseChange(l.ip(), l, false);
    }

    /** Deletes the lease of {@code ip}; the future completes when that is committed. */
    public CompletableFuture<Void> release(String ip) {
        return leaseChange(ip, null, true);
    }

    private CompletableFuture<Void> leaseChange(String ip, Lease l, boolean delete) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                f.completeExceptionally(new IllegalStateException("journal closed"));
                return f;
            }
            if (delete) {
                leases.remove(ip);
                released.put(ip, Boolean.TRUE);
            } else {
                released.remove(ip);
                leases.put(ip, l);
            }
            waiters.add(f);
            if (waiters.size() == 1 || waiters.size() >= FULL_BATCH) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        return f;
    }

    /** Completes when everything recorded so far is committed. */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        lock.lock();
        try {
            waiters.add(f);
            flushRequested = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        return f;
    }

    private void run() {
        while (true) {
            List<BootEvent> ev;
            Map<MacAddress, Machine> ma;
            Map<String, Lease> le;
            Map<String, Boolean> re;
            java.util.Set<MacAddress> fo;
            Map<String, java.time.Instant> ve;
            List<CompletableFuture<Void>> wa;
            long drop;
            lock.lock();
            try {
                while (!closed && events.isEmpty() && waiters.isEmpty() && forgotten.isEmpty() && verified.isEmpty()
                        && !machinesDue()) {
                    long wait = machines.isEmpty() ? 1000 : Math.max(1, MACHINE_FLUSH_MS - (System.currentTimeMillis() - lastMachineFlush));
                    work.await(wait, TimeUnit.MILLISECONDS);
                }
                long start = System.nanoTime();
                long deadline = start + EVENT_LINGER_NANOS;
                long waiterSeen = waiters.isEmpty() ? -1 : start;
                while (!closed && events.size() + waiters.size() < FULL_BATCH) {
                    if (waiterSeen < 0 && !waiters.isEmpty()) {
                        waiterSeen = System.nanoTime();
                    }
                    long until = waiterSeen < 0 ? deadline : Math.min(deadline, waiterSeen + LEASE_LINGER_NANOS);
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    work.awaitNanos(left);
                }
                if (closed && events.isEmpty() && machines.isEmpty() && waiters.isEmpty() && forgotten.isEmpty()
                        && verified.isEmpty()) {
                    return;
                }
                ev = events;
                le = leases;
                re = released;
                fo = forgotten;
                ve = verified;
                wa = waiters;
                drop = dropped;
                events = new ArrayList<>();
                leases = new HashMap<>();
                released = new HashMap<>();
                forgotten = new java.util.LinkedHashSet<>();
                verified = new HashMap<>();
                waiters = new ArrayList<>();
                dropped = 0;
                if (machinesDue() || closed || flushRequested) {
                    flushRequested = false;
                    ma = machines;
                    machines = new LinkedHashMap<>();
                    lastMachineFlush = System.currentTimeMillis();
                } else {
                    ma = Map.of();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (drop > 0) {
                log.warn("journal backlog full: {} events were not written", drop);
            }
            try {
                new Batch(ev, ma.values(), le.values(), re.keySet(), fo, ve).commit(db);
                wa.forEach(f -> f.complete(null));
            } catch (RuntimeException e) {
                log.error("journal write failed: {}", e.getMessage());
                wa.forEach(f -> f.completeExceptionally(e));
            }
        }
    }

    private boolean machinesDue() {
        return !machines.isEmpty() && System.currentTimeMillis() - lastMachineFlush >= MACHINE_FLUSH_MS;
    }

    /** Writes what is pending and stops the writer. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
