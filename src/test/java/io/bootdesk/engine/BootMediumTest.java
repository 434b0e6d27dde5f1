package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.cli.Main;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.pki.FatReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot medium as both faces ask for it: {@code bootdesk media create} and the console hand the same
 * {@link BootMedium} to {@link Certificates#createBootMedium(BootMedium)}, so their images hold the same files.
 */
public class BootMediumTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:0b:00:01");

    @TempDir
    Path tmp;

    @Test
    void defaultsComeFromTheEngineAndTheUrlNamesTheMutualTlsListener() throws Exception {
        EngineConfig c = EngineConfig.standard(tmp, "enx0", DhcpMode.PROXY);
        BootMedium m = BootMedium.forMachine(MAC, tmp.resolve("m.img"), c, "10.99.0.1");
        assertThat(m.mtlsPort()).isEqualTo(8443);
        assertThat(m.ipxeDir()).isEqualTo(Path.of("/usr/lib/ipxe"));
        assertThat(m.scriptUrl()).isEqualTo("https://10.99.0.1:8443/boot/52-54-00-0b-00-01.ipxe");
        assertThat(BootMedium.forMachine(MAC, tmp.resolve("m.img"), c, null).scriptUrl())
                .isEqualTo("https://${next-server}:8443/boot/52-54-00-0b-00-01.ipxe");
        assertThat(new BootMedium(MAC, tmp.resolve("x"), "  ", 9443, null, null).server()).isNull();

        Path dir = Files.createDirectories(tmp.resolve("ipxe"));
        BootMedium inDir = new BootMedium(MAC, tmp.resolve("x"), null, 8443, dir, null);
        assertThatThrownBy(inDir::efi).hasMessageContaining("no ipxe-amd64.efi or ipxe.efi in " + dir);
        Files.write(dir.resolve("ipxe.efi"), new byte[10]);
        assertThat(inDir.efi()).isEqualTo(dir.resolve("ipxe.efi"));
        Files.write(dir.resolve("ipxe-amd64.efi"), new byte[10]);
        assertThat(inDir.efi()).isEqualTo(dir.resolve("ipxe-amd64.efi"));
        assertThatThrownBy(() -> new BootMedium(MAC, tmp.resolve("x"), null, 0, dir, null))
                .hasMessageContaining("1 to 65535");
    }

    @Test
    void theEngineWritesWhatTheCliWrites() throws Exception {
        Path data = tmp.resolve("data");
        Path dir = Files.createDirectories(tmp.resolve("ipxe"));
        byte[] efi = new byte[70_000];
        for (int i = 0; i < efi.length; i++) {
            efi[i] = (byte) (i * 7);
        }
        Files.write(dir.resolve("ipxe-amd64.efi"), efi);
        Path byCli = tmp.resolve("cli.img");
        assertThat(Main.run("--data-dir", data.toString(), "media", "create", MAC.toString(), "--out", byCli.toString(),
                "--server", "10.99.0.1", "--ipxe-dir", dir.toString())).isZero();
        Path byEngine = tmp.resolve("engine.img");
        BootMedium.Written w;
        try (Workspace ws = Workspace.open(data)) {
            w = ws.certificates(CaPassphrases.Input.NONE)
                    .createBootMedium(new BootMedium(MAC, byEngine, "10.99.0.1", 8443, dir, null));
        }
        assertThat(w.efi()).isEqualTo(dir.resolve("ipxe-amd64.efi"));
        assertThat(w.scriptUrl()).isEqualTo("https://10.99.0.1:8443/boot/52-54-00-0b-00-01.ipxe");
        assertSameMedium(byEngine, byCli, efi);
    }

    /** {@code actual} is a FAT image with the same files as {@code expected}: the EFI iPXE and autoexec.ipxe. */
    public static void assertSameMedium(Path actual, Path expected, byte[] efi) throws Exception {
        FatReader a = new FatReader(Files.readAllBytes(actual));
        FatReader e = new FatReader(Files.readAllBytes(expected));
        assertThat(a.label).isEqualTo("BOOTDESK").isEqualTo(e.label);
        assertThat(a.read("EFI/BOOT/BOOTX64.EFI")).isEqualTo(efi).isEqualTo(e.read("EFI/BOOT/BOOTX64.EFI"));
        String auto = new String(a.read("EFI/BOOT/autoexec.ipxe"), StandardCharsets.US_ASCII);
        assertThat(auto).startsWith("#!ipxe\n").contains("set cert ").contains("set privkey ")
                .isEqualTo(new String(e.read("EFI/BOOT/autoexec.ipxe"), StandardCharsets.US_ASCII));
        assertThat(a.listDir("EFI/BOOT")).extracting(FatReader.Entry::shortName)
                .containsExactlyInAnyOrderElementsOf(e.listDir("EFI/BOOT").stream().map(FatReader.Entry::shortName).toList());
    }
}
