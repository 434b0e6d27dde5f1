package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.core.BootPlan;
import io.bootdesk.core.BootRequest;
import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.testing.CoreFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renaming an image and editing a script image through the workspace (what the CLI and the window call), while a
 * serve's catalog, planner and image library (the {@link CoreFixture}, on its own connection) run on the same data
 * dir.
 */
class WorkspaceImageEditTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:00:09:01");
    static final MacAddress MAC2 = MacAddress.parse("52:54:00:00:09:02");
    static final MacAddress OTHER = MacAddress.parse("52:54:00:00:09:03");

    @TempDir
    Path tmp;
    CoreFixture serve;
    Workspace ws;

    @BeforeEach
    void setUp() throws IOException {
        serve = new CoreFixture(tmp, "10.99.0.1", 80);
        ws = Workspace.open(serve.dataDir);
    }

    @AfterEach
    void tearDown() {
        ws.close();
        serve.close();
    }

    private String script(MacAddress mac) {
        serve.catalog.refresh(); // what the serve's poll does
        BootPlan p = serve.planner.plan(BootRequest.script(mac, BootRequest.Step.SCRIPT));
        assertThat(p).isInstanceOf(BootPlan.Script.class);
        return ((BootPlan.Script) p).text();
    }

    @Test
    void renameMovesTheFilesAndTheAssignmentsAndTheServeServesTheNewName() throws Exception {
        Path k = Files.writeString(tmp.resolve("vmlinuz"), "kernel");
        Path i = Files.writeString(tmp.resolve("initrd.img"), "initrd");
        ws.addLinuxImage("deb", k, List.of(i), "console=ttyS0 url={{ files }}/x");
        ws.addLinuxImage("other", k, List.of(), "");
        ws.assign(MAC, "deb", false);
        ws.assign(MAC2, "deb", true);
        ws.assign(OTHER, "other", false);
        assertThat(script(MAC)).contains("http://10.99.0.1/images/deb/vmlinuz");

        var r = ws.renameImage("deb", "debian-13");

        assertThat(r.image().name()).isEqualTo("debian-13");
        assertThat(r.machines()).containsExactly(MAC, MAC2);
        Path root = ws.imageFolder();
        assertThat(root.resolve("deb")).doesNotExist();
        assertThat(root.resolve("debian-13").resolve("vmlinuz")).hasContent("kernel");
        assertThat(root.resolve("debian-13").resolve("initrd.img")).hasContent("initrd");
        assertThat(ws.images()).extracting(BootImage::name).containsExactly("debian-13", "other");
        assertThat(ws.image("debian-13")).get().satisfies(x -> {
            assertThat(x.cmdline()).isEqualTo("console=ttyS0 url={{ files }}/x");
            assertThat(x.files()).containsExactly("vmlinuz", "initrd.img");
        });
        assertThat(ws.assignments()).extracting(Assignment::mac, Assignment::image, Assignment::once)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MAC, "debian-13", false),
                        org.assertj.core.groups.Tuple.tuple(MAC2, "debian-13", true),
                        org.assertj.core.groups.Tuple.tuple(OTHER, "other", false));
        assertThat(ws.events(MAC, 10)).filteredOn(e -> e.type() == EventType.ASSIGNMENT).extracting(BootEvent::message)
                .contains("image deb renamed to debian-13; the assignment follows it");
        assertThat(ws.events(OTHER, 10)).extracting(BootEvent::message).noneMatch(m -> m.contains("renamed"));

        // the running serve (its own connection) serves the new name after its poll, and the files under it
        String s = script(MAC);
        assertThat(s).contains("kernel http://10.99.0.1/images/debian-13/vmlinuz")
                .contains("initrd http://10.99.0.1/images/debian-13/initrd.img")
                .contains("url=http://10.99.0.1/images/debian-13/x").doesNotContain("/images/deb/");
        BootImage served = serve.catalog.image("debian-13").orElseThrow();
        assertThat(serve.catalog.image("deb")).isEmpty();
        assertThat(serve.images.file(served, "vmlinuz")).get().satisfies(p -> assertThat(p).hasContent("kernel"));
        // the original files were hard-linked (or copied), never moved away from the operator
        assertThat(k).hasContent("kernel");
    }

    @Test
    void renameOfAScriptImageAndBadRenamesAreRefusedWithoutChangingAnything() throws Exception {
        ws.addScriptImage("s", Files.writeString(tmp.resolve("s.ipxe"), "#!ipxe\necho {{ image }}\n"));
        ws.addScriptImage("t", Files.writeString(tmp.resolve("t.ipxe"), "#!ipxe\necho t\n"));
        ws.assign(MAC, "s", false);
        assertThat(script(MAC)).contains("echo s");

        for (String bad : List.of("../evil", "", ".hidden", "a/b", "x".repeat(65), "white space")) {
            assertThatThrownBy(() -> ws.renameImage("s", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image name");
        }
        assertThatThrownBy(() -> ws.renameImage("s", "t")).hasMessageContaining("there is an image named 't' already");
        assertThatThrownBy(() -> ws.renameImage("nope", "n")).hasMessageContaining("there is no image named 'nope'");
        assertThat(ws.images()).extracting(BootImage::name).containsExactly("s", "t");
        assertThat(ws.assignment(MAC)).get().extracting(Assignment::image).isEqualTo("s");

        ws.renameImage("s", "s2");
        assertThat(ws.assignment(MAC)).get().extracting(Assignment::image).isEqualTo("s2");
        assertThat(script(MAC)).contains("echo s2");
        assertThat(ws.imageFolder().resolve("s2")).doesNotExist(); // a script image has no files
    }

    @Test
    void editScriptReplacesTheTextAndTheServeServesIt() throws Exception {
        ws.addScriptImage("s", Files.writeString(tmp.resolve("s.ipxe"), "#!ipxe\necho old\n"));
        ws.assign(MAC, "s", false);
        assertThat(script(MAC)).contains("echo old");
        var created = ws.image("s").orElseThrow().created();

        ws.editScriptImage("s", Files.writeString(tmp.resolve("new.ipxe"), "#!ipxe\necho new {{ mac }}\n"));
        assertThat(ws.image("s")).get().extracting(BootImage::script).isEqualTo("#!ipxe\necho new {{ mac }}\n");
        assertThat(ws.image("s").orElseThrow().created()).isEqualTo(created);
        assertThat(script(MAC)).contains("echo new 52:54:00:00:09:01").doesNotContain("echo old");

        ws.editScriptImage("s", "#!ipxe\necho typed\n");
        assertThat(script(MAC)).contains("echo typed");

        Path bad = Files.writeString(tmp.resolve("bad.ipxe"), "echo no shebang\n");
        assertThatThrownBy(() -> ws.editScriptImage("s", bad)).hasMessageContaining("must start with #!ipxe");
        assertThatThrownBy(() -> ws.editScriptImage("s", "")).hasMessageContaining("must start with #!ipxe");
        assertThatThrownBy(() -> ws.editScriptImage("nope", "#!ipxe\n")).hasMessageContaining("no image named 'nope'");
        ws.addLinuxImage("deb", Files.writeString(tmp.resolve("vmlinuz"), "k"), List.of(), "");
        assertThatThrownBy(() -> ws.editScriptImage("deb", "#!ipxe\n")).hasMessageContaining("not a script");
        assertThat(ws.image("s")).get().extracting(BootImage::script).isEqualTo("#!ipxe\necho typed\n");
        assertThat(ws.image("deb")).get().extracting(BootImage::script).isNull();
    }
}
