package io.bootdesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.ImageKind;
import io.bootdesk.model.MacAddress;
import io.bootdesk.store.AssignmentStore;
import io.bootdesk.store.Database;
import io.bootdesk.store.ImageStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog of a running serve sees changes another process (here: another connection) commits. */
class CatalogTest {
    @TempDir
    Path tmp;

    @Test
    void refreshPicksUpChangesFromAnotherConnectionAndNotifies() throws Exception {
        MacAddress mac = MacAddress.parse("52:54:00:00:00:01");
        try (Database serve = Database.open(tmp); Database cli = Database.open(tmp)) {
            Catalog catalog = new Catalog(serve);
            AtomicInteger changes = new AtomicInteger();
            catalog.onChange(changes::incrementAndGet);
            assertThat(catalog.refresh()).isFalse();

            new ImageStore(cli).put(new BootImage("s", ImageKind.SCRIPT, null, List.of(), "", "#!ipxe\n", Instant.now()));
            new AssignmentStore(cli).put(new Assignment(mac, "s", true, Instant.now()));
            assertThat(catalog.refresh()).isTrue();
            assertThat(catalog.assignment(mac)).get().extracting(Assignment::image).isEqualTo("s");
            assertThat(changes.get()).isEqualTo(1);
            assertThat(catalog.refresh()).isFalse();

            // a one-time assignment ends only if nobody changed it meanwhile
            Assignment seen = catalog.assignment(mac).orElseThrow();
            new AssignmentStore(cli).put(new Assignment(mac, "s", false, Instant.now().plusSeconds(1)));
            catalog.completeOnce(seen);
            catalog.refresh();
            assertThat(catalog.assignment(mac)).get().extracting(Assignment::once).isEqualTo(false);
        }
    }
}
