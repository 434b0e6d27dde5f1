package io.bootdesk.engine;

import io.bootdesk.model.MacAddress;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Names the operator gave machines ("rack 3 left"), kept in the data dir ({@code machine-names.properties}) until
 * the database has a column for them.
 */
public final class MachineNames {
    public static final String FILE_NAME = "machine-names.properties";
    static final int MAX_LENGTH = 64;

    private final Path file;

    public MachineNames(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public synchronized Map<MacAddress, String> all() {
        Map<MacAddress, String> out = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            return out;
        }
        for (String k : p.stringPropertyNames()) {
            try {
                out.put(MacAddress.parse(k), p.getProperty(k));
            } catch (IllegalArgumentException e) {
                // a hand-edited line that is not a MAC is skipped
            }
        }
        return out;
    }

    /** Sets (or with a blank name removes) a machine's name; returns the name as stored. */
    public synchronized String rename(MacAddress mac, String name) throws IOException {
        String n = name == null ? "" : name.strip().replaceAll("\\p{Cntrl}", " ");
        if (n.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a machine name has at most " + MAX_LENGTH + " characters");
        }
        Map<MacAddress, String> all = all();
        if (n.isEmpty()) {
            all.remove(mac);
        } else {
            all.put(mac, n);
        }
        Properties p = new Properties();
        new TreeMap<>(all).forEach((k, v) -> p.setProperty(k.toString(), v));
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".names", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "BootDesk machine names");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return n;
    }
}
