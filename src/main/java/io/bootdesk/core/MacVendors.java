package io.bootdesk.core;

import io.bootdesk.model.MacAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who made a machine's network card, from its MAC address's OUI: a small built-in table of vendors common on
 * build networks (hypervisors, server and board makers, Raspberry Pi), extended by the IEEE registry when Debian's
 * {@code ieee-data} package is installed ({@link #IEEE_OUI_CSV}). The registry is read only by {@link #load()},
 * which the caller runs off any UI thread; until then (or without the file) the built-in table answers alone.
 * Locally administered addresses (bit 0x02 of the first octet: set by software, not a maker) say so instead of a
 * vendor, except QEMU's 52:54:00, which is locally administered but well known. Thread-safe.
 */
public final class MacVendors {
    private static final Logger log = LoggerFactory.getLogger(MacVendors.class);

    /** Debian's {@code ieee-data}: "Registry,Assignment,Organization Name,Organization Address". */
    public static final Path IEEE_OUI_CSV = Path.of("/usr/share/ieee-data/oui.csv");
    public static final String LOCALLY_ADMINISTERED = "locally administered";

    /**
     * OUI (6 hex digits, upper case) to a short vendor name. Each was checked against the IEEE registry (Debian's
     * ieee-data 20220827), except QEMU's locally administered 52:54:00 and Raspberry Pi's 2C:CF:67 and D8:3A:DD,
     * assigned after that snapshot.
     */
    private static final Map<String, String> BUILT_IN = builtIn();

    private final Path registryFile;
    /** Hex prefixes (6, 7 or 9 digits: MA-L, MA-M, MA-S) from the registry; empty until loaded. */
    private volatile Map<String, String> registry = Map.of();
    private volatile boolean loaded;

    private MacVendors(Path registryFile) {
        this.registryFile = registryFile;
    }

    /** The built-in table only. */
    public static MacVendors builtInOnly() {
        return new MacVendors(null);
    }

    /** The built-in table, extended by {@code csv} once {@link #load()} ran (a missing file is no error). */
    public static MacVendors withRegistry(Path csv) {
        return new MacVendors(csv);
    }

    /** The built-in table and Debian's IEEE registry file, if installed. */
    public static MacVendors system() {
        return withRegistry(IEEE_OUI_CSV);
    }

    /**
     * Reads the registry file once (later calls return at once); blocking file I/O of a few MB, so never on a UI
     * thread. A missing or unreadable file leaves the built-in table alone. Returns how many assignments it knows.
     */
    public synchronized int load() {
        if (loaded) {
            return registry.size();
        }
        loaded = true;
        if (registryFile == null) {
            return 0;
        }
        try (BufferedReader r = Files.newBufferedReader(registryFile, StandardCharsets.UTF_8)) {
            registry = Map.copyOf(parse(r));
            log.debug("{} OUI assignments from {}", registry.size(), registryFile);
        } catch (NoSuchFileException e) {
            log.debug("no IEEE OUI registry at {} (apt-get install ieee-data): built-in vendor names only", registryFile);
        } catch (IOException | RuntimeException e) {
            log.warn("reading the IEEE OUI registry {} failed: {}; built-in vendor names only", registryFile, e.toString());
        }
        return registry.size();
    }

    public boolean loaded() {
        return loaded;
    }

    /** Whether bit 0x02 of the first octet is set: the address was given by software, not by a maker. */
    public static boolean locallyAdministered(MacAddress mac) {
        return (mac.bytes()[0] & 0x02) != 0;
    }

    /**
     * The vendor's name, {@value #LOCALLY_ADMINISTERED} for such an address, or "" when unknown.
     */
    public String describe(MacAddress mac) {
        return vendor(mac).orElse(locallyAdministered(mac) ? LOCALLY_ADMINISTERED : "");
    }

    /** The vendor of a known prefix (built-in first, then the registry's longest matching assignment). */
    public Optional<String> vendor(MacAddress mac) {
        String hex = hex(mac);
        String builtIn = BUILT_IN.get(hex.substring(0, 6));
        if (builtIn != null) {
            return Optional.of(builtIn);
        }
        if (locallyAdministered(mac)) {
            return Optional.empty(); // no registry entry can name it
        }
        Map<String, String> reg = registry;
        for (int len : new int[] {9, 7, 6}) {
            String v = reg.get(hex.substring(0, len));
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    private static String hex(MacAddress mac) {
        return Long.toHexString(mac.bits() | 1L << 48).substring(1).toUpperCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ the IEEE CSV

    /**
     * Assignments from the IEEE registry CSV (RFC 4180: quoted fields with commas, doubled quotes and line breaks):
     * hex prefix (6, 7 or 9 digits, upper case) to organisation name. The header, blank lines and rows whose
     * assignment is not hex of those lengths or whose name is empty are skipped.
     */
    static Map<String, String> parse(Reader in) throws IOException {
        Map<String, String> out = new HashMap<>();
        List<String> row;
        CsvReader csv = new CsvReader(in);
        while ((row = csv.next()) != null) {
            if (row.size() < 3) {
                continue;
            }
            String assignment = row.get(1).strip().replace("-", "").replace(":", "").toUpperCase(Locale.ROOT);
            String name = row.get(2).strip().replaceAll("\\s+", " ");
            if (name.isEmpty() || !(assignment.length() == 6 || assignment.length() == 7 || assignment.length() == 9)
                    || !assignment.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                continue;
            }
            out.putIfAbsent(assignment, name);
        }
        return out;
    }

    /** A minimal RFC 4180 reader: one record per call, a byte-order mark and CR LF tolerated. */
    private static final class CsvReader {
        private final Reader in;
        private int peeked = -2;
        private boolean first = true;

        CsvReader(Reader in) {
            this.in = in;
        }

        private int read() throws IOException {
            if (peeked != -2) {
                int c = peeked;
                peeked = -2;
                return c;
            }
            int c = in.read();
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    c = in.read();
                }
            }
            return c;
        }

        private int peek() throws IOException {
            if (peeked == -2) {
                peeked = read();
            }
            return peeked;
        }

        /** The next record's fields, or null at the end. */
        List<String> next() throws IOException {
            int c = read();
            if (c < 0) {
                return null;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            while (true) {
                if (quoted) {
                    if (c < 0) {
                        fields.add(f.toString()); // unterminated quote at the end: take what there is
                        return fields;
                    }
                    if (c == '"') {
                        if (peek() == '"') {
                            read();
                            f.append('"');
                        } else {
                            quoted = false;
                        }
                    } else {
                        f.append((char) c);
                    }
                } else if (c < 0 || c == '\n') {
                    fields.add(f.toString());
                    return fields;
                } else if (c == '\r') {
                    if (peek() == '\n') {
                        read();
                    }
                    fields.add(f.toString());
                    return fields;
                } else if (c == ',') {
                    fields.add(f.toString());
                    f.setLength(0);
                } else if (c == '"' && f.toString().isBlank()) {
                    f.setLength(0);
                    quoted = true;
                } else {
                    f.append((char) c);
                }
                c = read();
            }
        }
    }

    // ------------------------------------------------------------------ built-in

    private static Map<String, String> builtIn() {
        Map<String, String> m = new HashMap<>();
        // virtual machines
        put(m, "QEMU/KVM", "52:54:00");
        put(m, "VirtualBox", "08:00:27");
        put(m, "VMware", "00:50:56", "00:0C:29", "00:05:69", "00:1C:14");
        put(m, "Microsoft Hyper-V", "00:15:5D");
        put(m, "Xen", "00:16:3E");
        // single-board computers
        put(m, "Raspberry Pi", "B8:27:EB", "DC:A6:32", "E4:5F:01", "2C:CF:67", "D8:3A:DD");
        // servers, PCs, boards and their network cards (registry: Intel Corporate, Dell Inc., Hewlett Packard
        // Enterprise, Lenovo, Super Micro Computer, ASUSTek, GIGA-BYTE, ASRock Incorporation)
        put(m, "Intel", "00:1B:21", "00:1E:67", "00:15:17", "3C:FD:FE", "A0:36:9F", "90:E2:BA", "68:05:CA", "B4:96:91");
        put(m, "Dell", "00:14:22", "18:66:DA", "B0:83:FE", "F8:BC:12", "14:18:77", "24:6E:96", "D4:AE:52", "F0:1F:AF");
        put(m, "HPE", "94:18:82", "98:F2:B3", "1C:98:EC", "48:DF:37");
        put(m, "Lenovo", "10:C5:95", "A4:11:94", "80:96:21", "A4:8C:DB");
        put(m, "Supermicro", "00:25:90", "AC:1F:6B", "0C:C4:7A", "3C:EC:EF", "00:30:48");
        put(m, "ASUS", "04:92:26", "AC:22:0B", "00:1A:92");
        put(m, "Gigabyte", "1C:1B:0D", "00:24:1D", "E0:D5:5E", "B4:2E:99");
        put(m, "ASRock", "BC:5F:F4", "70:85:C2", "D0:50:99");
        return Map.copyOf(m);
    }

    private static void put(Map<String, String> m, String vendor, String... ouis) {
        for (String o : ouis) {
            if (m.put(o.replace(":", ""), vendor) != null) {
                throw new IllegalStateException("OUI " + o + " twice in the built-in table");
            }
        }
    }

    /** The built-in prefixes as "52:54:00" with their vendor (for tests and documentation). */
    static Map<String, String> builtInTable() {
        Map<String, String> m = new HashMap<>();
        BUILT_IN.forEach((k, v) -> m.put(k.substring(0, 2) + ":" + k.substring(2, 4) + ":" + k.substring(4), v));
        return m;
    }
}
