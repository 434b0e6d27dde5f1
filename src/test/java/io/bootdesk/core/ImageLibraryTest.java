package io.bootdesk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.model.BootImage;
import io.bootdesk.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void addReplaceServeAndRemove() throws Exception {
        try (Database db = Database.open(tmp.resolve("data"))) {
            ImageLibrary lib = new ImageLibrary(tmp.resolve("data"), db);
            Path k = Files.writeString(tmp.resolve("vmlinuz"), "v1");
            BootImage i = lib.addLinux("deb", k, List.of(), "");
            assertThat(lib.file(i, "vmlinuz")).get().satisfies(p -> assertThat(Files.readString(p)).isEqualTo("v1"));
            Path k2 = Files.writeString(Files.createDirectories(tmp.resolve("k2")).resolve("vmlinuz"), "v2");
            BootImage j = lib.addLinux("deb", k2, List.of(), "quiet");
            assertThat(Files.readString(lib.file(j, "vmlinuz").orElseThrow())).isEqualTo("v2");
            assertThat(lib.list()).extracting(BootImage::cmdline).containsExactly("quiet");
            assertThat(lib.remove("deb")).isTrue();
            assertThat(lib.list()).isEmpty();
            assertThat(lib.root().resolve("deb")).doesNotExist();
        }
    }

    @Test
    void fileNeverResolvesOutsideTheImage() throws Exception {
        try (Database db = Database.open(tmp.resolve("data"))) {
            ImageLibrary lib = new ImageLibrary(tmp.resolve("data"), db);
            BootImage i = lib.addLinux("deb", Files.writeString(tmp.resolve("vmlinuz"), "k"), List.of(), "");
            for (String bad : List.of("../../bootdesk.db", "..", ".", "", "/etc/passwd", "sub/x", "initrd")) {
                assertThat(lib.file(i, bad)).as(bad).isEmpty();
            }
            // a symbolic link planted in the image folder pointing elsewhere is not followed
            Path dir = lib.root().resolve("deb");
            Files.delete(dir.resolve("vmlinuz"));
            Files.createSymbolicLink(dir.resolve("vmlinuz"), tmp.resolve("data").resolve("bootdesk.db"));
            assertThat(lib.file(i, "vmlinuz")).isEmpty();
        }
    }

    @Test
    void badInputLeavesStateAsItWas() throws Exception {
        try (Database db = Database.open(tmp.resolve("data"))) {
            ImageLibrary lib = new ImageLibrary(tmp.resolve("data"), db);
            assertThatThrownBy(() -> lib.addLinux("deb", tmp.resolve("missing"), List.of(), ""))
                    .hasMessageContaining("no such file");
            assertThatThrownBy(() -> lib.addLinux("../evil", Files.writeString(tmp.resolve("k"), "k"), List.of(), ""))
                    .hasMessageContaining("image name");
            Path notScript = Files.writeString(tmp.resolve("x.ipxe"), "echo hi");
            assertThatThrownBy(() -> lib.addScript("s", notScript)).hasMessageContaining("#!ipxe");
            assertThatThrownBy(() -> lib.addEfi("e", Files.writeString(tmp.resolve("e.bin"), "MZ")))
                    .hasMessageContaining(".efi");
            assertThat(lib.list()).isEmpty();
            assertThat(lib.root().resolve("e")).doesNotExist();
        }
    }
}
