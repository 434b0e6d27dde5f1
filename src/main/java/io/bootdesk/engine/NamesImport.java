package io.bootdesk.engine;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.store.Database;
import io.bootdesk.store.MachineStore;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Machine names from before the database had a column for them: the console kept them in
 * {@code machine-names.properties} in the data dir (MAC = name). The first process that opens such a data dir
 * imports them (each a {@link EventType#MACHINE_RENAMED} event) and renames the file to
 * {@code machine-names.properties.imported}.
 */
final class NamesImport {
    private static final Logger log = LoggerFactory.getLogger(NamesImport.class);
    static final String FILE_NAME = "machine-names.properties";
    static final String IMPORTED_SUFFIX = ".imported";

    private NamesImport() {
    }

    /** Imports the file if it is there; returns how many names it imported. Never fails the caller. */
    static int run(Path dataDir, Database db) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return 0; // another process imported it meanwhile
        } catch (IOException | IllegalArgumentException e) {
            log.warn("cannot read {} to import its machine names: {}", file, e.getMessage());
            return 0;
        }
        Map<MacAddress, String> names = new TreeMap<>(java.util.Comparator.comparing(MacAddress::toString));
        for (String k : p.stringPropertyNames()) {
            try {
                String n = Machine.normalizeName(p.getProperty(k));
                if (n != null) {
                    names.put(MacAddress.parse(k), n);
                }
            } catch (IllegalArgumentException e) {
                log.warn("{}: skipped '{}' ({})", file.getFileName(), k, e.getMessage());
            }
        }
        MachineStore store = new MachineStore(db);
        int n = 0;
        for (Map.Entry<MacAddress, String> e : names.entrySet()) {
            if (store.get(e.getKey()).map(Machine::name).filter(e.getValue()::equals).isPresent()) {
                continue; // imported already (by another process that had not renamed the file yet)
            }
            store.rename(e.getKey(), e.getValue(), (before, after) -> BootEvent.of(e.getKey(), null,
                    EventType.MACHINE_RENAMED, "named '" + after + "' (imported from " + FILE_NAME + ")"));
            n++;
        }
        try {
            Files.move(file, file.resolveSibling(FILE_NAME + IMPORTED_SUFFIX),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // another process moved it
        } catch (IOException e) {
            log.warn("imported the machine names of {} but cannot rename it: {}", file, e.getMessage());
        }
        log.info("imported {} machine name(s) from {}", n, file);
        return n;
    }
}
