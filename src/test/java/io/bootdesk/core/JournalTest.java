package io.bootdesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import io.bootdesk.store.Database;
import io.bootdesk.store.EventStore;
import io.bootdesk.store.LeaseStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path tmp;

    @Test
    void aLeaseFutureCompletesOnlyOnceTheLeaseIsReadableByAnotherConnection() throws Exception {
        try (Database db = Database.open(tmp); Database other = Database.open(tmp)) {
            Journal j = new Journal(db);
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                MacAddress mac = new MacAddress(0x525400000000L + i);
                fs.add(j.lease(new Lease("10.0." + (i / 250) + "." + (i % 250 + 1), mac, Instant.now().plusSeconds(60), false)));
                j.event(BootEvent.of(mac, null, EventType.DHCP_ACK, "ack " + i));
            }
            fs.get(fs.size() - 1).get(10, TimeUnit.SECONDS);
            assertThat(fs).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(new LeaseStore(other).all()).hasSize(2000);
            j.flush().get(10, TimeUnit.SECONDS);
            assertThat(new EventStore(other).recent(null, 5000)).hasSize(2000);
            j.close();
        }
    }

    @Test
    void closeWritesWhatIsPending() {
        try (Database db = Database.open(tmp)) {
            Journal j = new Journal(db);
            j.event(BootEvent.of(null, null, EventType.NOTICE, "last words"));
            j.close();
            assertThat(new EventStore(db).recent(null, 10)).extracting(BootEvent::message).containsExactly("last words");
        }
    }
}
