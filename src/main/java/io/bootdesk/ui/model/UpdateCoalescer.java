package io.bootdesk.ui.model;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Between the engine's threads and the UI thread. Engine threads hand over machine rows, events and assignment
 * snapshots without ever waiting (no lock is held while the UI works); the UI drains everything at its own pace,
 * at most {@link #MAX_DRAINS_PER_SECOND} times a second, and sees only the newest row per machine. Events beyond
 * {@link #MAX_EVENTS} per drain are counted, not kept: the journal has them all.
 */
public final class UpdateCoalescer {
    public static final int MAX_DRAINS_PER_SECOND = 20;
    public static final long DRAIN_INTERVAL_MS = 1000 / MAX_DRAINS_PER_SECOND;
    public static final int MAX_EVENTS = 2000;

    /**
     * What arrived since the last drain. {@code assignments} and {@code certificates} are null when no new snapshot
     * came; {@code forgotten}: machines to take out of the table (none of them is in {@code machines}).
     */
    public record Batch(List<Machine> machines, List<BootEvent> events, long droppedEvents,
                        Map<MacAddress, Assignment> assignments, Set<MacAddress> forgotten,
                        Map<MacAddress, CertificateView> certificates) {
        public Batch(List<Machine> machines, List<BootEvent> events, long droppedEvents,
                     Map<MacAddress, Assignment> assignments) {
            this(machines, events, droppedEvents, assignments, Set.of(), null);
        }

        public boolean isEmpty() {
            return machines.isEmpty() && events.isEmpty() && droppedEvents == 0 && assignments == null
                    && forgotten.isEmpty() && certificates == null;
        }
    }

    private final ConcurrentHashMap<MacAddress, Machine> machines = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<BootEvent> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicReference<Map<MacAddress, Assignment>> assignments = new AtomicReference<>();
    private final Set<MacAddress> forgotten = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Map<MacAddress, CertificateView>> certificates = new AtomicReference<>();

    /** From any thread: the newest state of a machine replaces an older one not yet drained. */
    public void machine(Machine m) {
        forgotten.remove(m.mac()); // seen again after it was forgotten: a row again
        machines.put(m.mac(), m);
    }

    /** From any thread: the machine was forgotten; its row leaves the table. */
    public void forgotten(MacAddress mac) {
        machines.remove(mac);
        forgotten.add(mac);
    }

    /** From any thread: every machine's certificate state (replaces an undrained older snapshot). */
    public void certificates(Map<MacAddress, CertificateView> all) {
        certificates.set(Map.copyOf(all));
    }

    /** From any thread. */
    public void event(BootEvent e) {
        if (queued.incrementAndGet() > MAX_EVENTS) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        events.add(e);
    }

    /** From any thread: the complete current assignments (replaces an undrained older snapshot). */
    public void assignments(Map<MacAddress, Assignment> all) {
        assignments.set(Map.copyOf(all));
    }

    public boolean pending() {
        return !machines.isEmpty() || !events.isEmpty() || dropped.get() > 0 || assignments.get() != null
                || !forgotten.isEmpty() || certificates.get() != null;
    }

    /** On the UI thread: everything since the last drain. */
    public Batch drain() {
        List<Machine> ms = new ArrayList<>(machines.size());
        for (MacAddress mac : machines.keySet()) {
            Machine m = machines.remove(mac);
            if (m != null) {
                ms.add(m);
            }
        }
        List<BootEvent> es = new ArrayList<>();
        BootEvent e;
        while ((e = events.poll()) != null) {
            es.add(e);
            queued.decrementAndGet();
        }
        Set<MacAddress> fo = new HashSet<>();
        for (MacAddress mac : forgotten) {
            if (forgotten.remove(mac)) {
                fo.add(mac);
            }
        }
        return new Batch(ms, es, dropped.getAndSet(0), assignments.getAndSet(null), Set.copyOf(fo),
                certificates.getAndSet(null));
    }
}
