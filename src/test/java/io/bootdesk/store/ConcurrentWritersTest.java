package io.bootdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.ImageKind;
import io.bootdesk.model.MacAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes (here: two Database handles on one file) writing at once: a read-then-write transaction must wait
 * for the other writer, not fail with SQLITE_BUSY.
 */
class ConcurrentWritersTest {
    @TempDir
    Path tmp;

    @Test
    void readThenWriteTransactionsOfTwoHandlesDoNotFail() throws Exception {
        try (Database a = Database.open(tmp); Database b = Database.open(tmp)) {
            new ImageStore(a).put(new BootImage("img", ImageKind.SCRIPT, null, List.of(), "", "#!ipxe\n", Instant.now()));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            try {
                Future<?> fa = pool.submit(() -> work(a, 0, go));
                Future<?> fb = pool.submit(() -> work(b, 1, go));
                go.countDown();
                fa.get(60, TimeUnit.SECONDS);
                fb.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertThat(new AssignmentStore(a).all()).hasSize(400);
        }
    }

    private static Void work(Database db, int half, CountDownLatch go) throws InterruptedException {
        go.await();
        AssignmentStore s = new AssignmentStore(db);
        for (int i = 0; i < 200; i++) {
            // AssignmentStore.put reads (does the image exist?) and then writes, in one transaction
            s.put(new Assignment(new MacAddress(0x525400000000L + half * 1000 + i), "img", false, Instant.now()));
        }
        return null;
    }
}
