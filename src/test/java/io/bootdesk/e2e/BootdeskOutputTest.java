package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BootdeskOutputTest {

    @Test
    void readsAMachineRowByColumnPositionEvenWithSpacesInCells() {
        String out = """
                MAC                IP           VENDOR CLASS                      ARCH      FIRMWARE  STAGE    IMAGE      LAST SEEN
                52:54:00:e2:01:01  10.99.1.100  PXEClient:Arch:00000:UNDI:002001  BIOS x86  BIOS      waiting  -          2026-11-22 01:02:03
                52:54:00:e2:01:02  -            HTTPClient:Arch:00016:UNDI:003000 UEFI x86_64 HTTP UEFI  booted  uki (once)  2026-11-22 01:02:04
                """;
        Map<String, String> row = BootdeskOutput.machineRow(out, "52:54:00:E2:01:01");
        assertThat(row).containsEntry("ARCH", "BIOS x86").containsEntry("STAGE", "waiting").containsEntry("IMAGE", "-")
                .containsEntry("LAST SEEN", "2026-11-22 01:02:03");
        assertThat(BootdeskOutput.machineRow(out, "52:54:00:e2:01:03")).isNull();
        assertThat(BootdeskOutput.machineRow("no machines seen yet\n", "52:54:00:e2:01:01")).isNull();
    }

    @Test
    void readsEventTypesAndSkipsOtherLines() {
        String out = """
                2026-11-22 01:02:03.456  52:54:00:e2:01:01  10.99.1.100      DHCP_ACK            REQUEST from iPXE: leased
                2026-11-22 01:02:04.001  52:54:00:e2:01:01  -                HTTP_SCRIPT         served the script (412 bytes)
                no events
                """;
        assertThat(BootdeskOutput.eventTypes(out)).containsExactly("DHCP_ACK", "HTTP_SCRIPT");
        assertThat(BootdeskOutput.events(out).get(0).ip()).isEqualTo("10.99.1.100");
        assertThat(BootdeskOutput.events(out).get(1).message()).isEqualTo("served the script (412 bytes)");
    }
}
