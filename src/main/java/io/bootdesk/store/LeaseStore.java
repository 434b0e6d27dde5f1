package io.bootdesk.store;

import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Leases of the full-mode DHCP server, keyed by address. */
public final class LeaseStore {
    private final Database db;

    public LeaseStore(Database db) {
        this.db = db;
    }

    static void upsert(Connection c, Collection<Lease> leases) throws SQLException {
        if (leases.isEmpty()) {
            return;
        }
        try (var ps = c.prepareStatement("INSERT INTO leases (ip, mac, expires, declined) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (ip) DO UPDATE SET mac = excluded.mac, expires = excluded.expires, declined = excluded.declined")) {
            for (Lease l : leases) {
                ps.setString(1, l.ip());
                ps.setString(2, l.mac() == null ? null : l.mac().toString());
                ps.setLong(3, l.expires().toEpochMilli());
                ps.setInt(4, l.declined() ? 1 : 0);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void delete(Connection c, Collection<String> ips) throws SQLException {
        if (ips.isEmpty()) {
            return;
        }
        try (var ps = c.prepareStatement("DELETE FROM leases WHERE ip = ?")) {
            for (String ip : ips) {
                ps.setString(1, ip);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public List<Lease> all() {
        return db.read("listing leases", c -> {
            List<Lease> out = new ArrayList<>();
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT ip, mac, expires, declined FROM leases")) {
                while (rs.next()) {
                    String mac = rs.getString(2);
                    out.add(new Lease(rs.getString(1), mac == null ? null : MacAddress.parse(mac),
                            Instant.ofEpochMilli(rs.getLong(3)), rs.getInt(4) != 0));
                }
            }
            return out;
        });
    }
}
