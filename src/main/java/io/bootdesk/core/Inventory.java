package io.bootdesk.core;

import io.bootdesk.model.BootStage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.store.Database;
import io.bootdesk.store.MachineStore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The machine table, kept in memory and written through the {@link Journal}. Protocol handlers report what they
 * learn; the stage follows the events.
 */
public final class Inventory {

    private final ConcurrentHashMap<MacAddress, Machine> machines = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MacAddress> byIp = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<Machine>> listeners = new CopyOnWriteArrayList<>();
    private final Journal journal;

    public Inventory(Database db, Journal journal) {
        this.journal = journal;
        if (db != null) {
            for (Machine m : new MachineStore(db).all()) {
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

    /** What a DHCP exchange told about the machine. Null arguments leave the known value. */
    public void observeDhcp(MacAddress mac, String ip, String vendorClass, ClientArch arch, ClientKind kind, String uuid) {
        update(mac, m -> new Machine(mac, ip != null ? ip : m.ip(), vendorClass != null ? vendorClass : m.vendorClass(),
                arch != null && arch != ClientArch.UNKNOWN ? arch : m.arch(),
                kind != null && kind != ClientKind.OTHER ? kind : m.kind(),
                uuid != null ? uuid : m.uuid(), m.stage(), m.detail(), m.progress(), m.userAgent(), m.firstSeen(), Instant.now()));
    }

    /** An HTTP request from the machine (User-Agent such as iPXE/1.21.1 or UefiHttpBoot/1.0). */
    public void observeHttp(MacAddress mac, String ip, String userAgent) {
        update(mac, m -> new Machine(mac, ip != null ? ip : m.ip(), m.vendorClass(), m.arch(), m.kind(), m.uuid(),
                m.stage(), m.detail(), m.progress(), userAgent != null ? userAgent : m.userAgent(), m.firstSeen(), Instant.now()));
    }

    /** Moves the machine to {@code stage} with a short detail; progress -1 when nothing is downloading. */
    public void stage(MacAddress mac, BootStage stage, String detail, double progress) {
        update(mac, m -> new Machine(mac, m.ip(), m.vendorClass(), m.arch(), m.kind(), m.uuid(), stage, detail, progress,
                m.userAgent(), m.firstSeen(), Instant.now()));
    }

    private void update(MacAddress mac, UnaryOperator<Machine> change) {
        Instant now = Instant.now();
        Machine updated = machines.compute(mac, (k, old) -> change.apply(old != null ? old
                : new Machine(mac, null, null, ClientArch.UNKNOWN, ClientKind.OTHER, null, BootStage.DISCOVERED, "", -1, null, now, now)));
        if (updated.ip() != null) {
            byIp.put(updated.ip(), mac);
        }
        journal.machine(updated);
        for (Consumer<Machine> l : listeners) {
            l.accept(updated);
        }
    }
}
