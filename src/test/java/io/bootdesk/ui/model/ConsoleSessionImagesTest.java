package io.bootdesk.ui.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's session renames images and edits scripts through the workspace (no engine, no window); the table's
 * assignments and Undo follow a renamed image.
 */
class ConsoleSessionImagesTest {
    static final MacAddress A = MacAddress.parse("52:54:00:00:0c:01");

    @TempDir
    Path tmp;

    @Test
    void renameMovesAssignmentsAndUndoPutsBackUnderTheNewName() throws Exception {
        Path data = tmp.resolve("data");
        Path s1 = Files.writeString(tmp.resolve("one.ipxe"), "#!ipxe\necho one\n");
        Path s2 = Files.writeString(tmp.resolve("two.ipxe"), "#!ipxe\necho two\n");
        try (ConsoleSession s = new ConsoleSession(ConsoleOptions.standard(data))) {
            s.addImage(ImageDrop.of(List.of(s1)));
            s.addImage(ImageDrop.of(List.of(s2)));
            s.assign(List.of(A), "one", false);
            s.assign(List.of(A), "two", true); // Undo of this puts "one" back

            var r = s.renameImage("one", " first ");
            assertThat(r.image().name()).isEqualTo("first");
            assertThat(s.images()).extracting(ImageView::name).containsExactly("first", "two");
            ConsoleSessionNamesTest.await(s, b -> b.assignments() != null && b.assignments().get(A) != null
                    && b.assignments().get(A).image().equals("two"), "the assignments published");

            s.undo();
            assertThat(s.assignments().get(A)).extracting(Assignment::image, Assignment::once)
                    .containsExactly("first", false);

            s.editScript("first", "#!ipxe\necho edited\n");
            assertThat(s.images()).filteredOn(i -> i.name().equals("first")).extracting(i -> i.image().script())
                    .containsExactly("#!ipxe\necho edited\n");
            assertThatThrownBy(() -> s.editScript("first", "echo no")).hasMessageContaining("#!ipxe");
            assertThatThrownBy(() -> s.renameImage("first", "two")).hasMessageContaining("already");
        }
        try (Workspace ws = Workspace.open(data)) {
            assertThat(ws.images()).extracting(BootImage::name).containsExactly("first", "two");
        }
    }
}
