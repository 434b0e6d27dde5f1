package io.bootdesk.dhcp;

import io.bootdesk.core.BootPlanner;
import io.bootdesk.core.BootTracker;
import io.bootdesk.core.Catalog;
import io.bootdesk.core.EventBus;
import io.bootdesk.core.EventLog;
import io.bootdesk.core.Inventory;
import io.bootdesk.core.Journal;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.EventType;
import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import io.bootdesk.store.Database;
import io.bootdesk.store.LeaseStore;
import io.bootdesk.testing.CoreFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A DhcpResponder wired to the real collaborators the engine gives it ({@link CoreFixture}: SQLite in a temp dir,
 * journal, inventory, event bus and log, catalog, planner with Endpoints 10.99.0.1:80) and loaders found in a temp
 * iPXE dir that holds undionly.kpxe and snponly.efi. Only the sockets are missing.
 */
final class ResponderRig implements AutoCloseable {
    static final String SERVER_IP = "10.99.0.1";
    static final int SERVER = Ip4.parse(SERVER_IP);
    static final int DHCP_PORT = 67;
    static final int PXE_PORT = 4011;
    static final long LEASE_SECONDS = 3600;
    /** The boot interface's subnet and the pool capture.sh gave BootDesk: 10.99.0.100-10.99.0.150 on /24. */
    static final Pool POOL = Pool.parseRange("10.99.0.100-10.99.0.150", SERVER, 24, 0);

    private final Path dir;
    CoreFixture core;
    Database db;
    Journal journal;
    Inventory inventory;
    EventBus bus;
    EventLog events;
    Catalog catalog;
    BootPlanner planner;
    BootTracker tracker;
    /** Every event published on the bus, in order. */
    List<BootEvent> published;

    ResponderRig(Path dir) {
        this.dir = dir;
        open();
        try {
            Files.writeString(core.ipxeDir.resolve("undionly.kpxe"), "not really iPXE, only its name matters here");
            Files.writeString(core.ipxeDir.resolve("snponly.efi"), "not really iPXE, only its name matters here");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void open() {
        try {
            core = new CoreFixture(dir, SERVER_IP, 80);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        db = core.db;
        journal = core.journal;
        inventory = core.inventory;
        bus = core.bus;
        events = core.events;
        catalog = core.catalog;
        planner = core.planner;
        tracker = core.tracker;
        published = core.published;
    }

    /** Closes journal and database and opens them again from the same file, like a restart of BootDesk. */
    void reopen() {
        close();
        open();
    }

    static DhcpConfig fullConfig(Pool... pools) {
        return new DhcpConfig(DhcpMode.FULL, "test0", SERVER, List.of(pools), List.of(), LEASE_SECONDS, DHCP_PORT, PXE_PORT);
    }

    static DhcpConfig proxyConfig() {
        return new DhcpConfig(DhcpMode.PROXY, "test0", SERVER, List.of(), List.of(), LEASE_SECONDS, DHCP_PORT, PXE_PORT);
    }

    /** Full mode on {@link #POOL}, with the leases persisted in the database (as the engine starts it). */
    DhcpResponder full() {
        return full(POOL);
    }

    DhcpResponder full(Pool... pools) {
        return new DhcpResponder(fullConfig(pools), planner, events, journal, tracker, persistedLeases());
    }

    DhcpResponder proxy() {
        return new DhcpResponder(proxyConfig(), planner, events, journal, tracker, List.of());
    }

    /** The leases as committed to SQLite (waits for the journal first). */
    List<Lease> persistedLeases() {
        journal.flush().join();
        return new LeaseStore(db).all();
    }

    /** Events published so far of {@code type}, for {@code mac} (null: any machine). */
    List<BootEvent> events(EventType type, MacAddress mac) {
        return published.stream().filter(e -> e.type() == type && (mac == null || mac.equals(e.mac()))).toList();
    }

    /** Where a client's broadcast arrives from: it has no address yet. */
    static InetSocketAddress unconfiguredClient() {
        return new InetSocketAddress(Ip4.inet(0), 68);
    }

    @Override
    public void close() {
        core.close();
    }
}
