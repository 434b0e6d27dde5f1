package io.bootdesk.store;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The machine table as last written by a running serve, with the names the operator gave machines.
 *
 * <p>A serve keeps its machines in memory and writes their rows every half second ({@link #upsert}); that write
 * never touches {@code name}, which only {@link #rename} writes, so a rename in any process is not undone by the
 * next write of an older in-memory row. Renames and {@link #forget}s bump {@code meta.machine_rev}, which a running
 * serve polls to apply them to its memory.
 */
public final class MachineStore {
    private static final String COLUMNS = "mac, ip, vendor_class, arch, kind, uuid, stage, detail, progress,"
            + " user_agent, first_seen, last_seen, name, ipxe_https";

    private final Database db;

    public MachineStore(Database db) {
        this.db = db;
    }

    /** What {@link #forget} removed: the machine's row and its assignment (each null when there was none). */
    public record Forgotten(MacAddress mac, Machine machine, Assignment assignment) {
        public boolean knew() {
            return machine != null || assignment != null;
        }
    }

    static void upsert(Connection c, Collection<Machine> machines) throws SQLException {
        if (machines.isEmpty()) {
            return;
        }
        // name: only a new row takes the in-memory one; an existing row keeps what the last rename wrote
        try (var ps = c.prepareStatement("INSERT INTO machines (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (mac) DO UPDATE SET ip = excluded.ip, vendor_class = excluded.vendor_class,"
                + " arch = excluded.arch, kind = excluded.kind, uuid = excluded.uuid, stage = excluded.stage,"
                + " detail = excluded.detail, progress = excluded.progress, user_agent = excluded.user_agent,"
                + " last_seen = excluded.last_seen, ipxe_https = excluded.ipxe_https")) {
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
                ps.setString(13, m.name());
                if (m.ipxeHttps() == null) {
                    ps.setNull(14, Types.INTEGER);
                } else {
                    ps.setInt(14, m.ipxeHttps() ? 1 : 0);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Deletes the rows of machines a serve forgot (it applies a forget made elsewhere to its own writes too). */
    static void delete(Connection c, Collection<MacAddress> macs) throws SQLException {
        if (macs.isEmpty()) {
            return;
        }
        try (var ps = c.prepareStatement("DELETE FROM machines WHERE mac = ?")) {
            for (MacAddress mac : macs) {
                ps.setString(1, mac.toString());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public List<Machine> all() {
        return db.read("listing machines", c -> query(c, "SELECT " + COLUMNS + " FROM machines ORDER BY mac", null));
    }

    public Optional<Machine> get(MacAddress mac) {
        return db.read("reading machine " + mac, c -> query(c, "SELECT " + COLUMNS + " FROM machines WHERE mac = ?",
                mac.toString()).stream().findFirst());
    }

    /**
     * Sets a machine's name ({@code name} already normalized, see {@link Machine#normalizeName}; null clears it) and,
     * in the same transaction, journals {@code event.apply(before, name)}, where {@code before} is the previous name
     * (null: none). A machine without a row yet (seen by a serve less than half a second ago, or not at all) gets one
     * with just its name; the serve's next write fills in the rest. Returns the previous name.
     */
    public String rename(MacAddress mac, String name, BiFunction<String, String, BootEvent> event) {
        return db.write("naming machine " + mac, c -> {
            String before = null;
            try (var ps = c.prepareStatement("SELECT name FROM machines WHERE mac = ?")) {
                ps.setString(1, mac.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        before = rs.getString(1);
                    }
                }
            }
            long now = System.currentTimeMillis();
            try (var ps = c.prepareStatement("INSERT INTO machines (mac, stage, first_seen, last_seen, name)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (mac) DO UPDATE SET name = excluded.name")) {
                ps.setString(1, mac.toString());
                ps.setString(2, BootStage.DISCOVERED.name());
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.setString(5, name);
                ps.executeUpdate();
            }
            bumpRevision(c);
            EventStore.insert(c, List.of(event.apply(before, name)));
            return before;
        });
    }

    /**
     * Removes a machine's row and its assignment and, in the same transaction, journals {@code event.apply(what)}
     * (always: a serve that holds the machine in memory learns of the forget from that event). Its events, lease,
     * certificates and secrets stay.
     */
    public Forgotten forget(MacAddress mac, Function<Forgotten, BootEvent> event) {
        return db.write("forgetting machine " + mac, c -> {
            Machine m = query(c, "SELECT " + COLUMNS + " FROM machines WHERE mac = ?", mac.toString())
                    .stream().findFirst().orElse(null);
            Assignment a = null;
            try (var ps = c.prepareStatement("SELECT image, once, created FROM assignments WHERE mac = ?")) {
                ps.setString(1, mac.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        a = new Assignment(mac, rs.getString(1), rs.getInt(2) != 0, Instant.ofEpochMilli(rs.getLong(3)));
                    }
                }
            }
            for (String sql : List.of("DELETE FROM machines WHERE mac = ?", "DELETE FROM assignments WHERE mac = ?")) {
                try (var ps = c.prepareStatement(sql)) {
                    ps.setString(1, mac.toString());
                    ps.executeUpdate();
                }
            }
            bumpRevision(c);
            Forgotten f = new Forgotten(mac, m, a);
            EventStore.insert(c, List.of(event.apply(f)));
            return f;
        });
    }

    /** A counter bumped by every rename and forget, by any process. */
    public long revision() {
        return db.read("reading the machine revision", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT machine_rev FROM meta WHERE id = 1")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static void bumpRevision(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.executeUpdate("UPDATE meta SET machine_rev = machine_rev + 1 WHERE id = 1");
        }
    }

    private static List<Machine> query(Connection c, String sql, String arg) throws SQLException {
        List<Machine> out = new ArrayList<>();
        try (var ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int arch = rs.getInt(4);
                    int https = rs.getInt(14);
                    Boolean ipxeHttps = rs.wasNull() ? null : https != 0;
                    out.add(new Machine(MacAddress.parse(rs.getString(1)), rs.getString(2), rs.getString(3),
                            arch < 0 ? ClientArch.UNKNOWN : ClientArch.fromCode(arch), ClientKind.valueOf(rs.getString(5)),
                            rs.getString(6), BootStage.valueOf(rs.getString(7)), rs.getString(8), rs.getDouble(9),
                            rs.getString(10), Instant.ofEpochMilli(rs.getLong(11)), Instant.ofEpochMilli(rs.getLong(12)),
                            rs.getString(13), ipxeHttps));
                }
            }
        }
        return out;
    }
}
