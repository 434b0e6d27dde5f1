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
            // FULL: a committed lease survives a power cut, not only a crash. Commits are batched, so the
            // fsync is paid once per batch.
            s.execute("PRAGMA synchronous=FULL");
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
        } catch (SQLException e) {
            throw new StoreException("closing " + file + " failed: " + e.getMessage(), e);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }
}
