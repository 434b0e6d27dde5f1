package io.bootdesk.store;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.MacAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Which machine boots which image. */
public final class AssignmentStore {
    private final Database db;

    public AssignmentStore(Database db) {
        this.db = db;
    }

    /** Assigns (or re-assigns) {@code a.image()} to {@code a.mac()}; the image must exist. */
    public void put(Assignment a) {
        db.write("assigning " + a.image() + " to " + a.mac(), c -> {
            try (var check = c.prepareStatement("SELECT 1 FROM images WHERE name = ?")) {
                check.setString(1, a.image());
                try (var rs = check.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException("there is no image named '" + a.image() + "' (see: bootdesk image list)");
                    }
                }
            }
            try (var ps = c.prepareStatement("INSERT INTO assignments (mac, image, once, created) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (mac) DO UPDATE SET image = excluded.image, once = excluded.once, created = excluded.created")) {
                ps.setString(1, a.mac().toString());
                ps.setString(2, a.image());
                ps.setInt(3, a.once() ? 1 : 0);
                ps.setLong(4, a.created().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Removes the assignment; true if there was one. */
    public boolean delete(MacAddress mac) {
        return db.write("unassigning " + mac, c -> {
            try (var ps = c.prepareStatement("DELETE FROM assignments WHERE mac = ?")) {
                ps.setString(1, mac.toString());
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Removes the assignment only if it is still exactly {@code a} (a one-shot boot completing). */
    public boolean deleteIfUnchanged(Assignment a) {
        return db.write("ending the one-time assignment of " + a.mac(), c -> {
            try (var ps = c.prepareStatement("DELETE FROM assignments WHERE mac = ? AND image = ? AND once = 1 AND created = ?")) {
                ps.setString(1, a.mac().toString());
                ps.setString(2, a.image());
                ps.setLong(3, a.created().toEpochMilli());
                return ps.executeUpdate() > 0;
            }
        });
    }

    public List<Assignment> all() {
        return db.read("listing assignments", c -> {
            List<Assignment> out = new ArrayList<>();
            try (var s = c.createStatement();
                 var rs = s.executeQuery("SELECT mac, image, once, created FROM assignments ORDER BY mac")) {
                while (rs.next()) {
                    out.add(new Assignment(MacAddress.parse(rs.getString(1)), rs.getString(2), rs.getInt(3) != 0,
                            Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return out;
        });
    }
}
