package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-machine assignment and its undo, in SQLite, journaled like the CLI's; and the remembered set-up. */
class WorkspaceUndoTest {
    @TempDir
    Path tmp;

    private static final MacAddress A = MacAddress.parse("52:54:00:00:00:0a");
    private static final MacAddress B = MacAddress.parse("52:54:00:00:00:0b");

    @Test
    void assigningManyMachinesCanBeUndoneToWhatEachHadBefore() throws Exception {
        Path kernel = Files.writeString(tmp.resolve("vmlinuz"), "k");
        try (Workspace ws = Workspace.open(tmp.resolve("data"))) {
            ws.addLinuxImage("old", kernel, List.of(), "");
            ws.addLinuxImage("new", kernel, List.of(), "");
            ws.assign(A, "old", true);

            Workspace.AssignmentChange change = ws.assignAll(List.of(A, B), "new", false);
            assertThat(ws.assignments()).extracting(Assignment::image).containsExactly("new", "new");
            assertThat(change.before().get(A).image()).isEqualTo("old");
            assertThat(change.before()).containsEntry(B, null);

            ws.undo(change);
            assertThat(ws.assignment(A)).get().satisfies(a -> {
                assertThat(a.image()).isEqualTo("old");
                assertThat(a.once()).isTrue();
            });
            assertThat(ws.assignment(B)).isEmpty();
            assertThat(ws.events(B, 10)).extracting(e -> e.type() + " " + e.message())
                    .containsExactly("ASSIGNMENT assigned new", "ASSIGNMENT undo: assignment removed again");
            assertThat(ws.events(A, 10)).last().extracting(e -> e.message()).isEqualTo("undo: old for one boot assigned again");

            Workspace.AssignmentChange removal = ws.unassignAll(List.of(A));
            assertThat(ws.assignment(A)).isEmpty();
            ws.undo(removal);
            assertThat(ws.assignment(A)).get().extracting(Assignment::image).isEqualTo("old");
            assertThat(ws.events(A, 1)).allMatch(e -> e.type() == EventType.ASSIGNMENT);
        }
    }

    @Test
    void assigningAnImageThatDoesNotExistChangesNothing() {
        try (Workspace ws = Workspace.open(tmp.resolve("data"))) {
            assertThatThrownBy(() -> ws.assignAll(List.of(A), "nope", false)).hasMessageContaining("no image named 'nope'");
            assertThat(ws.assignments()).isEmpty();
        }
    }

    @Test
    void theSetUpChoiceIsRemembered() throws Exception {
        Path data = tmp.resolve("data");
        assertThat(SavedSetup.load(data)).isEmpty();
        new SavedSetup("enx0", DhcpMode.PROXY).save(data);
        assertThat(SavedSetup.load(data)).contains(new SavedSetup("enx0", DhcpMode.PROXY));
        new SavedSetup("lo", DhcpMode.FULL).save(data);
        assertThat(SavedSetup.load(data)).contains(new SavedSetup("lo", DhcpMode.FULL));
        SavedSetup.forget(data);
        assertThat(SavedSetup.load(data)).isEmpty();
    }
}
