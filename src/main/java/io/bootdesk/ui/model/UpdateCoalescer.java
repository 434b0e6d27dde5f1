package io.bootdesk.ui.model;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.util.ArrayList;
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

    /** What arrived since the last drain. {@code assignments} is null when no new snapshot came. */
    public record Batch(List<Machine> machines, List<BootEvent> events, long droppedEvents,
                        Map<MacAddress, Assignment> assignments) {
        public boolean isEmpty() {
            return machines.isEmpty() && events.isEmpty() && droppedEvents == 0 && assignments == null;
        }
    }

    private final ConcurrentHashMap<MacAddress, Machine> machines = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<BootEvent> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicReference<Map<MacAddress, Assignment>> assignments = new AtomicReference<>();

    /** From any thread: the newest state of a machine replaces an older one not yet drained. */
    public void machine(Machine m) {
        machines.put(m.mac(), m);
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
        return !machines.isEmpty() || !events.isEmpty() || dropped.get() > 0 || assignments.get() != null;
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
        return new Batch(ms, es, dropped.getAndSet(0), assignments.getAndSet(null));
    }
}
