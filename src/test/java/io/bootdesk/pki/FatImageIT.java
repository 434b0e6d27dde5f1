package io.bootdesk.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FAT images read by the real tools: mtools (mdir, mcopy) and dosfstools (fsck.fat -n). */
class FatImageIT {
    @TempDir
    Path tmp;

    @BeforeEach
    void tools() {
        Requirements.requireCommand("mdir", "mtools");
        Requirements.requireCommand("mcopy", "mtools");
        Requirements.requireCommand("fsck.fat", "dosfstools");
    }

    record Run(int code, String out) {
    }

    static Run run(Path dir, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("MTOOLS_SKIP_CHECK"); // mtools' geometry checks stay on
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    static String fsck() {
        return Requirements.onPath("fsck.fat") && Files.isExecutable(Path.of("/usr/sbin/fsck.fat")) ? "/usr/sbin/fsck.fat" : "fsck.fat";
    }

    static void clean(Path dir, Path img) throws Exception {
        Run f = run(dir, fsck(), "-n", "-v", img.toString());
        assertThat(f.code()).as(f.out()).isZero();
        assertThat(f.out()).doesNotContain("differ").doesNotContain("Dirty").doesNotContain("Free cluster summary wrong")
                .doesNotContain("Recovering").doesNotContain("Wrong");
    }

    static byte[] mcopy(Path dir, Path img, String path) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".bin");
        Files.delete(out);
        Run r = run(dir, "mcopy", "-n", "-i", img.toString(), "::" + path, out.toString());
        assertThat(r.code()).as(r.out()).isZero();
        return Files.readAllBytes(out);
    }

    @Test
    void theCaImageIsReadByMtoolsAndCleanForFsck() throws Exception {
        CertificateAuthority ca = new CertificateAuthority(tmp.resolve("ca"), new MemoryLedger(), PassphraseSource.NONE,
                CaOptions.defaults());
        Path img = tmp.resolve("ca.img");
        ca.caFatImage().writeTo(img);

        Run dir = run(tmp, "mdir", "-i", img.toString(), "::/");
        assertThat(dir.code()).as(dir.out()).isZero();
        assertThat(dir.out()).contains("Volume in drive : is BOOTDESK CA").contains("bootdesk-ca.der").contains("bootdesk-ca.pem")
                .contains("bootdesk-ca.esl").contains("README   TXT");
        assertThat(mcopy(tmp, img, "/bootdesk-ca.der")).isEqualTo(ca.rootDer());
        assertThat(new String(mcopy(tmp, img, "/bootdesk-ca.pem"), StandardCharsets.US_ASCII)).isEqualTo(ca.rootPem());
        assertThat(mcopy(tmp, img, "/bootdesk-ca.esl")).isEqualTo(ca.efiSignatureList());
        clean(tmp, img);
    }

    @Test
    void aBootMediumLayoutIsReadByMtoolsAndCleanForFsck() throws Exception {
        Path ipxe = Path.of("/usr/lib/ipxe/ipxe.efi");
        byte[] efi;
        if (Files.isRegularFile(ipxe)) {
            efi = Files.readAllBytes(ipxe);
        } else {
            efi = new byte[1_048_576 + 333];
            new Random(7).nextBytes(efi);
        }
        Path efiFile = Files.write(tmp.resolve("BOOTX64.EFI"), efi);
        String script = "#!ipxe\ndhcp\nset cert 30:82\nchain https://10.99.0.1/mtls.ipxe\n";
        for (FatImage.Type type : FatImage.Type.values()) {
            FatImage built = FatImage.builder().label("BOOTDESK").type(type).size(type == FatImage.Type.FAT12 ? 4 << 20 : 16 << 20)
                    .file("EFI/BOOT/BOOTX64.EFI", efiFile)
                    .file("EFI/BOOT/autoexec.ipxe", script.getBytes(StandardCharsets.US_ASCII))
                    .build();
            assertThat(built.type()).isEqualTo(type);
            Path img = tmp.resolve("media-" + type + ".img");
            built.writeTo(img);
            Run tree = run(tmp, "mdir", "-/", "-i", img.toString(), "::/");
            assertThat(tree.code()).as(tree.out()).isZero();
            assertThat(tree.out()).contains("Directory for ::/EFI/BOOT").contains("BOOTX64  EFI").contains("autoexec.ipxe");
            assertThat(mcopy(tmp, img, "/EFI/BOOT/BOOTX64.EFI")).isEqualTo(efi);
            assertThat(new String(mcopy(tmp, img, "/EFI/BOOT/autoexec.ipxe"), StandardCharsets.US_ASCII)).isEqualTo(script);
            clean(tmp, img);
            Run info = run(tmp, fsck(), "-n", "-v", img.toString());
            assertThat(info.out()).contains(type == FatImage.Type.FAT12 ? "2 FATs, 12 bit entries" : "2 FATs, 16 bit entries");
        }
    }

    @Property(tries = 8)
    void randomTreesAreCleanAndReadBack(@ForAll @IntRange(min = 1, max = 40) int files, @ForAll @IntRange(min = 0, max = 100_000) int seed)
            throws Exception {
        tools();
        Path dir = Files.createTempDirectory("fatprop");
        try {
            Random r = new Random(seed);
            FatImage.Builder b = FatImage.builder();
            Map<String, byte[]> expected = new LinkedHashMap<>();
            for (int i = 0; i < files; i++) {
                String folder = switch (r.nextInt(3)) {
                    case 0 -> "";
                    case 1 -> "EFI/BOOT/";
                    default -> "Some Folder " + r.nextInt(3) + "/deeper/";
                };
                String name = switch (r.nextInt(3)) {
                    case 0 -> "F" + i + ".BIN";
                    case 1 -> "long file name " + i + ".data";
                    default -> "machine-" + i + "-certificate.pem";
                };
                byte[] content = new byte[r.nextInt(20_000)];
                r.nextBytes(content);
                b.file(folder + name, content);
                expected.put("/" + folder + name, content);
            }
            Path img = dir.resolve("p.img");
            b.build().writeTo(img);
            clean(dir, img);
            for (var e : expected.entrySet()) {
                assertThat(mcopy(dir, img, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
