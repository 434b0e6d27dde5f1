package io.bootdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bootdesk image rename and image edit on a data dir, in-process. */
class ImageCommandsTest {
    static final String MAC = "52:54:00:00:0a:01";

    @TempDir
    Path tmp;
    Path data;

    @BeforeEach
    void setUp() {
        data = tmp.resolve("data");
    }

    CliRun.Result run(String... args) {
        return CliRun.run(data, args);
    }

    @Test
    void renameMovesTheImageItsFilesAndItsAssignments() throws Exception {
        Path k = Files.writeString(tmp.resolve("vmlinuz"), "kernel");
        assertThat(run("image", "add", "linux", "--name", "deb", "--kernel", k.toString(), "--cmdline", "quiet").code())
                .isZero();
        assertThat(run("assign", MAC, "deb").code()).isZero();

        CliRun.Result r = run("image", "rename", "deb", "debian-13");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("renamed image deb to debian-13 (1 machine follows it)");

        assertThat(run("image", "list").out()).contains("debian-13").contains("quiet").doesNotContainPattern("(?m)^deb ");
        assertThat(data.resolve("images/debian-13/vmlinuz")).hasContent("kernel");
        assertThat(data.resolve("images/deb")).doesNotExist();
        try (Workspace w = Workspace.open(data)) {
            assertThat(w.assignment(MacAddress.parse(MAC))).get().extracting(Assignment::image).isEqualTo("debian-13");
        }
        assertThat(run("events", MAC).out()).contains("image deb renamed to debian-13");
    }

    @Test
    void renameRefusesBadAndTakenNames() throws Exception {
        Path s = Files.writeString(tmp.resolve("s.ipxe"), "#!ipxe\necho s\n");
        run("image", "add", "script", "--name", "s", "--file", s.toString());
        run("image", "add", "script", "--name", "t", "--file", s.toString());

        CliRun.Result bad = run("image", "rename", "s", "../evil");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("bootdesk: image name '../evil' must be");
        CliRun.Result taken = run("image", "rename", "s", "t");
        assertThat(taken.code()).isEqualTo(1);
        assertThat(taken.err()).contains("there is an image named 't' already");
        CliRun.Result missing = run("image", "rename", "nope", "x");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("there is no image named 'nope'");
        assertThat(run("image", "rename", "s").code()).isNotZero(); // NEW missing: usage error
        try (Workspace w = Workspace.open(data)) {
            assertThat(w.images()).extracting(BootImage::name).containsExactly("s", "t");
        }
    }

    @Test
    void editReplacesAScriptImagesTextAndValidatesItAsAddDoes() throws Exception {
        Path s = Files.writeString(tmp.resolve("s.ipxe"), "#!ipxe\necho old\n");
        run("image", "add", "script", "--name", "s", "--file", s.toString());
        Path n = Files.writeString(tmp.resolve("new.ipxe"), "#!ipxe\necho new {{ mac }}\n");

        CliRun.Result r = run("image", "edit", "s", "--file", n.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("replaced the script of image s");
        try (Workspace w = Workspace.open(data)) {
            assertThat(w.image("s")).get().extracting(BootImage::script).isEqualTo("#!ipxe\necho new {{ mac }}\n");
        }

        Path notScript = Files.writeString(tmp.resolve("bad.ipxe"), "echo hi\n");
        CliRun.Result bad = run("image", "edit", "s", "--file", notScript.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("is not an iPXE script: it must start with #!ipxe");
        Path k = Files.writeString(tmp.resolve("vmlinuz"), "k");
        run("image", "add", "linux", "--name", "deb", "--kernel", k.toString());
        CliRun.Result linux = run("image", "edit", "deb", "--file", n.toString());
        assertThat(linux.code()).isEqualTo(1);
        assertThat(linux.err()).contains("image deb is a linux image, not a script");
        assertThat(run("image", "edit", "nope", "--file", n.toString()).err()).contains("no image named 'nope'");
        try (Workspace w = Workspace.open(data)) {
            assertThat(w.image("s")).get().extracting(BootImage::script).isEqualTo("#!ipxe\necho new {{ mac }}\n");
        }
    }
}
