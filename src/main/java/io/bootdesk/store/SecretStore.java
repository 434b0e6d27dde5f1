package io.bootdesk.store;

import io.bootdesk.model.MacAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Per-machine secrets (name -> value). Values never leave this class except to the script renderer. */
public final class SecretStore {
    private final Database db;

    public SecretStore(Database db) {
        this.db = db;
    }

    public static boolean validName(String name) {
        return name != null && name.matches("[A-Za-z][A-Za-z0-9_\\-]{0,63}");
    }

    public void put(MacAddress mac, String name, String value) {
        if (!validName(name)) {
            throw new StoreException("a secret's name is a letter followed by up to 63 letters, digits, '_' or '-' (got '"
                    + name + "')");
        }
        db.write("saving secret " + name + " of " + mac, c -> {
            try (var ps = c.prepareStatement("INSERT INTO secrets (mac, name, value, updated) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (mac, name) DO UPDATE SET value = excluded.value, updated = excluded.updated")) {
                ps.setString(1, mac.toString());
                ps.setString(2, name);
                ps.setString(3, value);
                ps.setLong(4, Instant.now().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public boolean delete(MacAddress mac, String name) {
        return db.write("deleting secret " + name + " of " + mac, c -> {
            try (var ps = c.prepareStatement("DELETE FROM secrets WHERE mac = ? AND name = ?")) {
                ps.setString(1, mac.toString());
                ps.setString(2, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Every machine's secrets. */
    public Map<MacAddress, Map<String, String>> all() {
        return db.read("reading secrets", c -> {
            Map<MacAddress, Map<String, String>> out = new HashMap<>();
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT mac, name, value FROM secrets")) {
                while (rs.next()) {
                    out.computeIfAbsent(MacAddress.parse(rs.getString(1)), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
            return out;
        });
    }
}
