package io.bootdesk.engine;

import java.nio.file.Path;
import java.util.Locale;

/** The platform's per-user data folder for BootDesk. */
public final class DataDirs {
    private DataDirs() {
    }

    public static Path defaultDataDir() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String home = System.getProperty("user.home");
        if (os.contains("win")) {
            String local = System.getenv("LOCALAPPDATA");
            return Path.of(local != null ? local : home, "BootDesk");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "BootDesk");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share")).resolve("bootdesk");
    }
}
