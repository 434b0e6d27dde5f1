package io.bootdesk.engine;

import io.bootdesk.model.DhcpMode;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The operator's set-up choice, remembered in the data dir ({@code setup.properties}): the boot interface and the
 * DHCP mode. The console serves nothing until one exists; {@code serve} still takes its options on the command line.
 */
public record SavedSetup(String interfaceName, DhcpMode mode) {
    public static final String FILE_NAME = "setup.properties";

    public SavedSetup {
        if (interfaceName == null || interfaceName.isBlank()) {
            throw new IllegalArgumentException("the set-up names an interface");
        }
        if (mode == null) {
            throw new IllegalArgumentException("the set-up names a DHCP mode");
        }
    }

    public static Optional<SavedSetup> load(Path dataDir) {
        Path f = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
            return Optional.of(new SavedSetup(p.getProperty("interface"),
                    DhcpMode.valueOf(p.getProperty("mode", "PROXY").toUpperCase(Locale.ROOT))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable choice is asked again
        }
    }

    public void save(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Properties p = new Properties();
        p.setProperty("interface", interfaceName);
        p.setProperty("mode", mode.name());
        Path tmp = Files.createTempFile(dataDir, ".setup", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "BootDesk console set-up");
        }
        Files.move(tmp, dataDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Forgets the choice: the console asks again on its next start. */
    public static void forget(Path dataDir) throws IOException {
        Files.deleteIfExists(dataDir.resolve(FILE_NAME));
    }
}
