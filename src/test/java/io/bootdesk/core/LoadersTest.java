package io.bootdesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoadersTest {
    @TempDir
    Path tmp;
    Path root;
    Path ipxe;
    Loaders loaders;

    @BeforeEach
    void files() throws IOException {
        root = Files.createDirectories(tmp.resolve("tftp"));
        ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        Files.createDirectories(root.resolve("pxelinux.cfg"));
        Files.writeString(root.resolve("pxelinux.cfg/default"), "DEFAULT menu");
        Files.writeString(root.resolve("snponly.efi"), "root copy");
        Files.writeString(ipxe.resolve("snponly.efi"), "ipxe copy");
        Files.writeString(ipxe.resolve("undionly.kpxe"), "bios");
        Files.writeString(tmp.resolve("secret"), "outside");
        Files.createSymbolicLink(root.resolve("out-link"), tmp.resolve("secret"));
        Files.createSymbolicLink(root.resolve("in-link"), root.resolve("pxelinux.cfg/default"));
        Files.createSymbolicLink(root.resolve("dir-out"), tmp);
        loaders = new Loaders(ipxe, root);
    }

    @Test
    void subdirectoriesResolveInsideTheRoot() throws IOException {
        assertThat(loaders.resolvePath("pxelinux.cfg/default")).contains(root.resolve("pxelinux.cfg/default").toRealPath());
        assertThat(loaders.resolvePath("pxelinux.cfg/./default")).contains(root.resolve("pxelinux.cfg/default").toRealPath());
    }

    @Test
    void oneLeadingSlashIsRelative() throws IOException {
        assertThat(loaders.resolvePath("/pxelinux.cfg/default")).contains(root.resolve("pxelinux.cfg/default").toRealPath());
        assertThat(loaders.resolvePath("/undionly.kpxe")).contains(ipxe.resolve("undionly.kpxe").toRealPath());
    }

    @Test
    void tftpRootComesBeforeTheIpxeDirectory() throws IOException {
        assertThat(loaders.resolvePath("snponly.efi")).contains(root.resolve("snponly.efi").toRealPath());
        assertThat(loaders.resolvePath("undionly.kpxe")).contains(ipxe.resolve("undionly.kpxe").toRealPath());
    }

    @Test
    void aSymlinkInsideTheRootIsFollowed() throws IOException {
        assertThat(loaders.resolvePath("in-link")).contains(root.resolve("pxelinux.cfg/default").toRealPath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "//secret", "///tftp/snponly.efi", "../secret", "pxelinux.cfg/../../secret",
            "pxelinux.cfg/../default", "..", "a/..", "pxelinux.cfg\\default", "..\\secret", "snponly.efi\0.txt",
            "out-link", "dir-out/secret", "dir-out/ipxe/undionly.kpxe", ".hidden", "pxelinux.cfg/.x", "pxelinux.cfg",
            "pxelinux.cfg/", "missing", "C:\\boot.ini"})
    void refusesAnythingOutsideTheRootsOrMissing(String requested) throws IOException {
        Files.writeString(root.resolve(".hidden"), "hidden");
        Files.writeString(root.resolve("pxelinux.cfg/.x"), "hidden");
        assertThat(loaders.resolvePath(requested)).isEmpty();
    }

    @Test
    void aLinkedDirectoryCountsByWhereItsFilesReallyAre() throws IOException {
        // tftp/dir-out -> tmp, so tftp/dir-out/tftp/snponly.efi really is tftp/snponly.efi: inside, served
        assertThat(loaders.resolvePath("dir-out/tftp/snponly.efi")).contains(root.resolve("snponly.efi").toRealPath());
    }

    @Test
    void absolutePathOfAFileInsideTheRootIsStillRefused() {
        // "//abs" is still absolute after stripping one slash; "/abs" becomes relative and is looked up under the root
        String abs = root.resolve("snponly.efi").toString();
        assertThat(loaders.resolvePath("/" + abs)).isEmpty();
        assertThat(loaders.resolvePath(abs)).isEmpty(); // relative "tmp/.../tftp/snponly.efi" is not under the root
    }

    @Test
    void missingRootsAreSkipped() throws IOException {
        Loaders l = new Loaders(tmp.resolve("no-such-ipxe"), null);
        assertThat(l.resolvePath("undionly.kpxe")).isEmpty();
        Loaders onlyIpxe = new Loaders(ipxe, tmp.resolve("no-such-root"));
        assertThat(onlyIpxe.resolvePath("undionly.kpxe")).contains(ipxe.resolve("undionly.kpxe").toRealPath());
    }

    @Test
    void plainNameResolveIsUnchanged() {
        assertThat(loaders.resolve("snponly.efi")).contains(root.resolve("snponly.efi"));
        assertThat(loaders.resolve("pxelinux.cfg/default")).isEmpty();
    }
}
