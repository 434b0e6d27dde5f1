package io.bootdesk.core;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.MacAddress;
import io.bootdesk.store.AssignmentStore;
import io.bootdesk.store.Database;
import io.bootdesk.store.EnrolmentStore;
import io.bootdesk.store.ImageStore;
import io.bootdesk.store.SecretStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The in-memory view of images and assignments the servers read without touching the database. It is reloaded
 * when the database's configuration revision changes, so {@code bootdesk assign} in another process takes effect
 * in a running serve within one poll interval.
 */
public final class Catalog {

    private record Snapshot(long revision, Map<String, BootImage> images, Map<MacAddress, Assignment> assignments,
                            Map<MacAddress, Map<String, String>> secrets, Set<MacAddress> enrolments) {
    }

    private final Database db;
    private final ImageStore images;
    private final AssignmentStore assignments;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final SecretStore secrets;
    private final EnrolmentStore enrolments;
    private volatile Snapshot snapshot = new Snapshot(-1, Map.of(), Map.of(), Map.of(), Set.of());

    public Catalog(Database db) {
        this.db = db;
        this.images = new ImageStore(db);
        this.assignments = new AssignmentStore(db);
        this.secrets = new SecretStore(db);
        this.enrolments = new EnrolmentStore(db);
        reload();
    }

    /** Reloads if the database changed since the last load; returns true if it did. Cheap when nothing changed. */
    public synchronized boolean refresh() {
        if (db.configRevision() == snapshot.revision()) {
            return false;
        }
        reload();
        return true;
    }

    private synchronized void reload() {
        long rev = db.configRevision();
        Map<String, BootImage> im = new HashMap<>();
        for (BootImage i : images.all()) {
            im.put(i.name(), i);
        }
        Map<MacAddress, Assignment> as = new HashMap<>();
        for (Assignment a : assignments.all()) {
            as.put(a.mac(), a);
        }
        Map<MacAddress, Map<String, String>> se = new HashMap<>();
        secrets.scriptSecrets().forEach((mac, values) -> se.put(mac, Map.copyOf(values)));
        snapshot = new Snapshot(rev, Map.copyOf(im), Map.copyOf(as), Map.copyOf(se), Set.copyOf(enrolments.approved()));
        listeners.forEach(Runnable::run);
    }

    /** Called (on the refreshing thread) after every reload; close the handle to stop. */
    public AutoCloseable onChange(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public Optional<Assignment> assignment(MacAddress mac) {
        return Optional.ofNullable(snapshot.assignments().get(mac));
    }

    public Optional<BootImage> image(String name) {
        return Optional.ofNullable(snapshot.images().get(name));
    }

    public List<BootImage> images() {
        return List.copyOf(snapshot.images().values());
    }

    /** The machine's secrets (name -> value); only the script renderer of a mutual-TLS request reads them. */
    public Map<String, String> secrets(MacAddress mac) {
        return snapshot.secrets().getOrDefault(mac, Map.of());
    }

    /** The operator approved network enrolment for this machine and its key was not delivered yet. */
    public boolean enrolmentApproved(MacAddress mac) {
        return snapshot.enrolments().contains(mac);
    }

    /** The key went out: the approval is used up. */
    public void enrolmentDelivered(MacAddress mac) {
        if (enrolments.remove(mac)) {
            reload();
        }
    }

    /** Ends a one-time assignment after its boot, unless the operator changed it meanwhile. */
    public void completeOnce(Assignment a) {
        if (assignments.deleteIfUnchanged(a)) {
            reload();
        }
    }
}
