package io.bootdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.BootStage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.store.Batch;
import io.bootdesk.store.Database;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bootdesk machines} names each network card's vendor from its OUI, in a column after the old ones. */
class MachinesCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theVendorColumnComesAfterTheOldOnes() {
        Path data = tmp.resolve("data");
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        try (Database db = Database.open(data)) {
            new Batch(List.of(), List.of(
                    new Machine(MacAddress.parse("52:54:00:00:00:01"), "10.99.0.10", "PXEClient", ClientArch.EFI_X64,
                            ClientKind.PXE, null, BootStage.DISCOVERED, "", -1, null, t, t, null, null),
                    new Machine(MacAddress.parse("02:00:00:00:00:02"), "10.99.0.11", "PXEClient", ClientArch.BIOS_X86,
                            ClientKind.PXE, null, BootStage.DISCOVERED, "", -1, null, t, t, null, null)),
                    List.of(), List.of()).commit(db);
        }
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(Main.run("--data-dir", data.toString(), "machines")).isZero();
        } finally {
            System.setOut(old);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("MAC").matches(".*LAST SEEN +VENDOR +NAME +IPXE HTTPS");
        assertThat(lines).anyMatch(l -> l.startsWith("52:54:00:00:00:01") && l.matches(".* QEMU/KVM +- +-"));
        assertThat(lines).anyMatch(l -> l.startsWith("02:00:00:00:00:02") && l.matches(".* locally administered +- +-"));
    }
}
