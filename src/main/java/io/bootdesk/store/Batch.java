package io.bootdesk.store;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Everything a running serve writes, collected over a few milliseconds and committed in one transaction.
 *
 * @param forgottenMachines machines whose rows go (a forget made elsewhere, applied to the serve's own writes);
 *                          deleted before {@code machines} are written, so a machine seen again after it was
 *                          forgotten comes back as a new row
 * @param verified          client certificates presented and accepted over mutual TLS: serial -> when
 */
public record Batch(List<BootEvent> events, Collection<Machine> machines, Collection<Lease> leases,
                    Collection<String> releasedLeases, Collection<MacAddress> forgottenMachines,
                    Map<String, Instant> verified) {

    public Batch(List<BootEvent> events, Collection<Machine> machines, Collection<Lease> leases,
                 Collection<String> releasedLeases) {
        this(events, machines, leases, releasedLeases, List.of(), Map.of());
    }

    public boolean isEmpty() {
        return events.isEmpty() && machines.isEmpty() && leases.isEmpty() && releasedLeases.isEmpty()
                && forgottenMachines.isEmpty() && verified.isEmpty();
    }

    /** Commits the batch in one transaction (one fsync). */
    public void commit(Database db) {
        db.write("writing " + events.size() + " events, " + machines.size() + " machines, "
                + (leases.size() + releasedLeases.size()) + " lease changes", c -> {
            LeaseStore.upsert(c, leases);
            LeaseStore.delete(c, releasedLeases);
            MachineStore.delete(c, forgottenMachines);
            MachineStore.upsert(c, machines);
            CertificateStore.verified(c, verified);
            EventStore.insert(c, events);
            return null;
        });
    }
}
