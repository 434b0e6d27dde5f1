package io.bootdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.store.Batch;
import io.bootdesk.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bootdesk name, forget, machines and events on a data dir, in-process. */
class MachineCommandsTest {
    static final String MAC = "52:54:00:00:08:01";
    static final String MAC2 = "52:54:00:00:08:02";

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

    /** Rows as a serve writes them. */
    void seen(String mac, Boolean ipxeHttps) {
        Instant t = Instant.now();
        try (Database db = Database.open(data)) {
            new Batch(List.of(), List.of(new Machine(MacAddress.parse(mac), "10.99.0.10", "PXEClient:Arch:00000",
                    ClientArch.BIOS_X86, ClientKind.IPXE, null, BootStage.WAITING, "waiting", -1, "iPXE/1.21.1", t, t,
                    null, ipxeHttps)), List.of(), List.of()).commit(db);
        }
    }

    /** The row of {@code mac} in {@code bootdesk machines}, column name -> cell. */
    Map<String, String> machineRow(String mac) {
        String out = run("machines").out();
        List<String> lines = out.lines().toList();
        String header = lines.get(0);
        List<String> names = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\\S+(?: \\S+)*").matcher(header);
        while (m.find()) {
            names.add(m.group());
            starts.add(m.start());
        }
        for (String line : lines) {
            if (line.startsWith(mac)) {
                Map<String, String> row = new java.util.LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    int from = Math.min(starts.get(i), line.length());
                    int to = i + 1 < names.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
                    row.put(names.get(i), line.substring(from, to).strip());
                }
                return row;
            }
        }
        return null;
    }

    @Test
    void nameShowsInTheTableAndTheJournalAndAnEmptyNameClearsIt() {
        seen(MAC, true);
        seen(MAC2, null);
        CliRun.Result r = run("name", MAC, "rack 3 left");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(MAC).contains("'rack 3 left'");
        Map<String, String> row = machineRow(MAC);
        assertThat(row).containsEntry("NAME", "rack 3 left").containsEntry("STAGE", "waiting")
                .containsEntry("FIRMWARE", "BIOS").containsEntry("IPXE HTTPS", "yes");
        assertThat(machineRow(MAC2)).containsEntry("NAME", "-").containsEntry("IPXE HTTPS", "-");
        assertThat(run("machines").out().lines().findFirst().orElseThrow()).as("new columns last")
                .startsWith("MAC").matches(".*LAST SEEN +VENDOR +NAME +IPXE HTTPS");
        assertThat(run("events", MAC).out()).contains("MACHINE_RENAMED").contains("named 'rack 3 left'");

        assertThat(run("name", MAC, "").out()).contains("name cleared");
        assertThat(machineRow(MAC)).containsEntry("NAME", "-");
        assertThat(run("events", MAC).out()).contains("name 'rack 3 left' cleared");
    }

    @Test
    void aTooLongNameIsOneSentenceAndChangesNothing() {
        seen(MAC, false);
        run("name", MAC, "keep");
        CliRun.Result r = run("name", MAC, "x".repeat(65));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("bootdesk: ").contains("at most 64 characters");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(machineRow(MAC)).containsEntry("NAME", "keep").containsEntry("IPXE HTTPS", "no");
    }

    @Test
    void aMachineNotSeenYetCanBeNamed() {
        CliRun.Result r = run("name", MAC2, "spare");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("not seen yet");
        assertThat(machineRow(MAC2)).containsEntry("NAME", "spare").containsEntry("STAGE", "discovered");
    }

    @Test
    void forgetRemovesTheRowAndTheAssignmentAndKeepsTheEvents() throws Exception {
        seen(MAC, null);
        seen(MAC2, null);
        Path kernel = Files.writeString(tmp.resolve("vmlinuz"), "kernel");
        assertThat(run("image", "add", "linux", "--name", "deb", "--kernel", kernel.toString()).code()).isZero();
        assertThat(run("assign", MAC, "deb").code()).isZero();

        CliRun.Result r = run("forget", MAC);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(MAC + " forgotten").contains("deb");
        assertThat(machineRow(MAC)).isNull();
        assertThat(machineRow(MAC2)).isNotNull();
        try (Workspace w = Workspace.open(data)) {
            assertThat(w.assignment(MacAddress.parse(MAC))).isEmpty();
        }
        String events = run("events", MAC).out();
        assertThat(events).contains("ASSIGNMENT").contains("MACHINE_FORGOTTEN")
                .contains("its assignment of deb removed");

        CliRun.Result again = run("forget", MAC);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).startsWith("bootdesk: ").contains("no machine " + MAC);
    }

    @Test
    void certListShowsWhenACertificateWasPresentedAndVerified() {
        assertThat(run("cert", "issue", MAC).code()).isZero();
        assertThat(run("cert", "list").out()).contains("VERIFIED").doesNotContain("verified 2");
        String serial;
        try (Workspace w = Workspace.open(data)) {
            serial = w.certificates(io.bootdesk.engine.CaPassphrases.Input.NONE).list().stream()
                    .filter(c -> c.kind() == io.bootdesk.model.CertificateKind.CLIENT).findFirst().orElseThrow().serial();
        }
        try (Database db = Database.open(data)) {
            new Batch(List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(serial, Instant.now())).commit(db);
        }
        assertThat(run("cert", "list").out()).containsPattern(serial + ".*verified \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d");
    }
}
