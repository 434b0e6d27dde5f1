package io.bootdesk.store;

import java.time.Instant;
import java.util.Optional;

/** Whether an iPXE binary (by SHA-256) has HTTPS, as learned from a machine that ran it. */
public final class LoaderCapabilityStore {
    private final Database db;

    public LoaderCapabilityStore(Database db) {
        this.db = db;
    }

    public Optional<Boolean> https(String sha256) {
        return db.read("reading what is known of an iPXE binary", c -> {
            try (var ps = c.prepareStatement("SELECT https FROM loader_capabilities WHERE sha256 = ?")) {
                ps.setString(1, sha256);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getInt(1) != 0) : Optional.<Boolean>empty();
                }
            }
        });
    }

    public void put(String sha256, String file, boolean https) {
        db.write("remembering what " + file + " can do", c -> {
            try (var ps = c.prepareStatement("INSERT INTO loader_capabilities (sha256, file, https, learned) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (sha256) DO UPDATE SET https = excluded.https, learned = excluded.learned")) {
                ps.setString(1, sha256);
                ps.setString(2, file);
                ps.setInt(3, https ? 1 : 0);
                ps.setLong(4, Instant.now().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
