package io.bootdesk.ui.model;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine table's content without the table: machines joined with their assignment, certificate, name and
 * transfer rate, and the toolbar's counts. {@link #apply} takes one drained batch and returns the rows that changed,
 * so the window touches only those. Used on one thread (the UI's).
 */
public final class MachineTableModel {

    /** The toolbar's counts. {@code booting}: between DHCP and the last file; {@code done}: booted. */
    public record Counts(int seen, int booting, int waiting, int done, int failed) {
    }

    private final Map<MacAddress, MachineView> rows = new LinkedHashMap<>();
    private final Map<MacAddress, Machine> machines = new HashMap<>();
    private Map<MacAddress, Assignment> assignments = Map.of();
    private final EnumMap<BootStage, Integer> byStage = new EnumMap<>(BootStage.class);
    private final TransferMeter meter = new TransferMeter();
    private CertificateView.Source certificates = CertificateView.Source.NONE;
    private java.util.function.Function<MacAddress, String> vendors = mac -> "";
    /** Each machine's vendor, looked up once (rows are rebuilt on every update). */
    private final Map<MacAddress, String> vendorOf = new HashMap<>();

    /** Where rows get their MAC's vendor name (e.g. {@code MacVendors::describe}). */
    public void vendors(java.util.function.Function<MacAddress, String> source) {
        this.vendors = source;
        vendorOf.clear();
    }

    /** Vendor names changed (the IEEE registry was read): every row again. */
    public List<MachineView> revendor(java.util.function.Function<MacAddress, String> source) {
        this.vendors = source;
        vendorOf.clear();
        List<MachineView> out = new ArrayList<>(machines.size());
        for (Machine m : List.copyOf(machines.values())) {
            out.add(put(m));
        }
        return out;
    }

    public void certificates(CertificateView.Source source) {
        this.certificates = source;
    }

    /** New certificate states: every row again. */
    public List<MachineView> recertify(CertificateView.Source source) {
        this.certificates = source;
        List<MachineView> out = new ArrayList<>(machines.size());
        for (Machine m : List.copyOf(machines.values())) {
            out.add(put(m));
        }
        return out;
    }

    /** Replaces everything (start-up, engine started or stopped). Returns every row. */
    public List<MachineView> reset(Collection<Machine> all, Map<MacAddress, Assignment> assignments) {
        rows.clear();
        machines.clear();
        byStage.clear();
        this.assignments = Map.copyOf(assignments);
        List<MachineView> out = new ArrayList<>();
        for (Machine m : all) {
            out.add(put(m));
        }
        return out;
    }

    /** Applies one batch; returns the new views of the rows that changed (new rows included). */
    public List<MachineView> apply(UpdateCoalescer.Batch b) {
        Set<MacAddress> changed = new HashSet<>();
        for (BootEvent e : b.events()) {
            if (meter.accept(e)) {
                changed.add(e.mac());
            }
        }
        for (MacAddress mac : b.forgotten()) {
            remove(mac);
        }
        for (Machine m : b.machines()) {
            machines.put(m.mac(), m);
            changed.add(m.mac());
        }
        if (b.certificates() != null) {
            Map<MacAddress, CertificateView> certs = b.certificates();
            certificates = mac -> certs.getOrDefault(mac, CertificateView.NONE);
            for (Map.Entry<MacAddress, MachineView> e : rows.entrySet()) {
                if (!e.getValue().certificate().equals(certificates.of(e.getKey()))) {
                    changed.add(e.getKey());
                }
            }
        }
        if (b.assignments() != null) {
            Map<MacAddress, Assignment> old = assignments;
            assignments = b.assignments();
            Set<MacAddress> macs = new HashSet<>(old.keySet());
            macs.addAll(assignments.keySet());
            for (MacAddress mac : macs) {
                if (!java.util.Objects.equals(old.get(mac), assignments.get(mac))) {
                    changed.add(mac);
                }
            }
        }
        List<MachineView> out = new ArrayList<>(changed.size());
        for (MacAddress mac : changed) {
            Machine m = machines.get(mac);
            if (m != null) {
                out.add(put(m));
            }
        }
        return out;
    }

    /** The operator just changed assignments: show them at once, before the engine's snapshot confirms them. */
    public List<MachineView> assume(Map<MacAddress, Assignment> changes) {
        Map<MacAddress, Assignment> next = new HashMap<>(assignments);
        changes.forEach((mac, a) -> {
            if (a == null) {
                next.remove(mac);
            } else {
                next.put(mac, a);
            }
        });
        assignments = Map.copyOf(next);
        List<MachineView> out = new ArrayList<>();
        for (MacAddress mac : changes.keySet()) {
            Machine m = machines.get(mac);
            if (m != null) {
                out.add(put(m));
            }
        }
        return out;
    }

    /**
     * The operator just renamed the machine: show it at once (the engine's or the database's next row carries the
     * same name). A blank name clears it.
     */
    public MachineView rename(MacAddress mac, String name) {
        Machine m = machines.get(mac);
        return m == null ? null : put(m.withName(name == null || name.isBlank() ? null : name.strip()));
    }

    /** Takes a forgotten machine out; returns whether it was there. */
    public boolean remove(MacAddress mac) {
        machines.remove(mac);
        MachineView old = rows.remove(mac);
        if (old != null) {
            byStage.merge(old.stage(), -1, Integer::sum);
        }
        return old != null;
    }

    private MachineView put(Machine m) {
        machines.put(m.mac(), m);
        MachineView v = MachineView.of(m, m.name(), assignments.get(m.mac()), certificates.of(m.mac()),
                meter.rate(m.mac()), vendorOf.computeIfAbsent(m.mac(), vendors));
        MachineView old = rows.put(m.mac(), v);
        if (old != null) {
            byStage.merge(old.stage(), -1, Integer::sum);
        }
        byStage.merge(v.stage(), 1, Integer::sum);
        return v;
    }

    public MachineView row(MacAddress mac) {
        return rows.get(mac);
    }

    public int size() {
        return rows.size();
    }

    public Map<MacAddress, Assignment> assignments() {
        return assignments;
    }

    public Counts counts() {
        int booting = 0;
        for (BootStage s : List.of(BootStage.DISCOVERED, BootStage.ADDRESSED, BootStage.LOADER, BootStage.SCRIPT,
                BootStage.DOWNLOADING)) {
            booting += byStage.getOrDefault(s, 0);
        }
        return new Counts(rows.size(), booting, byStage.getOrDefault(BootStage.WAITING, 0),
                byStage.getOrDefault(BootStage.BOOTED, 0), byStage.getOrDefault(BootStage.FAILED, 0));
    }
}
