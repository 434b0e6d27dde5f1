package io.bootdesk.store;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.Lease;
import io.bootdesk.model.Machine;
import java.util.Collection;
import java.util.List;

/** Everything a running serve writes, collected over a few milliseconds and committed in one transaction. */
public record Batch(List<BootEvent> events, Collection<Machine> machines, Collection<Lease> leases,
                    Collection<String> releasedLeases) {

    public boolean isEmpty() {
        return events.isEmpty() && machines.isEmpty() && leases.isEmpty() && releasedLeases.isEmpty();
    }

    /** Commits the batch in one transaction (one fsync). */
    public void commit(Database db) {
        db.write("writing " + events.size() + " events, " + machines.size() + " machines, "
                + (leases.size() + releasedLeases.size()) + " lease changes", c -> {
            LeaseStore.upsert(c, leases);
            LeaseStore.delete(c, releasedLeases);
            MachineStore.upsert(c, machines);
            EventStore.insert(c, events);
            return null;
        });
    }
}
