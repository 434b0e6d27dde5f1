package io.bootdesk.store;

import io.bootdesk.model.BootStage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The machine table as last written by a running serve. */
public final class MachineStore {
    private final Database db;

    public MachineStore(Database db) {
        this.db = db;
    }

    static void upsert(Connection c, Collection<Machine> machines) throws SQLException {
        if (machines.isEmpty()) {
            return;
        }
        try (var ps = c.prepareStatement("INSERT INTO machines (mac, ip, vendor_class, arch, kind, uuid, stage, detail,"
                + " progress, user_agent, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (mac) DO UPDATE SET ip = excluded.ip, vendor_class = excluded.vendor_class,"
                + " arch = excluded.arch, kind = excluded.kind, uuid = excluded.uuid, stage = excluded.stage,"
                + " detail = excluded.detail, progress = excluded.progress, user_agent = excluded.user_agent,"
                + " last_seen = excluded.last_seen")) {
            for (Machine m : machines) {
                ps.setString(1, m.mac().toString());
                ps.setString(2, m.ip());
                ps.setString(3, m.vendorClass());
                ps.setInt(4, m.arch() == null ? -1 : m.arch().code());
                ps.setString(5, (m.kind() == null ? ClientKind.OTHER : m.kind()).name());
                ps.setString(6, m.uuid());
                ps.setString(7, m.stage().name());
                ps.setString(8, m.detail() == null ? "" : m.detail());
                ps.setDouble(9, m.progress());
                ps.setString(10, m.userAgent());
                ps.setLong(11, m.firstSeen().toEpochMilli());
                ps.setLong(12, m.lastSeen().toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public List<Machine> all() {
        return db.read("listing machines", c -> {
            List<Machine> out = new ArrayList<>();
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT mac, ip, vendor_class, arch, kind, uuid,"
                    + " stage, detail, progress, user_agent, first_seen, last_seen FROM machines ORDER BY mac")) {
                while (rs.next()) {
                    int arch = rs.getInt(4);
                    out.add(new Machine(MacAddress.parse(rs.getString(1)), rs.getString(2), rs.getString(3),
                            arch < 0 ? ClientArch.UNKNOWN : ClientArch.fromCode(arch), ClientKind.valueOf(rs.getString(5)),
                            rs.getString(6), BootStage.valueOf(rs.getString(7)), rs.getString(8), rs.getDouble(9),
                            rs.getString(10), Instant.ofEpochMilli(rs.getLong(11)), Instant.ofEpochMilli(rs.getLong(12))));
                }
            }
            return out;
        });
    }
}
