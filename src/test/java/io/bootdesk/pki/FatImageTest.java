package io.bootdesk.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FatImageTest {
    @TempDir
    Path tmp;

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aBootMediumLayoutReadsBackWithLongNamesAndShortAliases() throws Exception {
        byte[] efi = random(1_100_000, 1);
        String script = "#!ipxe\ndhcp\nchain https://10.99.0.1/boot.ipxe\n";
        FatImage img = FatImage.builder().label("bootdesk").volumeId(0x12345678).time(LocalDateTime.of(2026, 11, 22, 10, 30, 44))
                .file("EFI/BOOT/BOOTX64.EFI", efi)
                .file("EFI/BOOT/autoexec.ipxe", script.getBytes(StandardCharsets.US_ASCII))
                .directory("empty")
                .file("zero.bin", new byte[0])
                .build();
        assertThat(img.type()).isEqualTo(FatImage.Type.FAT12);
        assertThat(img.size()).isEqualTo(2 * 1024 * 1024);
        byte[] bytes = img.toByteArray();
        FatReader r = new FatReader(bytes);

        assertThat(r.fat12).isTrue();
        assertThat(r.label).isEqualTo("BOOTDESK");
        assertThat(r.bytesPerSector).isEqualTo(512);
        assertThat(r.totalSectors * 512).isEqualTo(img.size());
        assertThat(r.totalSectors % FatImage.SECTORS_PER_TRACK).isZero();
        assertThat(new String(bytes, 54, 8, StandardCharsets.US_ASCII)).isEqualTo("FAT12   ");
        assertThat(bytes[38] & 0xFF).isEqualTo(0x29);
        assertThat(java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(39)).isEqualTo(0x12345678);
        assertThat(r.fat(0, 0)).isEqualTo(0xFF8);
        assertThat(r.fat(0, 1)).isEqualTo(0xFFF);
        for (int c = 0; c < r.clusters + 2; c++) {
            assertThat(r.fat(1, c)).as("second FAT copy, cluster " + c).isEqualTo(r.fat(0, c));
        }

        assertThat(r.read("EFI/BOOT/BOOTX64.EFI")).isEqualTo(efi);
        assertThat(new String(r.read("EFI/BOOT/autoexec.ipxe"), StandardCharsets.US_ASCII)).isEqualTo(script);
        assertThat(r.read("zero.bin")).isEmpty();
        assertThat(r.find("zero.bin").cluster()).isZero();

        List<FatReader.Entry> boot = r.listDir("EFI/BOOT");
        assertThat(boot.get(0).shortName()).isEqualTo(".          ");
        assertThat(boot.get(1).shortName()).isEqualTo("..         ");
        assertThat(boot.get(1).cluster()).isEqualTo(r.find("EFI").cluster());
        assertThat(r.listDir("EFI").get(1).cluster()).as(".. of a root subfolder is 0").isZero();
        FatReader.Entry bootx = boot.stream().filter(e -> e.shortName().equals("BOOTX64 EFI")).findFirst().orElseThrow();
        assertThat(bootx.longName()).as("an upper-case 8.3 name needs no long name").isNull();
        FatReader.Entry auto = boot.stream().filter(e -> "autoexec.ipxe".equals(e.longName())).findFirst().orElseThrow();
        assertThat(auto.shortName()).isEqualTo("AUTOEX~1IPX");
        assertThat(auto.checksumOk()).isEqualTo(1);
        assertThat(r.listDir("").get(0).attr()).as("the volume label entry").isEqualTo(0x08);
        assertThat(r.listDir("empty")).hasSize(2);
    }

    @Test
    void largerImagesAreFat16AndTheTypeFollowsTheClusterCount() throws Exception {
        FatImage img = FatImage.builder().size(16 * 1024 * 1024).file("EFI/BOOT/BOOTX64.EFI", random(3_000_000, 2)).build();
        assertThat(img.type()).isEqualTo(FatImage.Type.FAT16);
        FatReader r = new FatReader(img.toByteArray());
        assertThat(r.fat12).isFalse();
        assertThat(r.clusters).isBetween(4085L + 16, 65524L - 16);
        assertThat(r.fat(0, 0)).isEqualTo(0xFFF8);
        assertThat(r.read("EFI/BOOT/BOOTX64.EFI")).isEqualTo(random(3_000_000, 2));

        FatImage forced = FatImage.builder().size(8 * 1024 * 1024).type(FatImage.Type.FAT12).file("a", new byte[10]).build();
        assertThat(new FatReader(forced.toByteArray()).clusters).isLessThan(4085 - 16);
        assertThat(FatImage.builder().size(64 * 1024 * 1024 + 16 * 1024).file("a", new byte[1]).build().type())
                .isEqualTo(FatImage.Type.FAT16);
        assertThat(new FatReader(FatImage.builder().size(40 * 1024 * 1024).file("a", new byte[1]).build().toByteArray()).totalSectors)
                .as("more than 65535 sectors: the 32-bit total").isEqualTo(40 * 2048);
    }

    @Test
    void manyLongNamesInOneFolderGetUniqueAliasesAndSpanClusters() throws Exception {
        FatImage.Builder b = FatImage.builder();
        for (int i = 0; i < 60; i++) {
            b.file("certificates/machine-certificate-number-" + i + ".pem", ("cert " + i).getBytes(StandardCharsets.US_ASCII));
        }
        b.file("Mixed Case Name With Spaces and a very long tail that needs several entries.txt", "x".getBytes(StandardCharsets.US_ASCII));
        FatReader r = new FatReader(b.build().toByteArray());
        Set<String> shortNames = new HashSet<>();
        for (FatReader.Entry e : r.listDir("certificates")) {
            assertThat(shortNames.add(e.shortName())).as("unique " + e.shortName()).isTrue();
            if (e.longName() != null) {
                assertThat(e.checksumOk()).isEqualTo(1);
            }
        }
        for (int i = 0; i < 60; i++) {
            assertThat(new String(r.read("certificates/machine-certificate-number-" + i + ".pem"), StandardCharsets.US_ASCII))
                    .isEqualTo("cert " + i);
        }
        assertThat(r.chain(r.find("certificates").cluster())).as("the folder needs more than one 512-byte cluster").hasSizeGreaterThan(1);
        assertThat(r.read("mixed case name with spaces and a very long tail that needs several entries.txt")).containsExactly('x');
    }

    @Test
    void shortNameAliasesFollowTheUsualRules() {
        Set<String> used = new HashSet<>();
        assertThat(FatImage.alias("autoexec.ipxe", used)).isEqualTo("AUTOEX~1IPX");
        used.add("AUTOEX~1IPX");
        assertThat(FatImage.alias("AutoExec.iPXE", used)).isEqualTo("AUTOEX~2IPX");
        assertThat(FatImage.alias(".hidden", used)).isEqualTo("HIDDEN~1   ");
        assertThat(FatImage.alias("a+b=c.tar.gz", used)).isEqualTo("A_B_CT~1GZ ");
        assertThat(FatImage.exactShortName("BOOTX64.EFI")).isEqualTo("BOOTX64 EFI");
        assertThat(FatImage.exactShortName("README")).isEqualTo("README     ");
        assertThat(FatImage.exactShortName("readme.txt")).isNull();
        assertThat(FatImage.exactShortName("TOOLONGNAME.TXT")).isNull();
        assertThat(FatImage.checksum("AUTOEX~1IPX")).isBetween(0, 255);
    }

    @Test
    void badInputIsRefusedWithASentence() throws Exception {
        assertThatThrownBy(() -> FatImage.builder().file("a/b:c", new byte[1])).hasMessageContaining("is not a valid FAT long file name");
        assertThatThrownBy(() -> FatImage.builder().file("..", new byte[1])).hasMessageContaining("not a valid");
        assertThatThrownBy(() -> FatImage.builder().file("x.", new byte[1])).hasMessageContaining("not a valid");
        assertThatThrownBy(() -> FatImage.builder().file("/", new byte[1])).hasMessageContaining("names no file");
        assertThatThrownBy(() -> FatImage.builder().file("a", new byte[1]).file("A", new byte[1])).hasMessageContaining("is in the image already");
        assertThatThrownBy(() -> FatImage.builder().file("a", new byte[1]).file("a/b", new byte[1])).hasMessageContaining("is a file in the image");
        assertThatThrownBy(() -> FatImage.builder().size(1000)).hasMessageContaining("multiple of 16 KiB");
        assertThatThrownBy(() -> FatImage.builder().label("way too long label")).hasMessageContaining("is not a FAT volume label");
        assertThatThrownBy(() -> FatImage.builder().size(1024 * 1024).file("big", new byte[2 * 1024 * 1024]).build())
                .hasMessageContaining("the files need").hasMessageContaining("1 MiB");
        assertThatThrownBy(() -> FatImage.builder().size(1024 * 1024).type(FatImage.Type.FAT16).file("a", new byte[1]).build())
                .hasMessageContaining("cannot be FAT16");
        FatImage.Builder many = FatImage.builder();
        for (int i = 0; i < 200; i++) {
            many.file("long file name number " + i, new byte[0]);
        }
        assertThatThrownBy(many::build).hasMessageContaining("the root folder can hold 511");
        assertThatThrownBy(() -> FatImage.builder().file("x", tmp.resolve("missing"))).hasMessageContaining("is not a file");
    }

    @Test
    void writingToAFileStreamsSourceFilesAndReplacesAtomically() throws Exception {
        Path src = Files.write(tmp.resolve("ipxe.efi"), random(700_000, 3));
        Path out = tmp.resolve("boot.img");
        Files.writeString(out, "old");
        FatImage img = FatImage.builder().file("EFI/BOOT/BOOTX64.EFI", src).build();
        img.writeTo(out);
        assertThat(Files.size(out)).isEqualTo(img.size());
        assertThat(new FatReader(Files.readAllBytes(out)).read("EFI/BOOT/BOOTX64.EFI")).isEqualTo(Files.readAllBytes(src));
        assertThat(img.toByteArray()).isEqualTo(Files.readAllBytes(out));
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ipxe.efi", "boot.img");
        }
        Files.write(src, new byte[10]);
        assertThatThrownBy(() -> img.writeTo(tmp.resolve("again.img"))).hasMessageContaining("changed size");
        assertThat(tmp.resolve("again.img")).doesNotExist();
    }

    @Property(tries = 40)
    void randomTreesReadBackExactly(@ForAll @IntRange(min = 1, max = 25) int files, @ForAll @IntRange(min = 0, max = 200_000) int seed) throws Exception {
        Random r = new Random(seed);
        FatImage.Builder b = FatImage.builder();
        java.util.Map<String, byte[]> expected = new java.util.LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < files; i++) {
            String dir = r.nextBoolean() ? "" : "d" + r.nextInt(3) + "/" + (r.nextBoolean() ? "" : "Sub Folder " + r.nextInt(2) + "/");
            String name = switch (r.nextInt(3)) {
                case 0 -> "F" + i + ".BIN";
                case 1 -> "file number " + i + ".data";
                default -> "ünïcødé-" + i + ".txt";
            };
            String path = dir + name;
            if (!taken.add(path.toUpperCase(java.util.Locale.ROOT))) {
                continue;
            }
            byte[] content = random(r.nextInt(5000), seed * 31L + i);
            b.file(path, content);
            expected.put(path, content);
        }
        FatReader reader = new FatReader(b.build().toByteArray());
        for (var e : expected.entrySet()) {
            assertThat(reader.read(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }
}
