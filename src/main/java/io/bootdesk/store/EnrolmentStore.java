package io.bootdesk.store;

import io.bootdesk.model.MacAddress;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** Machines the operator approved for network enrolment (their key goes out once, in a server-authenticated script). */
public final class EnrolmentStore {
    private final Database db;

    public EnrolmentStore(Database db) {
        this.db = db;
    }

    public void approve(MacAddress mac) {
        db.write("approving the enrolment of " + mac, c -> {
            try (var ps = c.prepareStatement("INSERT INTO enrolments (mac, approved) VALUES (?, ?)"
                    + " ON CONFLICT (mac) DO UPDATE SET approved = excluded.approved")) {
                ps.setString(1, mac.toString());
                ps.setLong(2, Instant.now().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Ends an approval (delivered or withdrawn); true if there was one. */
    public boolean remove(MacAddress mac) {
        return db.write("ending the enrolment approval of " + mac, c -> {
            try (var ps = c.prepareStatement("DELETE FROM enrolments WHERE mac = ?")) {
                ps.setString(1, mac.toString());
                return ps.executeUpdate() > 0;
            }
        });
    }

    public Set<MacAddress> approved() {
        return db.read("reading enrolment approvals", c -> {
            Set<MacAddress> out = new HashSet<>();
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT mac FROM enrolments")) {
                while (rs.next()) {
                    out.add(MacAddress.parse(rs.getString(1)));
                }
            }
            return out;
        });
    }
}
