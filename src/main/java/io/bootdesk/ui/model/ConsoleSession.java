package io.bootdesk.ui.model;

import io.bootdesk.core.BootPlan;
import io.bootdesk.core.BootRequest;
import io.bootdesk.core.MacVendors;
import io.bootdesk.engine.BootMedium;
import io.bootdesk.engine.CaPassphrases;
import io.bootdesk.engine.DhcpProbe;
import io.bootdesk.engine.Engine;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.NetworkInterfaces;
import io.bootdesk.engine.PortCheck;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's link to the engine, without a window: opens the data dir, runs the set-up's checks, starts and
 * stops the engine, and carries out the operator's actions through {@link Workspace} and {@link Engine}, exactly
 * as {@code bootdesk assign} and {@code serve} do. Engine threads only hand updates to the {@link UpdateCoalescer};
 * database work runs on the session's own thread ({@link #async}), never on the UI thread.
 */
public final class ConsoleSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleSession.class);

    private final ConsoleOptions options;
    private final Workspace workspace;
    private final UpdateCoalescer updates = new UpdateCoalescer();
    private final UndoStack undo = new UndoStack();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bootdesk-console");
        t.setDaemon(true);
        return t;
    });
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private volatile Engine engine;
    private final MacVendors vendors = MacVendors.system();
    /** The IEEE registry is read once, off the UI thread, while the window opens. */
    private final CompletableFuture<MacVendors> vendorsLoaded = CompletableFuture.supplyAsync(() -> {
        vendors.load();
        return vendors;
    });

    public ConsoleSession(ConsoleOptions options) {
        this.options = options;
        this.workspace = Workspace.open(options.dataDir());
        poller.scheduleWithFixedDelay(this::pollDatabase, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * While this window runs no engine, another process may ({@code bootdesk serve} on the same data dir): its
     * machine rows (written every half second) and any assignment change reach the table through the database.
     */
    static final long POLL_MS = 1000;
    private final java.util.concurrent.ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bootdesk-console-poll");
        t.setDaemon(true);
        return t;
    });
    private final Map<MacAddress, Machine> polledSeen = new HashMap<>();
    private long polledRevision = -1;
    private String polledCertificates = "";

    private void pollDatabase() {
        pollCertificates();
        if (engine != null) {
            polledSeen.clear();
            polledRevision = -1;
            return;
        }
        try {
            Map<MacAddress, Machine> now = new HashMap<>();
            for (Machine m : workspace.machines()) {
                now.put(m.mac(), m);
                if (!m.equals(polledSeen.get(m.mac()))) {
                    updates.machine(m); // new, seen again, renamed
                }
            }
            if (!polledSeen.isEmpty()) {
                for (MacAddress mac : polledSeen.keySet()) {
                    if (!now.containsKey(mac)) {
                        updates.forgotten(mac); // forgotten in another process
                    }
                }
            }
            polledSeen.clear();
            polledSeen.putAll(now);
            long rev = workspace.configRevision();
            if (rev != polledRevision) {
                polledRevision = rev;
                publishAssignments();
            }
        } catch (RuntimeException e) {
            log.debug("polling the database: {}", e.toString());
        }
    }

    /**
     * Certificates issued, revoked or verified (by the engine's HTTPS server, or another process): the certificate
     * column follows within a second, with or without an engine here.
     */
    private void pollCertificates() {
        try {
            String stamp = workspace.certificateStamp(); // a read: the session's own connection will do
            if (!stamp.equals(polledCertificates)) {
                polledCertificates = stamp;
                updates.certificates(certificates());
            }
        } catch (RuntimeException e) {
            log.debug("polling certificates: {}", e.toString());
        }
    }

    /** Vendor names from MAC addresses: the built-in table at once, the IEEE registry once {@link #vendorsLoaded}. */
    public MacVendors vendors() {
        return vendors;
    }

    /** Completes (off the UI thread) when the IEEE registry, if installed, was read. */
    public CompletableFuture<MacVendors> vendorsLoaded() {
        return vendorsLoaded;
    }

    public ConsoleOptions options() {
        return options;
    }

    public Path dataDir() {
        return options.dataDir();
    }

    public UpdateCoalescer updates() {
        return updates;
    }

    public UndoStack undoStack() {
        return undo;
    }

    /** Runs database or network work on the session's thread. */
    public <T> CompletableFuture<T> async(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, worker);
    }

    // ------------------------------------------------------------------ set-up

    public Optional<SavedSetup> savedSetup() {
        return SavedSetup.load(options.dataDir());
    }

    /** Interfaces to offer: every one but loopback (unless the options show it). */
    public List<NetworkInterfaces.Nic> interfaces() {
        return NetworkInterfaces.list().stream().filter(n -> options.showLoopback() || !n.loopback()).toList();
    }

    /** One DISCOVER from {@code nic} only; call only after the operator agreed. */
    public DhcpProbe.Result probe(NetworkInterfaces.Nic nic) {
        byte[] mac = nic.mac().isEmpty() ? new byte[] {0x02, 0, 0, 0, 0, 1}
                : HexFormat.ofDelimiter(":").parseHex(nic.mac());
        return DhcpProbe.run(new DhcpProbe.Target(nic.name(), mac, options.probeServerPort(), options.probeClientPort()),
                options.probeWait());
    }

    public EngineConfig configFor(SavedSetup setup) {
        return options.engine().with(setup.interfaceName(), setup.mode());
    }

    public List<PortCheck.Result> checkPorts(NetworkInterfaces.Nic nic, DhcpMode mode) {
        return PortCheck.check(configFor(new SavedSetup(nic.name(), mode)), nic.name(), nic.ipv4());
    }

    /** Starts serving on the choice and remembers it once the engine runs (a failed start remembers nothing). */
    public Engine completeSetup(SavedSetup setup) throws IOException {
        Engine e = start(setup);
        setup.save(options.dataDir());
        return e;
    }

    // ------------------------------------------------------------------ engine

    public Optional<Engine> engine() {
        return Optional.ofNullable(engine);
    }

    public boolean serving() {
        return engine != null;
    }

    /** Starts the engine for {@code setup}; fails as a whole with the engine's sentence. */
    public synchronized Engine start(SavedSetup setup) throws IOException {
        if (engine != null) {
            return engine;
        }
        Engine e = Engine.start(configFor(setup));
        follow(e);
        return e;
    }

    /**
     * Shows an engine started elsewhere (the demo's, inside its own network namespace) as this session's engine;
     * {@link #stop()} closes it. The session must be on the engine's data dir.
     */
    public synchronized void adopt(Engine e) {
        if (engine != null) {
            throw new IllegalStateException("this session already runs an engine");
        }
        if (!e.config().dataDir().toAbsolutePath().normalize().equals(options.dataDir().toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("the engine serves " + e.config().dataDir() + ", this session shows "
                    + options.dataDir());
        }
        follow(e);
    }

    private void follow(Engine e) {
        subscriptions.add(e.inventory().onChange(updates::machine));
        subscriptions.add(e.inventory().onForget(updates::forgotten));
        subscriptions.add(e.bus().subscribe(updates::event));
        subscriptions.add(e.catalog().onChange(() -> worker.execute(this::publishAssignments)));
        engine = e;
    }

    public synchronized void stop() {
        Engine e = engine;
        engine = null;
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception ex) {
                log.debug("unsubscribing: {}", ex.toString());
            }
        }
        subscriptions.clear();
        if (e != null) {
            e.close();
        }
    }

    /**
     * The toolbar's chips: each server of the running engine with its state (empty when not serving). Reads the
     * engine's state, so the window never keeps its own idea of what runs.
     */
    public List<ServerChip> serverChips() {
        Engine e = engine;
        if (e == null) {
            return List.of();
        }
        return e.servers().stream().map(s -> ServerChip.of(s, e.config(), e.running(s))).toList();
    }

    /**
     * Stops one server if it runs, else starts it (on its port; a port taken meanwhile fails with the engine's
     * sentence); the engine journals it. Returns the server's chip afterwards.
     */
    public ServerChip toggleServer(io.bootdesk.engine.Server server) throws IOException {
        Engine e = engine;
        if (e == null) {
            throw new IllegalStateException("BootDesk is not serving: start it first");
        }
        if (e.running(server)) {
            e.stop(server);
        } else {
            e.start(server);
        }
        return ServerChip.of(server, e.config(), e.running(server));
    }

    /** The running engine's workspace (one database connection with its journal), else the session's own. */
    private Workspace ws() {
        Engine e = engine;
        return e != null ? e.workspace() : workspace;
    }

    // ------------------------------------------------------------------ reads

    /** The machine table as it stands: the running engine's inventory, or the last one written to the database. */
    public Collection<Machine> machines() {
        Engine e = engine;
        return e != null ? e.inventory().all() : ws().machines();
    }

    public Map<MacAddress, Assignment> assignments() {
        Map<MacAddress, Assignment> m = new HashMap<>();
        for (Assignment a : ws().assignments()) {
            m.put(a.mac(), a);
        }
        return m;
    }

    /** Each machine's newest client certificate from the CA's ledger (empty when there is no CA yet). */
    public Map<MacAddress, CertificateView> certificates() {
        try {
            return CertificateView.byMachine(ws().certificates(CaPassphrases.Input.NONE).list(), java.time.Instant.now());
        } catch (RuntimeException e) {
            log.warn("reading the certificate ledger failed: {}", e.getMessage());
            return Map.of();
        }
    }

    /** Issues a client certificate for the machine (the CA's key passphrase, if any, comes from the environment). */
    public io.bootdesk.model.CertificateInfo issueCertificate(MacAddress mac, String name) {
        return ws().certificates(CaPassphrases.Input.NONE).issue(mac, name == null || name.isBlank() ? null : name, null, true);
    }

    public List<io.bootdesk.model.CertificateInfo> revokeCertificate(MacAddress mac) {
        return ws().certificates(CaPassphrases.Input.NONE).revoke(mac, io.bootdesk.model.RevocationReason.CESSATION_OF_OPERATION);
    }

    /**
     * The boot medium dialog's starting values for a machine: the running engine's address and mutual-TLS port (or
     * the console's engine settings and {@code ${next-server}} while not serving), its iPXE dir.
     */
    public BootMedium bootMedium(MacAddress mac, Path out) {
        Engine e = engine;
        return BootMedium.forMachine(mac, out, e != null ? e.config() : options.engine(), e != null ? e.serverIp() : null);
    }

    /**
     * Writes a boot medium through the CA exactly as {@code bootdesk media create} does (issuing the machine a client
     * certificate if it has none; the image holds its key). Slow (a few MB): call it through {@link #async}.
     */
    public BootMedium.Written createBootMedium(BootMedium medium) throws IOException {
        return ws().certificates(CaPassphrases.Input.NONE).createBootMedium(medium);
    }

    public List<ImageView> images() {
        Path root = ws().imageFolder();
        return ws().images().stream().map(i -> ImageView.of(i, root)).toList();
    }

    public List<BootEvent> events(MacAddress mac, int limit) {
        return ws().events(mac, limit);
    }

    /**
     * The script the engine serves this machine now (secrets masked), and the planner's reason. Asks the planner
     * directly: nothing is journaled and the machine's stage does not change.
     */
    public String script(MacAddress mac) {
        Engine e = engine;
        if (e == null) {
            return "# BootDesk is not serving: start it to see the script this machine gets.";
        }
        e.catalog().refresh();
        BootPlan plan = e.planner().plan(BootRequest.script(mac, BootRequest.Step.SCRIPT));
        String text = switch (plan) {
            case BootPlan.Script s -> s.text();
            case BootPlan.Wait w -> w.text();
            default -> "";
        };
        return withWhy(plan.why(), ScriptMask.mask(text));
    }

    /** The planner's reason as a comment under the {@code #!ipxe} line, which must stay first for iPXE. */
    static String withWhy(String why, String script) {
        String comment = "# " + why + "\n";
        if (script.startsWith("#!")) {
            int eol = script.indexOf('\n');
            return eol < 0 ? script + "\n" + comment : script.substring(0, eol + 1) + comment + script.substring(eol + 1);
        }
        return comment + script;
    }

    // ------------------------------------------------------------------ actions

    /** Assigns {@code image} to the machines (the engine serves it at once) and makes it undoable. */
    public Workspace.AssignmentChange assign(Collection<MacAddress> macs, String image, boolean once) {
        Workspace.AssignmentChange c = ws().assignAll(macs, image, once);
        undo.push(new UndoStack.Entry((once ? "boot " + image + " once on " : "assign " + image + " to ")
                + count(macs.size()), c));
        changed();
        return c;
    }

    public Workspace.AssignmentChange unassign(Collection<MacAddress> macs) {
        Workspace.AssignmentChange c = ws().unassignAll(macs);
        undo.push(new UndoStack.Entry("unassign " + count(macs.size()), c));
        changed();
        return c;
    }

    /** Undoes the newest change; empty when there is none. */
    public Optional<UndoStack.Entry> undo() {
        Optional<UndoStack.Entry> e = undo.pop();
        e.ifPresent(x -> {
            ws().undo(x.change());
            changed();
        });
        return e;
    }

    /**
     * Names a machine through the store, like {@code bootdesk name} (journaled; a blank name clears it); a running
     * engine here has it in its rows at once. Returns the name as stored ("" when cleared).
     *
     * @throws IllegalArgumentException if the name is longer than {@value Machine#MAX_NAME_LENGTH} characters
     */
    public String rename(MacAddress mac, String name) {
        String n = ws().rename(mac, name);
        Engine e = engine;
        if (e != null) {
            e.inventory().named(mac, n);
        }
        return n == null ? "" : n;
    }

    /**
     * Forgets the machines, like {@code bootdesk forget}: rows and assignments go (journaled), their events stay.
     * Their rows leave the table with the next update. Returns how many there were.
     */
    public int forget(Collection<MacAddress> macs) {
        ws().forget(macs);
        Engine e = engine;
        if (e != null) {
            e.inventory().refresh(); // applies the forgets now: its onForget takes the rows out of the table
        } else {
            macs.forEach(updates::forgotten);
        }
        changed();
        return macs.size();
    }

    public BootImage addImage(ImageDrop drop) throws IOException {
        if (!drop.ok()) {
            throw new IllegalArgumentException(drop.problem());
        }
        BootImage i = switch (drop.kind()) {
            case LINUX -> ws().addLinuxImage(drop.name(), drop.main(), drop.initrds(), "");
            case EFI -> ws().addEfiImage(drop.name(), drop.main());
            case SCRIPT -> ws().addScriptImage(drop.name(), drop.main());
        };
        changed();
        return i;
    }

    public BootImage editLinuxCmdline(String image, String cmdline) throws IOException {
        BootImage i = ws().image(image).orElseThrow(() -> new IllegalArgumentException("no image " + image));
        Path dir = ws().imageFolder().resolve(i.name());
        // re-adding from the store's own files keeps them (hard links) and replaces the record
        BootImage updated = ws().addLinuxImage(i.name(), dir.resolve(i.kernel()),
                i.initrds().stream().map(dir::resolve).toList(), cmdline);
        changed();
        return updated;
    }

    /**
     * Renames an image through the engine, like {@code bootdesk image rename}: its files move, its assignments follow
     * (journaled), a running engine serves the new name at once, and Undo entries that name it follow it too.
     *
     * @throws IllegalArgumentException if the new name is invalid or taken, or there is no such image
     */
    public Workspace.ImageRenamed renameImage(String from, String to) throws IOException {
        Workspace.ImageRenamed r = ws().renameImage(from, to.strip());
        undo.imageRenamed(from, r.image().name());
        changed();
        return r;
    }

    /**
     * Replaces a script image's script, like {@code bootdesk image edit} (it must start with #!ipxe); a running
     * engine serves it at once.
     */
    public BootImage editScript(String image, String text) throws IOException {
        BootImage i = ws().editScriptImage(image, text);
        changed();
        return i;
    }

    public boolean removeImage(String name) throws IOException {
        boolean r = ws().removeImage(name);
        changed();
        return r;
    }

    // ------------------------------------------------------------------ network consoles

    private io.bootdesk.engine.MachineActions machineActions;

    /**
     * The machines' console buttons (power, keys, snapshots, Boot now). Steps go to the running engine's event log
     * (so they reach the window with its other events) or, while nothing serves, to the journal and the window
     * directly; Boot now uses the engine's UEFI HTTP loader URL where it can. One for the session: one Boot now per
     * machine at a time, whether serving or not.
     */
    public synchronized io.bootdesk.engine.MachineActions machineActions() {
        if (machineActions == null) {
            machineActions = workspace.machineActions(this::consoleEvent, mac -> {
                Engine e = engine;
                return e != null ? e.httpBoot(mac)
                        : io.bootdesk.engine.MachineActions.HttpBoot.no("BootDesk is not serving");
            });
        }
        return machineActions;
    }

    /** The machine's console binding, if it has one. */
    public Optional<io.bootdesk.console.ConsoleBinding> consoleBinding(MacAddress mac) {
        return Optional.ofNullable(workspace.consoleBindings().get(mac));
    }

    /**
     * Binds (or re-binds) a machine's console exactly as {@code bootdesk console bind} does; a running engine attaches
     * a serial one at once instead of at its next poll. {@code password}: null keeps none.
     */
    public void bindConsole(MacAddress mac, io.bootdesk.console.ConsoleBinding binding, String password) {
        workspace.bindConsole(mac, binding, password);
        Engine e = engine;
        if (e != null) {
            e.refreshConsoles();
        }
    }

    /** Removes a machine's console binding (and its password); false if it had none. */
    public boolean unbindConsole(MacAddress mac) {
        boolean had = workspace.unbindConsole(mac);
        Engine e = engine;
        if (e != null) {
            e.refreshConsoles();
        }
        return had;
    }

    private void consoleEvent(io.bootdesk.model.BootEvent ev) {
        Engine e = engine;
        if (e != null) {
            e.events().record(ev, null);
        } else {
            workspace.journal(ev);
            updates.event(ev);
        }
    }

    /** After a change: the running engine takes it now (not at its next poll), and the table gets the snapshot. */
    private void changed() {
        Engine e = engine;
        if (e != null) {
            e.catalog().refresh(); // its onChange publishes the assignments
        } else {
            publishAssignments();
        }
    }

    private void publishAssignments() {
        try {
            updates.assignments(assignments());
        } catch (RuntimeException ex) {
            log.warn("reading assignments failed: {}", ex.getMessage());
        }
    }

    private static String count(int n) {
        return n == 1 ? "1 machine" : n + " machines";
    }

    @Override
    public void close() {
        poller.shutdownNow();
        synchronized (this) {
            if (machineActions != null) {
                machineActions.close();
            }
        }
        stop();
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workspace.close();
    }
}
