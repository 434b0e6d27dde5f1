package io.bootdesk.store;

import io.bootdesk.model.BootImage;
import io.bootdesk.model.ImageKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Boot image records (the files themselves live in the image store folder). */
public final class ImageStore {
    private final Database db;

    public ImageStore(Database db) {
        this.db = db;
    }

    public void put(BootImage image) {
        db.write("saving image " + image.name(), c -> {
            try (var ps = c.prepareStatement("INSERT INTO images (name, kind, kernel, initrds, cmdline, script, created)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET kind = excluded.kind,"
                    + " kernel = excluded.kernel, initrds = excluded.initrds, cmdline = excluded.cmdline,"
                    + " script = excluded.script")) {
                ps.setString(1, image.name());
                ps.setString(2, image.kind().name());
                ps.setString(3, image.kernel());
                ps.setString(4, String.join("\n", image.initrds()));
                ps.setString(5, image.cmdline());
                ps.setString(6, image.script());
                ps.setLong(7, image.created().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Renames image {@code from} to {@code to} in one transaction: the record, every assignment pointing at it, and
     * {@code events.apply(macs whose assignment moved)} in the journal. The configuration revision goes up, so a
     * running serve reloads its catalog within a poll. Returns the machines whose assignment moved.
     *
     * @throws IllegalArgumentException if there is no image {@code from} or there is one named {@code to} already
     */
    public List<io.bootdesk.model.MacAddress> rename(String from, String to,
            java.util.function.Function<List<io.bootdesk.model.MacAddress>, List<io.bootdesk.model.BootEvent>> events) {
        return db.write("renaming image " + from + " to " + to, c -> {
            if (!exists(c, from)) {
                throw new IllegalArgumentException("there is no image named '" + from + "'");
            }
            if (exists(c, to)) {
                throw new IllegalArgumentException("there is an image named '" + to + "' already");
            }
            // images.name is referenced by assignments (no ON UPDATE CASCADE): copy, move the assignments, delete
            try (var ps = c.prepareStatement("INSERT INTO images (name, kind, kernel, initrds, cmdline, script, created)"
                    + " SELECT ?, kind, kernel, initrds, cmdline, script, created FROM images WHERE name = ?")) {
                ps.setString(1, to);
                ps.setString(2, from);
                ps.executeUpdate();
            }
            List<io.bootdesk.model.MacAddress> macs = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT mac FROM assignments WHERE image = ? ORDER BY mac")) {
                ps.setString(1, from);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        macs.add(io.bootdesk.model.MacAddress.parse(rs.getString(1)));
                    }
                }
            }
            try (var ps = c.prepareStatement("UPDATE assignments SET image = ? WHERE image = ?")) {
                ps.setString(1, to);
                ps.setString(2, from);
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("DELETE FROM images WHERE name = ?")) {
                ps.setString(1, from);
                ps.executeUpdate();
            }
            List<io.bootdesk.model.BootEvent> journal = events.apply(List.copyOf(macs));
            if (!journal.isEmpty()) {
                EventStore.insert(c, journal);
            }
            return List.copyOf(macs);
        });
    }

    private static boolean exists(java.sql.Connection c, String name) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM images WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public boolean delete(String name) {
        return db.write("deleting image " + name, c -> {
            try (var ps = c.prepareStatement("DELETE FROM images WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public Optional<BootImage> get(String name) {
        return all().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public List<BootImage> all() {
        return db.read("listing images", c -> {
            List<BootImage> out = new ArrayList<>();
            try (var s = c.createStatement();
                 var rs = s.executeQuery("SELECT name, kind, kernel, initrds, cmdline, script, created FROM images ORDER BY name")) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        });
    }

    private static BootImage map(ResultSet rs) throws SQLException {
        String initrds = rs.getString(4);
        return new BootImage(rs.getString(1), ImageKind.valueOf(rs.getString(2)), rs.getString(3),
                initrds == null || initrds.isEmpty() ? List.of() : Arrays.asList(initrds.split("\n")),
                rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)));
    }
}
