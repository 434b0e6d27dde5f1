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

    /**
     * The secret that holds a bound console's password (JetKVM, PiKVM, Redfish). It is the store's only reserved
     * name: the console clients read it, scripts never see it ({@link #scriptSecrets()}), and {@code bootdesk secret
     * set} cannot write it (it is set with the console binding).
     */
    public static final String CONSOLE_PASSWORD = "console-password";

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

    /** Every machine's secrets that a script may use: all of them but {@link #CONSOLE_PASSWORD}. */
    public Map<MacAddress, Map<String, String>> scriptSecrets() {
        Map<MacAddress, Map<String, String>> out = all();
        out.values().forEach(m -> m.remove(CONSOLE_PASSWORD));
        out.values().removeIf(Map::isEmpty);
        return out;
    }

    /** A machine's console password, if its console binding has one. */
    public java.util.Optional<String> consolePassword(MacAddress mac) {
        return java.util.Optional.ofNullable(all().getOrDefault(mac, Map.of()).get(CONSOLE_PASSWORD));
    }

    /** Every machine's secrets, the console password included. */
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
