package io.bootdesk.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;

/**
 * The SQLite file in the data dir ({@code bootdesk.db}), migrated by Flyway, in WAL mode so a running
 * {@code serve} and CLI commands in other processes share it. One connection writes (transactions are short and
 * batched), one reads; each is used under its own lock.
 */
public final class Database implements AutoCloseable {

    public static final String FILE_NAME = "bootdesk.db";

    private final Path file;
    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private Connection checkpointer;

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private Database(Path file) throws SQLException {
        this.file = file;
        this.writer = connect(file);
        this.reader = connect(file);
    }

    /** Opens (creating if needed) the database in {@code dataDir} and brings its schema up to date. */
    public static Database open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data dir " + dataDir + ": " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + file;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA busy_timeout=10000");
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure()
                    .dataSource(url, null, null)
                    .locations("classpath:db/migration")
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StoreException("cannot migrate the schema of " + file + ": " + e.getMessage(), e);
        }
        try {
            return new Database(file);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA foreign_keys=ON");
            // NORMAL in WAL mode: a commit is written to the WAL before it returns (it survives a crash of BootDesk,
            // the promise Kea's memfile and dnsmasq's lease file make too); the WAL is synced to the disk at
            // checkpoints, so a power cut may lose the last second of commits but never corrupts the database.
            // FULL would add an fsync to every commit, and a DHCPACK waits for its lease's commit.
            s.execute("PRAGMA synchronous=NORMAL");
        }
        return c;
    }

    public Path file() {
        return file;
    }

    /** Runs {@code work} in one transaction on the writer connection; rolls back if it throws. */
    public <T> T write(String what, SqlWork<T> work) {
        writeLock.lock();
        try {
            writer.setAutoCommit(false);
            try {
                T result = work.run(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} on the reader connection (sees every committed change). */
    public <T> T read(String what, SqlWork<T> work) {
        readLock.lock();
        try {
            return work.run(reader);
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * From now on this process checkpoints the WAL itself, with {@link #checkpoint()} on its own connection, instead
     * of SQLite doing it inside whichever commit crosses the threshold: a checkpoint (copying the WAL into the
     * database and syncing it) can take tens of milliseconds, and a DHCP ACK waiting for that commit would wait
     * with it. For a long-running serve.
     */
    public void takeOverCheckpoints() {
        writeLock.lock();
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
            checkpointer = connect(file);
        } catch (SQLException e) {
            throw new StoreException("cannot take over WAL checkpoints of " + file + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Copies what it can of the WAL into the database without blocking writers or readers (PASSIVE). Returns the
     * WAL's size in frames and how many of them are now in the database, or null when this process does not
     * checkpoint.
     */
    public synchronized long[] checkpoint() {
        if (checkpointer == null) {
            return null;
        }
        try (Statement s = checkpointer.createStatement(); var rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            return rs.next() ? new long[] {rs.getLong(2), rs.getLong(3)} : new long[] {0, 0};
        } catch (SQLException e) {
            throw new StoreException("checkpointing " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** A counter bumped by every change to images or assignments, by any process. */
    public long configRevision() {
        return read("reading the configuration revision", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT config_rev FROM meta WHERE id = 1")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public void close() {
        writeLock.lock();
        readLock.lock();
        try {
            writer.close();
            reader.close();
            synchronized (this) {
                if (checkpointer != null) {
                    checkpointer.close();
                }
            }
        } catch (SQLException e) {
            throw new StoreException("closing " + file + " failed: " + e.getMessage(), e);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }
}
