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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /** Opens the data dir (and imports the names of an old {@code machine-names.properties}, see {@link NamesImport}). */
    public static Workspace open(Path dataDir) {
        Database db = Database.open(dataDir);
        try {
            NamesImport.run(dataDir, db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new Workspace(dataDir, db, true);
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

    /**
     * Renames an image: its files move to {@code images/<to>/}, and machines assigned to it stay assigned to it under
     * the new name (in the same transaction; each such machine's journal says so). A running serve on this data dir
     * serves it under the new name within a second. Returns the renamed image and the machines that followed.
     *
     * @throws IllegalArgumentException if a name is invalid, there is no image {@code from} or {@code to} exists
     */
    public ImageRenamed renameImage(String from, String to) throws IOException {
        ImageLibrary.Renamed r = images.rename(from, to, macs -> macs.stream().map(mac -> BootEvent.of(mac, null,
                EventType.ASSIGNMENT, "image " + from + " renamed to " + to + "; the assignment follows it")).toList());
        return new ImageRenamed(r.image(), r.machines());
    }

    /** An image after a rename, and the machines whose assignment followed it. */
    public record ImageRenamed(BootImage image, List<MacAddress> machines) {
        public ImageRenamed {
            machines = List.copyOf(machines);
        }
    }

    /** Replaces a script image's text with the file's (which must start with #!ipxe, as for adding one). */
    public BootImage editScriptImage(String name, Path script) throws IOException {
        return images.editScript(name, Files.readString(script, StandardCharsets.UTF_8), script.toString());
    }

    /** Replaces a script image's text (which must start with #!ipxe). */
    public BootImage editScriptImage(String name, String text) throws IOException {
        return images.editScript(name, text, "the script");
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

    public Optional<Machine> machine(MacAddress mac) {
        return new MachineStore(db).get(mac);
    }

    /**
     * Names a machine (trimmed, at most {@value Machine#MAX_NAME_LENGTH} characters; empty or null clears the name),
     * journaled as {@link EventType#MACHINE_RENAMED}. A running serve shows it within a second and never writes over
     * it. A machine not seen yet gets a row with just its name. Returns the name as stored (null: none).
     *
     * @throws IllegalArgumentException if the name is too long
     */
    public String rename(MacAddress mac, String name) {
        String n = Machine.normalizeName(name);
        new MachineStore(db).rename(mac, n, (before, after) -> BootEvent.of(mac, null, EventType.MACHINE_RENAMED,
                after == null ? (before == null ? "name cleared (it had none)" : "name '" + before + "' cleared")
                        : before == null ? "named '" + after + "'"
                        : "renamed '" + before + "' to '" + after + "'"));
        return n;
    }

    /**
     * Forgets machines: their rows and assignments go (journaled as {@link EventType#MACHINE_FORGOTTEN}, in the same
     * transaction); their events stay, and so do a lease (it runs out as leases do), certificates and secrets. A
     * running serve drops them from memory within a second; a forgotten machine that boots again comes back as a new
     * one. Returns what each forget removed.
     */
    public List<Forgotten> forget(Collection<MacAddress> macs) {
        MachineStore store = new MachineStore(db);
        List<Forgotten> out = new java.util.ArrayList<>();
        for (MacAddress mac : macs) {
            MachineStore.Forgotten f = store.forget(mac, x -> BootEvent.of(mac, x.machine() == null ? null
                    : x.machine().ip(), EventType.MACHINE_FORGOTTEN, forgetMessage(x)));
            out.add(new Forgotten(mac, f.machine(), f.assignment()));
        }
        return out;
    }

    /** What a forget removed: the machine's row and its assignment (each null when there was none). */
    public record Forgotten(MacAddress mac, Machine machine, Assignment assignment) {
        public boolean knew() {
            return machine != null || assignment != null;
        }
    }

    static String forgetMessage(MachineStore.Forgotten f) {
        StringBuilder s = new StringBuilder("forgotten");
        if (f.machine() != null && f.machine().name() != null) {
            s.append(" (was named '").append(f.machine().name()).append("')");
        }
        s.append(f.assignment() == null ? "; it had no assignment" : "; its assignment of " + f.assignment().image()
                + (f.assignment().once() ? " (once)" : "") + " removed");
        if (f.machine() != null && f.machine().ip() != null) {
            s.append("; a lease of ").append(f.machine().ip()).append(", if any, runs out as leases do");
        }
        return s.toString();
    }

    /** Changes whenever a certificate changes or is verified (what the window polls for its certificate column). */
    public String certificateStamp() {
        return new io.bootdesk.store.CertificateStore(db).stateStamp();
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
        if (SecretStore.CONSOLE_PASSWORD.equals(name)) {
            throw new IllegalArgumentException("'" + name + "' is the console's password, never a script's secret: set it"
                    + " with bootdesk console bind ... --password");
        }
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

    /** The secret that holds a bound console's password (PiKVM, Redfish); see {@link #bindConsole}. */
    public static final String CONSOLE_PASSWORD_SECRET = SecretStore.CONSOLE_PASSWORD;

    /**
     * Binds a machine's console (replacing its binding); a running serve attaches a serial one within its poll
     * interval. A password, when given, is kept as the machine's secret {@value #CONSOLE_PASSWORD_SECRET}, never in
     * the binding.
     */
    public void bindConsole(MacAddress mac, io.bootdesk.console.ConsoleBinding binding, String password) {
        new io.bootdesk.console.ConsoleBindingStore(db).put(mac, binding);
        if (password != null) {
            new SecretStore(db).put(mac, CONSOLE_PASSWORD_SECRET, password);
        }
        journal(mac, EventType.CONSOLE, "console bound: " + binding.describe());
    }

    /** Removes a machine's console binding and its password; false if it had none. */
    public boolean unbindConsole(MacAddress mac) {
        boolean had = new io.bootdesk.console.ConsoleBindingStore(db).delete(mac);
        new SecretStore(db).delete(mac, CONSOLE_PASSWORD_SECRET);
        if (had) {
            journal(mac, EventType.CONSOLE, "console unbound");
        }
        return had;
    }

    /** Every machine's console binding. */
    public Map<MacAddress, io.bootdesk.console.ConsoleBinding> consoleBindings() {
        return new io.bootdesk.console.ConsoleBindingStore(db).all();
    }

    /** Where a machine's console log is (it may not exist yet). */
    public Path consoleLog(MacAddress mac) {
        return io.bootdesk.console.ConsoleLogs.file(dataDir, mac);
    }

    /**
     * The machines' console buttons (power, keys, media, snapshots, Boot now) without a serve: events go straight to
     * the journal, and Boot now uses PXE (this process does not know whether BootDesk serves HTTP). Close it.
     */
    public MachineActions machineActions() {
        return machineActions(e -> { });
    }

    /** As {@link #machineActions()}, telling {@code echo} each journaled event too (the CLI prints Boot now's steps). */
    public MachineActions machineActions(java.util.function.Consumer<BootEvent> echo) {
        return new MachineActions(db, e -> {
            journal(e);
            echo.accept(e);
        }, mac -> MachineActions.HttpBoot.no(
                "this process does not serve HTTP; Boot now from the running BootDesk uses UEFI HTTP where it can"));
    }

    /**
     * Console buttons whose events go to {@code journal} alone (a window routes them through the running engine)
     * and whose Boot now asks {@code httpBoot} where a UEFI machine would boot from.
     */
    public MachineActions machineActions(java.util.function.Consumer<BootEvent> journal,
                                         java.util.function.Function<MacAddress, MachineActions.HttpBoot> httpBoot) {
        return new MachineActions(db, journal, httpBoot);
    }

    Database database() {
        return db;
    }

    /** Journals one event of the operator's (the GUI's console actions while nothing is serving). */
    public void journal(BootEvent e) {
        new Batch(List.of(e), List.of(), List.of(), List.of()).commit(db);
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
