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
import java.util.List;

/**
 * The data dir without the servers: what the short CLI commands (and later the GUI) change and read. A running
 * {@code serve} on the same data dir picks up image and assignment changes within a second.
 */
public final class Workspace implements AutoCloseable {
    private final Path dataDir;
    private final Database db;
    private final ImageLibrary images;
    private final AssignmentStore assignments;

    private Workspace(Path dataDir) {
        this.dataDir = dataDir;
        this.db = Database.open(dataDir);
        this.images = new ImageLibrary(dataDir, db);
        this.assignments = new AssignmentStore(db);
    }

    public static Workspace open(Path dataDir) {
        return new Workspace(dataDir);
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

    /** The operator's changes are part of the journal too. */
    private void journal(MacAddress mac, EventType type, String message) {
        new Batch(List.of(BootEvent.of(mac, null, type, message)), List.of(), List.of(), List.of()).commit(db);
    }

    public List<Assignment> assignments() {
        return assignments.all();
    }

    public List<Machine> machines() {
        return new MachineStore(db).all();
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
        db.close();
    }
}
