package io.bootdesk.engine;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.ConsoleBindingStore;
import io.bootdesk.console.MachineControl;
import io.bootdesk.console.MachineControl.Ability;
import io.bootdesk.console.MachineControl.Power;
import io.bootdesk.console.MachineControl.PowerAction;
import io.bootdesk.console.MachineControls;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.store.Database;
import io.bootdesk.store.SecretStore;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The buttons of a machine's network console, for the CLI and the GUI: power, keys, virtual media, snapshots and
 * {@link BootNow Boot now}. Every action that changes the machine is journaled as a CONSOLE event of the machine
 * (failures with the adapter's sentence); snapshots are not (they are polled). The binding and its password are
 * read when an action starts, so a re-bind takes effect at the next one. Boot now runs on a small executor, one per
 * machine at a time.
 */
public final class MachineActions implements AutoCloseable {

    /** Where Boot now points a UEFI machine's firmware: a URI, or null and why not (then it is PXE). */
    public record HttpBoot(URI uri, String whyNot) {
        public static HttpBoot no(String why) {
            return new HttpBoot(null, why);
        }
    }

    /** Key presses during Boot now when not told otherwise: about one a second for this long. */
    public static final Duration DEFAULT_KEY_TIME = Duration.ofSeconds(20);

    private final Database db;
    private final Consumer<BootEvent> journal;
    private final Function<MacAddress, HttpBoot> httpBoot;
    private final Map<MacAddress, BootNow> running = new ConcurrentHashMap<>();
    private final Map<MacAddress, Cached> snapshotters = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    /** Between key presses during Boot now (tests shorten it). */
    volatile Duration keyInterval = Duration.ofSeconds(1);

    private record Cached(ConsoleBinding binding, String password, MachineControl control) {
    }

    /**
     * @param db       where bindings and the console passwords are read
     * @param journal  records one event (the engine's event log when serving, so the window sees it at once)
     * @param httpBoot where a machine's one-time UEFI HTTP boot would go
     */
    public MachineActions(Database db, Consumer<BootEvent> journal, Function<MacAddress, HttpBoot> httpBoot) {
        this.db = db;
        this.journal = journal;
        this.httpBoot = httpBoot;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bootdesk-boot-now-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public Optional<ConsoleBinding> binding(MacAddress mac) {
        return Optional.ofNullable(new ConsoleBindingStore(db).all().get(mac));
    }

    /** What the machine's binding can be expected to do (empty: no binding, or a serial one). */
    public Set<Ability> expected(MacAddress mac) {
        return binding(mac).map(MachineControls::expected).orElse(Set.of());
    }

    /** Opens the machine's console control (the caller closes it). */
    public MachineControl open(MacAddress mac) throws IOException {
        ConsoleBinding b = binding(mac).orElseThrow(() -> new IOException("Machine " + mac + " has no console binding;"
                + " bind one first (bootdesk console bind " + mac + " pikvm|redfish|jetkvm ADDRESS)."));
        return MachineControls.open(b, password(mac));
    }

    private String password(MacAddress mac) {
        return new SecretStore(db).consolePassword(mac).orElse(null);
    }

    void journal(MacAddress mac, String message) {
        journal.accept(BootEvent.of(mac, null, EventType.CONSOLE, message));
    }

    /** The newest journal entry's id: Boot now watches for the machine's network boot after it. */
    long lastEventId() {
        return db.read("reading the newest event", c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM events")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /**
     * Whether the machine asked for a network boot after journal entry {@code afterId}: a DHCP DISCOVER that a serve
     * on this data dir (this process or another) answered, journaled as its DHCP or proxyDHCP offer. A renewal of a
     * running system is a REQUEST, never a DISCOVER, so it does not count. Returns what was seen, for the timeline.
     */
    Optional<String> networkBootAfter(MacAddress mac, long afterId) {
        return db.read("looking for a network boot of " + mac, c -> {
            try (var ps = c.prepareStatement("SELECT type FROM events WHERE mac = ? AND id > ? AND type IN"
                    + " ('DHCP_OFFER', 'PROXY_OFFER') ORDER BY id LIMIT 1")) {
                ps.setString(1, mac.toString());
                ps.setLong(2, afterId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1).equals("PROXY_OFFER") ? "proxyDHCP DISCOVER"
                            : "DHCP DISCOVER") : Optional.<String>empty();
                }
            }
        });
    }

    /** The power state (not journaled). */
    public Power powerState(MacAddress mac) throws IOException {
        try (MachineControl c = open(mac)) {
            require(c, Ability.POWER_STATE, "tell whether the machine is on");
            return c.powerState();
        }
    }

    /** Switches power; journaled with what the device was told. Returns that. */
    public String power(MacAddress mac, PowerAction action) throws IOException {
        String what = "power " + action.name().toLowerCase(Locale.ROOT).replace('_', '-');
        try (MachineControl c = open(mac)) {
            require(c, Ability.POWER, "switch the machine's power");
            String said = c.powerSaying(action);
            journal(mac, what + ": " + said + " through " + c.describe());
            return said;
        } catch (IOException | RuntimeException e) {
            journal(mac, what + " failed: " + message(e));
            throw e;
        }
    }

    /** Presses a key or chord; journaled. */
    public void pressKeys(MacAddress mac, String chord) throws IOException {
        try (MachineControl c = open(mac)) {
            require(c, Ability.KEYS, "press keys");
            c.pressKeys(chord);
            journal(mac, "key " + chord + " pressed through " + c.describe());
        } catch (IOException | RuntimeException e) {
            journal(mac, "key " + chord + " failed: " + message(e));
            throw e;
        }
    }

    /** Attaches the image at {@code url} as a CD-ROM or a disk; journaled. */
    public void mountMedia(MacAddress mac, URI url, boolean cdrom) throws IOException {
        String what = url + " as a " + (cdrom ? "CD-ROM" : "disk");
        try (MachineControl c = open(mac)) {
            require(c, Ability.VIRTUAL_MEDIA, "attach virtual media");
            c.mountMedia(url, cdrom);
            journal(mac, "virtual media: " + what + " connected through " + c.describe());
        } catch (IOException | RuntimeException e) {
            journal(mac, "virtual media " + what + " failed: " + message(e));
            throw e;
        }
    }

    /**
     * A JPEG of the machine's screen no larger than the size given (not journaled: the window polls it). Keeps the
     * control open between calls while the binding and password stay the same.
     */
    public byte[] snapshot(MacAddress mac, int maxWidth, int maxHeight) throws IOException {
        ConsoleBinding b = binding(mac).orElseThrow(() -> new IOException("Machine " + mac + " has no console binding."));
        String pw = password(mac);
        Cached c = snapshotters.get(mac);
        if (c == null || !c.binding.equals(b) || !Objects.equals(c.password, pw)) {
            if (c != null) {
                c.control.close();
            }
            c = new Cached(b, pw, MachineControls.open(b, pw));
            snapshotters.put(mac, c);
        }
        require(c.control, Ability.SNAPSHOT, "take a snapshot of the screen");
        return c.control.snapshotJpeg(maxWidth, maxHeight);
    }

    /** The console's own web UI from the binding (nothing is opened), or empty. */
    public Optional<URI> webUi(MacAddress mac) {
        return binding(mac).map(MachineControls::webUi);
    }

    /**
     * Starts Boot now for the machine on the executor: journaled step by step; {@code keyTime} is how long a KVM
     * presses the boot key (about once a second).
     *
     * @throws IllegalStateException when one is already running for the machine
     */
    public BootNow bootNow(MacAddress mac, Duration keyTime) {
        BootNow b = new BootNow(this, mac, keyTime == null ? DEFAULT_KEY_TIME : keyTime, keyInterval);
        if (running.putIfAbsent(mac, b) != null) {
            throw new IllegalStateException("Boot now is already running for " + mac + "; cancel it or wait.");
        }
        try {
            executor.execute(() -> {
                BootNow.Outcome o = BootNow.Outcome.FAILED;
                try {
                    o = b.run();
                } finally {
                    running.remove(mac, b); // before done(): whoever waits on it may start the next one
                    b.finish(o);
                }
            });
        } catch (RuntimeException e) {
            running.remove(mac, b);
            throw e;
        }
        return b;
    }

    /** The Boot now running for the machine, if any. */
    public Optional<BootNow> bootNowRunning(MacAddress mac) {
        return Optional.ofNullable(running.get(mac));
    }

    HttpBoot httpBoot(MacAddress mac) {
        try {
            HttpBoot h = httpBoot.apply(mac);
            return h == null ? HttpBoot.no("no boot URL known") : h;
        } catch (RuntimeException e) {
            return HttpBoot.no(e.getMessage());
        }
    }

    static void require(MachineControl c, Ability a, String what) {
        if (!c.abilities().contains(a)) {
            throw new UnsupportedOperationException("The " + c.describe() + " cannot " + what + ".");
        }
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
    }

    @Override
    public void close() {
        running.values().forEach(BootNow::cancel);
        executor.shutdownNow();
        snapshotters.values().forEach(c -> c.control.close());
        snapshotters.clear();
    }
}
