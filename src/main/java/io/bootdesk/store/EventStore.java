package io.bootdesk.store;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The event journal. */
public final class EventStore {
    private final Database db;

    public EventStore(Database db) {
        this.db = db;
    }

    static void insert(Connection c, List<BootEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (var ps = c.prepareStatement("INSERT INTO events (time, mac, ip, type, message, bytes) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (BootEvent e : events) {
                ps.setLong(1, e.time().toEpochMilli());
                ps.setString(2, e.mac() == null ? null : e.mac().toString());
                ps.setString(3, e.ip());
                ps.setString(4, e.type().name());
                ps.setString(5, e.message());
                ps.setLong(6, e.bytes());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The id of the newest event (0 when there is none). */
    public long lastId() {
        return db.read("reading the newest event id", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM events")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** An event's id with its machine (for {@link #since}). */
    public record Mark(long id, MacAddress mac) {
    }

    /**
     * The machines of the events of {@code type} journaled after the event {@code afterId}, oldest first (a range of
     * the primary key: cheap however long the journal is).
     */
    public List<Mark> since(long afterId, EventType type) {
        return db.read("reading " + type + " events", c -> {
            List<Mark> out = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT id, mac FROM events WHERE id > ? AND type = ? ORDER BY id")) {
                ps.setLong(1, afterId);
                ps.setString(2, type.name());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String m = rs.getString(2);
                        out.add(new Mark(rs.getLong(1), m == null ? null : MacAddress.parse(m)));
                    }
                }
            }
            return out;
        });
    }

    /** The newest {@code limit} events (of one machine, or all when {@code mac} is null), oldest first. */
    public List<BootEvent> recent(MacAddress mac, int limit) {
        return db.read("reading events", c -> {
            String sql = "SELECT time, mac, ip, type, message, bytes FROM events"
                    + (mac == null ? "" : " WHERE mac = ?") + " ORDER BY id DESC LIMIT ?";
            List<BootEvent> out = new ArrayList<>();
            try (var ps = c.prepareStatement(sql)) {
                int i = 1;
                if (mac != null) {
                    ps.setString(i++, mac.toString());
                }
                ps.setInt(i, limit);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String m = rs.getString(2);
                        out.add(new BootEvent(Instant.ofEpochMilli(rs.getLong(1)), m == null ? null : MacAddress.parse(m),
                                rs.getString(3), EventType.valueOf(rs.getString(4)), rs.getString(5), rs.getLong(6)));
                    }
                }
            }
            Collections.reverse(out);
            return out;
        });
    }
}
