package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.demo.Cpio;
import io.bootdesk.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The initramfs writer, read back by GNU cpio (the real peer besides the kernel, which E2eHarnessIT boots). */
class CpioTest {

    @Test
    void gnuCpioListsWhatWasWritten(@TempDir Path dir) throws Exception {
        Requirements.requireCommand("cpio", "cpio");
        Cpio c = new Cpio().dir("bin").dir("dev")
                .file("bin/hello", 0755, "#!/bin/sh\necho odd-length\n".getBytes(StandardCharsets.UTF_8))
                .symlink("bin/sh", "hello")
                .charDevice("dev/ttyS0", 0666, 4, 64)
                .file("init", 0700, new byte[] {1, 2, 3});
        Path a = dir.resolve("a.cpio");
        Files.write(a, c.bytes());
        String list = Cmd.run(Duration.ofSeconds(30), dir, "sh", "-c", "cpio -itv < a.cpio").check();
        assertThat(list).contains("bin/sh -> hello");
        assertThat(list).containsPattern("crw-rw-rw-.*4,\\s+64 .*dev/ttyS0");
        assertThat(list).containsPattern("-rwx------ .* 3 .*init");
        assertThat(list).containsPattern("drwxr-xr-x .*bin");
        // and the compressed form is the same archive
        Files.write(dir.resolve("a.cpio.gz"), c.gzipped());
        Path out = Files.createDirectories(dir.resolve("x"));
        Cmd.run(Duration.ofSeconds(30), out, "sh", "-c", "gzip -dc ../a.cpio.gz | cpio -id --no-absolute-filenames bin/hello init").check();
        assertThat(Files.readString(out.resolve("bin/hello"))).isEqualTo("#!/bin/sh\necho odd-length\n");
        assertThat(Files.readAllBytes(out.resolve("init"))).containsExactly(1, 2, 3);
    }

    @Test
    void isReproducible() {
        byte[] one = new Cpio().dir("d").file("d/f", 0644, new byte[] {42}).gzipped();
        byte[] two = new Cpio().dir("d").file("d/f", 0644, new byte[] {42}).gzipped();
        assertThat(one).isEqualTo(two);
    }
}
