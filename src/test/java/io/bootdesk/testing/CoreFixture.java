package io.bootdesk.testing;

import io.bootdesk.core.BootPlanner;
import io.bootdesk.core.BootTracker;
import io.bootdesk.core.Catalog;
import io.bootdesk.core.Endpoints;
import io.bootdesk.core.EventBus;
import io.bootdesk.core.EventLog;
import io.bootdesk.core.ImageLibrary;
import io.bootdesk.core.Inventory;
import io.bootdesk.core.Journal;
import io.bootdesk.core.Loaders;
import io.bootdesk.model.BootEvent;
import io.bootdesk.store.Database;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The engine's shared parts, wired as the engine wires them, over a real SQLite file in a temp dir: for testing
 * one protocol server without the others. Collects every published event.
 */
public final class CoreFixture implements AutoCloseable {
    public final Path dataDir;
    public final Path ipxeDir;
    public final Database db;
    public final Journal journal;
    public final EventBus bus = new EventBus();
    public final Inventory inventory;
    public final EventLog events;
    public final Catalog catalog;
    public final ImageLibrary images;
    public final Loaders loaders;
    public final Endpoints endpoints;
    public final BootPlanner planner;
    public final BootTracker tracker;
    public final List<BootEvent> published = new CopyOnWriteArrayList<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor();

    public CoreFixture(Path tempDir, String serverIp, int httpPort) throws IOException {
        this.dataDir = tempDir.resolve("data");
        this.ipxeDir = Files.createDirectories(tempDir.resolve("ipxe"));
        this.db = Database.open(dataDir);
        this.journal = new Journal(db);
        this.inventory = new Inventory(db, journal);
        this.events = new EventLog(inventory, journal, bus);
        this.catalog = new Catalog(db);
        this.images = new ImageLibrary(dataDir, db);
        this.loaders = new Loaders(ipxeDir, null);
        this.endpoints = new Endpoints(serverIp, httpPort);
        this.planner = new BootPlanner(endpoints, loaders, catalog);
        this.tracker = new BootTracker(catalog, events, background);
        bus.subscribe(published::add);
    }

    /**
     * Holds SQLite's writer (as a slow disk would) until the returned handle is closed: nothing the journal writes
     * can commit meanwhile.
     */
    public AutoCloseable holdWriter() throws InterruptedException {
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread blocker = Thread.ofPlatform().start(() -> db.write("holding the writer", c -> {
            holding.countDown();
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        if (!holding.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not take SQLite's writer");
        }
        return () -> {
            release.countDown();
            blocker.join(10_000);
        };
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
        journal.close();
        db.close();
    }
}
