package io.bootdesk.core;

import io.bootdesk.model.BootStage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.store.Database;
import io.bootdesk.store.EventStore;
import io.bootdesk.store.MachineStore;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The machine table, kept in memory and written through the {@link Journal}. Protocol handlers report what they
 * learn; the stage follows the events.
 *
 * <p>Names and forgets are the operator's, made in any process through {@link MachineStore} (which bumps
 * {@code meta.machine_rev} and journals a {@link EventType#MACHINE_RENAMED} / {@link EventType#MACHINE_FORGOTTEN}
 * event); {@link #refresh()} applies them to memory. The journal's writes of machine rows never overwrite a name
 * (see {@link MachineStore}), so a rename is not undone by an older in-memory row written after it.
 */
public final class Inventory {

    private final ConcurrentHashMap<MacAddress, Machine> machines = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MacAddress> byIp = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<Machine>> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<MacAddress>> forgetListeners = new CopyOnWriteArrayList<>();
    private final Journal journal;
    private final MachineStore store;
    private final EventStore events;
    /** Forgotten here, row not yet deleted by the journal: a row of it read meanwhile is not taken back. */
    private final java.util.Set<MacAddress> deleting = ConcurrentHashMap.newKeySet();
    private long machineRevision = -1;
    /** Forget events up to this id are applied. */
    private long forgetsSeen;

    public Inventory(Database db, Journal journal) {
        this.journal = journal;
        this.store = db == null ? null : new MachineStore(db);
        this.events = db == null ? null : new EventStore(db);
        if (db != null) {
            // in this order: a forget journaled between the two reads is applied again by refresh(), never missed
            machineRevision = store.revision();
            forgetsSeen = events.lastId();
            for (Machine m : store.all()) {
                machines.put(m.mac(), m);
                if (m.ip() != null) {
                    byIp.put(m.ip(), m.mac());
                }
            }
        }
    }

    public Optional<Machine> get(MacAddress mac) {
        return Optional.ofNullable(machines.get(mac));
    }

    public Collection<Machine> all() {
        return List.copyOf(machines.values());
    }

    /** The machine that was last given or used {@code ip}. */
    public Optional<MacAddress> macOf(String ip) {
        return ip == null ? Optional.empty() : Optional.ofNullable(byIp.get(ip));
    }

    /** Called on the thread that changed the machine; must only hand the row on. */
    public AutoCloseable onChange(Consumer<Machine> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Called with the MAC of a machine that was forgotten; must only hand it on. */
    public AutoCloseable onForget(Consumer<MacAddress> listener) {
        forgetListeners.add(listener);
        return () -> forgetListeners.remove(listener);
    }

    /**
     * What a DHCP exchange told about the machine. Null arguments leave the known value.
     *
     * @param ipxeHttps for an iPXE: whether it has HTTPS (option 175 feature 0x14); null for other clients
     */
    public void observeDhcp(MacAddress mac, String ip, String vendorClass, ClientArch arch, ClientKind kind, String uuid,
                            Boolean ipxeHttps) {
        update(mac, m -> new Machine(mac, ip != null ? ip : m.ip(), vendorClass != null ? vendorClass : m.vendorClass(),
                arch != null && arch != ClientArch.UNKNOWN ? arch : m.arch(),
                kind != null && kind != ClientKind.OTHER ? kind : m.kind(),
                uuid != null ? uuid : m.uuid(), m.stage(), m.detail(), m.progress(), m.userAgent(), m.firstSeen(),
                Instant.now(), m.name(), ipxeHttps != null ? ipxeHttps : m.ipxeHttps()));
    }

    public void observeDhcp(MacAddress mac, String ip, String vendorClass, ClientArch arch, ClientKind kind, String uuid) {
        observeDhcp(mac, ip, vendorClass, arch, kind, uuid, null);
    }

    /**
     * An HTTP request from the machine (User-Agent such as iPXE/1.21.1 or UefiHttpBoot/1.0).
     *
     * @param ipxeHttps true when an iPXE made it over HTTPS (so it has HTTPS); null when it says nothing about that
     */
    public void observeHttp(MacAddress mac, String ip, String userAgent, Boolean ipxeHttps) {
        update(mac, m -> new Machine(mac, ip != null ? ip : m.ip(), m.vendorClass(), m.arch(), m.kind(), m.uuid(),
                m.stage(), m.detail(), m.progress(), userAgent != null ? userAgent : m.userAgent(), m.firstSeen(),
                Instant.now(), m.name(), ipxeHttps != null ? ipxeHttps : m.ipxeHttps()));
    }

    /** Moves the machine to {@code stage} with a short detail; progress -1 when nothing is downloading. */
    public void stage(MacAddress mac, BootStage stage, String detail, double progress) {
        update(mac, m -> new Machine(mac, m.ip(), m.vendorClass(), m.arch(), m.kind(), m.uuid(), stage, detail, progress,
                m.userAgent(), m.firstSeen(), Instant.now(), m.name(), m.ipxeHttps()));
    }

    private void update(MacAddress mac, UnaryOperator<Machine> change) {
        Instant now = Instant.now();
        Machine updated = machines.compute(mac, (k, old) -> change.apply(old != null ? old
                : new Machine(mac, null, null, ClientArch.UNKNOWN, ClientKind.OTHER, null, BootStage.DISCOVERED, "", -1,
                        null, now, now, null, null)));
        if (updated.ip() != null) {
            byIp.put(updated.ip(), mac);
        }
        journal.machine(updated);
        for (Consumer<Machine> l : listeners) {
            l.accept(updated);
        }
    }

    /**
     * Applies renames and forgets made since the last call (in any process; the database says which) to memory.
     * Cheap when there were none (one small query). Returns true if it applied something.
     */
    public synchronized boolean refresh() {
        if (store == null) {
            return false;
        }
        long rev = store.revision();
        if (rev == machineRevision) {
            return false;
        }
        long newest = events.lastId();
        for (EventStore.Mark f : events.since(forgetsSeen, EventType.MACHINE_FORGOTTEN)) {
            if (f.mac() != null) {
                forget(f.mac());
            }
            newest = Math.max(newest, f.id());
        }
        forgetsSeen = newest;
        Map<MacAddress, Machine> stored = new HashMap<>();
        for (Machine m : store.all()) {
            stored.put(m.mac(), m);
        }
        for (Machine s : stored.values()) {
            Machine m = machines.get(s.mac());
            if (m == null) {
                if (deleting.contains(s.mac())) {
                    continue;
                }
                // named in another process before this serve saw it: the row is the name (and what was known)
                if (machines.putIfAbsent(s.mac(), s) == null) {
                    listeners.forEach(l -> l.accept(s));
                }
            } else if (!Objects.equals(m.name(), s.name())) {
                named(s.mac(), s.name());
            }
        }
        machineRevision = rev;
        return true;
    }

    /**
     * Sets the name in memory (the database has it already: {@link MachineStore#rename}); the row's other values and
     * its last-seen time stay.
     */
    public void named(MacAddress mac, String name) {
        Machine updated = machines.computeIfPresent(mac, (k, m) -> m.withName(name));
        if (updated != null) {
            for (Consumer<Machine> l : listeners) {
                l.accept(updated);
            }
        }
    }

    /** Drops the machine from memory and its row from the database (with the journal's next batch). */
    public void forget(MacAddress mac) {
        deleting.add(mac);
        Machine gone = machines.remove(mac);
        journal.forget(mac);
        journal.flush().whenComplete((done, failed) -> deleting.remove(mac));
        if (gone != null && gone.ip() != null) {
            byIp.remove(gone.ip(), mac);
        }
        for (Consumer<MacAddress> l : forgetListeners) {
            l.accept(mac);
        }
    }
}
