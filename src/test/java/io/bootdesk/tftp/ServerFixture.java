package io.bootdesk.tftp;

import io.bootdesk.core.EventBus;
import io.bootdesk.core.EventLog;
import io.bootdesk.core.Inventory;
import io.bootdesk.core.Journal;
import io.bootdesk.core.Loaders;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A TFTP server on 127.0.0.1 (a port the system picks) over a TFTP root and an iPXE directory in a temporary
 * directory, with a real event log (SQLite journal in the same directory) whose events the test can read.
 */
final class ServerFixture implements AutoCloseable {
    final Path root;
    final Path ipxe;
    final Database db;
    final Journal journal;
    final Inventory inventory;
    final EventLog events;
    final List<BootEvent> seen = new CopyOnWriteArrayList<>();
    final TftpServer server;

    ServerFixture(Path dir, long timeoutMillis, int retries) throws IOException {
        root = Files.createDirectories(dir.resolve("tftp"));
        ipxe = Files.createDirectories(dir.resolve("ipxe"));
        db = Database.open(dir.resolve("data"));
        journal = new Journal(db);
        inventory = new Inventory(db, journal);
        EventBus bus = new EventBus();
        bus.subscribe(seen::add);
        events = new EventLog(inventory, journal, bus);
        server = new TftpServer("127.0.0.1", 0, new Loaders(ipxe, root), events, timeoutMillis, retries);
        server.start();
    }

    int port() {
        return server.localPort();
    }

    /** A file of {@code size} pseudo-random bytes under the TFTP root. */
    Path file(String name, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, b);
    }

    /** Waits up to 10 s for an event of {@code type} matching {@code test}. */
    BootEvent await(EventType type, Predicate<BootEvent> test) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            Optional<BootEvent> e = seen.stream().filter(x -> x.type() == type && test.test(x)).findFirst();
            if (e.isPresent()) {
                return e.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + type + " event; seen: " + seen);
    }

    /** Waits up to 10 s until {@code n} events of {@code type} match {@code test}; returns how many there are. */
    long awaitCount(EventType type, Predicate<BootEvent> test, long n) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        long count;
        while ((count = seen.stream().filter(x -> x.type() == type && test.test(x)).count()) < n
                && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return count;
    }

    BootEvent await(EventType type) throws InterruptedException {
        return await(type, e -> true);
    }

    @Override
    public void close() {
        server.close();
        journal.close();
        db.close();
    }
}
