package io.bootdesk.console;

import io.bootdesk.model.MacAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** The per-machine console logs: {@code DATA-DIR/console/<mac>.log} (MAC hyphenated), appended by every session. */
public final class ConsoleLogs {
    private ConsoleLogs() {
    }

    public static Path dir(Path dataDir) {
        return dataDir.resolve("console");
    }

    public static Path file(Path dataDir, MacAddress mac) {
        return dir(dataDir).resolve(mac.hyphenated().toLowerCase(java.util.Locale.ROOT) + ".log");
    }

    /**
     * Copies the log to {@code out} from {@code offset}, then, while {@code more} says so, whatever is appended
     * (polling every 100 ms, as {@code tail -f}); a file that shrank is read again from its start. Returns the
     * offset reached.
     */
    public static long copy(Path log, long offset, OutputStream out, BooleanSupplier more) throws IOException, InterruptedException {
        byte[] buf = new byte[8192];
        long pos = offset;
        do {
            if (Files.exists(log)) {
                try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                    if (f.length() < pos) {
                        pos = 0;
                    }
                    f.seek(pos);
                    int n;
                    while ((n = f.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        pos += n;
                    }
                    out.flush();
                }
            }
            if (!more.getAsBoolean()) {
                break;
            }
            Thread.sleep(100);
        } while (true);
        return pos;
    }
}
