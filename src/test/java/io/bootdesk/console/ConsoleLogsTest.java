package io.bootdesk.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code console log --follow}: what is appended to the log while following is printed. */
class ConsoleLogsTest {
    @TempDir
    Path tmp;

    @Test
    void followPrintsWhatIsAppendedUntilToldToStop() throws Exception {
        Path log = tmp.resolve("console/m.log");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.concurrent.atomic.AtomicBoolean more = new java.util.concurrent.atomic.AtomicBoolean(true);
        CompletableFuture<Long> f = CompletableFuture.supplyAsync(() -> {
            try {
                return ConsoleLogs.copy(log, 0, out, more::get);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(250); // the file does not exist yet: following waits for it
        Files.createDirectories(log.getParent());
        Files.writeString(log, "first\n");
        Thread.sleep(250);
        Files.writeString(log, "second\n", StandardOpenOption.APPEND);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!text(out).contains("second") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        more.set(false);
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(13);
        assertThat(text(out)).isEqualTo("first\nsecond\n");
    }

    static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
