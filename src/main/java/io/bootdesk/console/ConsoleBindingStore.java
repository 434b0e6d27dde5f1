package io.bootdesk.console;

import io.bootdesk.model.MacAddress;
import io.bootdesk.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Table {@code console_bindings} (V6, V7): one console per machine; {@code console_meta.rev} changes with every write. */
public final class ConsoleBindingStore {
    private final Database db;

    public ConsoleBindingStore(Database db) {
        this.db = db;
    }

    public void put(MacAddress mac, ConsoleBinding b) {
        db.write("binding the console of " + mac, c -> {
            try (var ps = c.prepareStatement("INSERT INTO console_bindings (mac, kind, address, baud, data_bits, parity,"
                    + " stop_bits, flow, user, system_id, tls_sha256, boot_key, updated)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (mac) DO UPDATE SET kind = excluded.kind, address = excluded.address,"
                    + " baud = excluded.baud, data_bits = excluded.data_bits, parity = excluded.parity,"
                    + " stop_bits = excluded.stop_bits, flow = excluded.flow, user = excluded.user,"
                    + " system_id = excluded.system_id, tls_sha256 = excluded.tls_sha256,"
                    + " boot_key = excluded.boot_key, updated = excluded.updated")) {
                ps.setString(1, mac.toString());
                ps.setString(2, b.kind());
                ps.setString(3, b.address());
                for (int i = 4; i <= 12; i++) {
                    ps.setNull(i, i <= 5 ? Types.INTEGER : Types.VARCHAR);
                }
                switch (b) {
                    case ConsoleBinding.Serial s -> {
                        ps.setInt(4, s.baud());
                        ps.setInt(5, s.dataBits());
                        ps.setString(6, s.parity().name());
                        ps.setString(7, s.stopBits().text());
                        ps.setString(8, s.flowControl().name());
                    }
                    case ConsoleBinding.JetKvm j -> {
                        ps.setString(11, j.tlsSha256());
                        ps.setString(12, j.bootKey());
                    }
                    case ConsoleBinding.PiKvm p -> {
                        ps.setString(9, p.user());
                        ps.setString(11, p.tlsSha256());
                        ps.setString(12, p.bootKey());
                    }
                    case ConsoleBinding.Redfish r -> {
                        ps.setString(9, r.user());
                        ps.setString(10, r.systemId());
                        ps.setString(11, r.tlsSha256());
                    }
                }
                ps.setLong(13, Instant.now().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public boolean delete(MacAddress mac) {
        return db.write("unbinding the console of " + mac, c -> {
            try (var ps = c.prepareStatement("DELETE FROM console_bindings WHERE mac = ?")) {
                ps.setString(1, mac.toString());
                return ps.executeUpdate() > 0;
            }
        });
    }

    public Optional<ConsoleBinding> get(MacAddress mac) {
        return Optional.ofNullable(all().get(mac));
    }

    /** Every binding, by MAC. */
    public Map<MacAddress, ConsoleBinding> all() {
        return db.read("reading console bindings", c -> {
            Map<MacAddress, ConsoleBinding> out = new TreeMap<>();
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT mac, kind, address, baud, data_bits, parity,"
                    + " stop_bits, flow, user, system_id, tls_sha256, boot_key FROM console_bindings")) {
                while (rs.next()) {
                    out.put(MacAddress.parse(rs.getString(1)), row(rs));
                }
            }
            return out;
        });
    }

    /** Changes with every insert, update or delete of a binding (any process). */
    public long revision() {
        return db.read("reading the console revision", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT rev FROM console_meta")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static ConsoleBinding row(ResultSet rs) throws SQLException {
        String address = rs.getString(3);
        return switch (rs.getString(2)) {
            case "serial" -> new ConsoleBinding.Serial(address, rs.getInt(4), rs.getInt(5),
                    ConsoleBinding.Parity.valueOf(rs.getString(6)), ConsoleBinding.StopBits.parse(rs.getString(7)),
                    ConsoleBinding.FlowControl.valueOf(rs.getString(8)));
            case "jetkvm" -> new ConsoleBinding.JetKvm(address, rs.getString(11), rs.getString(12));
            case "pikvm" -> new ConsoleBinding.PiKvm(address, rs.getString(9), rs.getString(11), rs.getString(12));
            case "redfish" -> new ConsoleBinding.Redfish(address, rs.getString(9), rs.getString(10), rs.getString(11));
            default -> throw new SQLException("unknown console kind " + rs.getString(2));
        };
    }
}
