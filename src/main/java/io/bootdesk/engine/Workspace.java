package io.bootdesk.engine;

import io.bootdesk.core.ImageLibrary;
import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.store.AssignmentStore;
import io.bootdesk.store.Batch;
import io.bootdesk.store.Database;
import io.bootdesk.store.EnrolmentStore;
import io.bootdesk.store.EventStore;
import io.bootdesk.store.SecretStore;
import io.bootdesk.store.MachineStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data dir without the servers: what the short CLI commands (and later the GUI) change and read. A running
 * {@code serve} on the same data dir picks up image and assignment changes within a second.
 */
public final class Workspace implements AutoCloseable {
    private final Path dataDir;
    private final Database db;
    private final ImageLibrary images;
    private final AssignmentStore assignments;

    private final boolean ownsDb;

    private Workspace(Path dataDir, Database db, boolean ownsDb) {
        this.dataDir = dataDir;
        this.db = db;
        this.ownsDb = ownsDb;
        this.images = new ImageLibrary(dataDir, db);
        this.assignments = new AssignmentStore(db);
    }

    public static Workspace open(Path dataDir) {
        return new Workspace(dataDir, Database.open(dataDir), true);
    }

    /**
     * A workspace on a running engine's own database connection, so the operator's writes queue behind the engine's
     * journal on one connection instead of racing it from a second one (SQLite then refuses a deferred transaction
     * whose snapshot went stale with SQLITE_BUSY at once). Closing it leaves the engine's database open.
     */
    static Workspace over(Path dataDir, Database db) {
        return new Workspace(dataDir, db, false);
    }

    public BootImage addLinuxImage(String name, Path kernel, List<Path> initrds, String cmdline) throws IOException {
        return images.addLinux(name, kernel, initrds, cmdline);
    }

    public BootImage addScriptImage(String name, Path script) throws IOException {
        return images.addScript(name, script);
    }

    public BootImage addEfiImage(String name, Path efi) throws IOException {
        return images.addEfi(name, efi);
    }

    public boolean removeImage(String name) throws IOException {
        return images.remove(name);
    }

    public List<BootImage> images() {
        return images.list();
    }

    public Path imageFolder() {
        return images.root();
    }

    public void assign(MacAddress mac, String image, boolean once) {
        assignments.put(new Assignment(mac, image, once, Instant.now()));
        journal(mac, EventType.ASSIGNMENT, "assigned " + image + (once ? " for one boot" : ""));
    }

    public boolean unassign(MacAddress mac) {
        boolean had = assignments.delete(mac);
        if (had) {
            journal(mac, EventType.ASSIGNMENT, "assignment removed");
        }
        return had;
    }

    /**
     * What one operator action changed, so it can be undone: the machines' assignments before it (a null value: the
     * machine had none).
     */
    public record AssignmentChange(String image, boolean once, Map<MacAddress, Assignment> before) {
        public AssignmentChange {
            before = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(before));
        }
    }

    /** Assigns {@code image} to every machine in {@code macs}; returns what it replaced. The image must exist. */
    public AssignmentChange assignAll(Collection<MacAddress> macs, String image, boolean once) {
        if (images.get(image).isEmpty()) {
            throw new IllegalArgumentException("there is no image named '" + image + "'");
        }
        Map<MacAddress, Assignment> current = new LinkedHashMap<>();
        for (Assignment a : assignments.all()) {
            current.put(a.mac(), a);
        }
        Map<MacAddress, Assignment> before = new LinkedHashMap<>();
        for (MacAddress mac : macs) {
            before.put(mac, current.get(mac));
        }
        for (MacAddress mac : before.keySet()) {
            assign(mac, image, once);
        }
        return new AssignmentChange(image, once, before);
    }

    /** Puts back what {@code change} replaced: each machine's earlier assignment, or none. */
    public void undo(AssignmentChange change) {
        for (Map.Entry<MacAddress, Assignment> e : change.before().entrySet()) {
            Assignment was = e.getValue();
            if (was == null) {
                if (assignments.delete(e.getKey())) {
                    journal(e.getKey(), EventType.ASSIGNMENT, "undo: assignment removed again");
                }
            } else {
                assignments.put(new Assignment(was.mac(), was.image(), was.once(), Instant.now()));
                journal(e.getKey(), EventType.ASSIGNMENT, "undo: " + was.image()
                        + (was.once() ? " for one boot" : "") + " assigned again");
            }
        }
    }

    /** Unassigns every machine in {@code macs}; returns what it removed, for undo. */
    public AssignmentChange unassignAll(Collection<MacAddress> macs) {
        Map<MacAddress, Assignment> current = new LinkedHashMap<>();
        for (Assignment a : assignments.all()) {
            current.put(a.mac(), a);
        }
        Map<MacAddress, Assignment> before = new LinkedHashMap<>();
        for (MacAddress mac : macs) {
            before.put(mac, current.get(mac));
            unassign(mac);
        }
        return new AssignmentChange("(none)", false, before);
    }

    public Optional<Assignment> assignment(MacAddress mac) {
        return assignments.all().stream().filter(a -> a.mac().equals(mac)).findFirst();
    }

    public Optional<BootImage> image(String name) {
        return images.get(name);
    }

    /** The operator's changes are part of the journal too. */
    private void journal(MacAddress mac, EventType type, String message) {
        new Batch(List.of(BootEvent.of(mac, null, type, message)), List.of(), List.of(), List.of()).commit(db);
    }

    public List<Assignment> assignments() {
        return assignments.all();
    }

    /** Bumped by every image or assignment change, by any process. */
    public long configRevision() {
        return db.configRevision();
    }

    public List<Machine> machines() {
        return new MachineStore(db).all();
    }

    /**
     * Vendor names from MAC addresses ({@code core.MacVendors}: the built-in table and, if Debian's ieee-data is
     * installed, the IEEE registry, read here: a blocking read of a few MB). "" when unknown.
     */
    public java.util.function.Function<MacAddress, String> macVendors() {
        io.bootdesk.core.MacVendors v = io.bootdesk.core.MacVendors.system();
        v.load();
        return v::describe;
    }

    public List<BootEvent> events(MacAddress mac, int limit) {
        return new EventStore(db).recent(mac, limit);
    }

    /**
     * The certificate authority of this data dir (created on first use). {@code input} says where a passphrase for
     * its key comes from besides the environment (see {@link CaPassphrases}).
     */
    public Certificates certificates(CaPassphrases.Input input) {
        return new Certificates(dataDir, db, input, System.getenv());
    }

    /** Sets a machine's secret; scripts use it as {{ secret.NAME }} and get it only over mutual TLS. */
    public void setSecret(MacAddress mac, String name, String value) {
        new SecretStore(db).put(mac, name, value);
        journal(mac, EventType.NOTICE, "secret " + name + " set"); // the name only, never the value
    }

    public boolean unsetSecret(MacAddress mac, String name) {
        boolean had = new SecretStore(db).delete(mac, name);
        if (had) {
            journal(mac, EventType.NOTICE, "secret " + name + " removed");
        }
        return had;
    }

    /** The names of a machine's secrets (never the values). */
    public List<String> secretNames(MacAddress mac) {
        return List.copyOf(new SecretStore(db).all().getOrDefault(mac, java.util.Map.of()).keySet());
    }

    /** Approves network enrolment: the machine's next server-authenticated script carries its key, once. */
    public void approveEnrolment(MacAddress mac) {
        new EnrolmentStore(db).approve(mac);
        journal(mac, EventType.NOTICE, "network enrolment approved: the next HTTPS script carries the machine's key, once");
    }

    public boolean withdrawEnrolment(MacAddress mac) {
        boolean had = new EnrolmentStore(db).remove(mac);
        if (had) {
            journal(mac, EventType.NOTICE, "network enrolment approval withdrawn");
        }
        return had;
    }

    @Override
    public void close() {
        if (ownsDb) {
            db.close();
        }
    }
}
