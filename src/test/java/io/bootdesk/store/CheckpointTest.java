package io.bootdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A serve checkpoints the WAL itself: commits never pay for a checkpoint, and its own checkpoint catches up. */
class CheckpointTest {
    @TempDir
    Path tmp;

    private static void writeEvents(Database db, int n) {
        List<BootEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(BootEvent.of(null, null, EventType.NOTICE, "event " + i + " " + "x".repeat(200)));
        }
        new Batch(events, List.of(), List.of(), List.of()).commit(db);
    }

    @Test
    void commitsDoNotCheckpointAndTheServesCheckpointCatchesUp() {
        try (Database db = Database.open(tmp)) {
            assertThat(db.checkpoint()).as("not taken over yet").isNull();
            db.takeOverCheckpoints();
            for (int i = 0; i < 60; i++) {
                writeEvents(db, 500); // well past SQLite's default of 1000 pages between automatic checkpoints
            }
            long[] first = db.checkpoint();
            assertThat(first[0]).as("the WAL kept every frame: no commit checkpointed on its own").isGreaterThan(1000);
            assertThat(first[1]).as("all of it is in the database now").isEqualTo(first[0]);
            assertThat(new EventStore(db).recent(null, 40_000)).hasSize(30_000);
        }
    }
}
