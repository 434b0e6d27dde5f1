package io.bootdesk.ui;

import static io.bootdesk.ui.ConsoleUi.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.Engine;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.Assignment;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.testing.CoreFixture;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import io.bootdesk.ui.model.ImageDrop;
import io.bootdesk.ui.model.ImageView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.ListCell;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The real window (headless Monocle in CI) against a real engine on the loopback interface with unprivileged
 * ports: machines appear when DHCP DISCOVERs reach the engine; dragging an image onto a row, and onto a
 * multi-selection, changes SQLite and the script the engine serves; Undo restores both; the filter narrows the
 * table.
 */
class ConsoleWindowIT {
    static final MacAddress M1 = MacAddress.parse("52:54:00:00:01:01");
    static final MacAddress M2 = MacAddress.parse("52:54:00:00:01:02");
    static final MacAddress M3 = MacAddress.parse("52:54:00:00:01:03");

    @TempDir
    Path tmp;

    private final FxRobot robot = new FxRobot();
    private Path data;
    private ConsoleSession session;
    private ConsoleWindow window;
    private BootClient client;
    private int httpPort;

    static EngineConfig loopbackEngine(Path data, Path ipxe) throws Exception {
        return new EngineConfig(data, "lo", DhcpMode.FULL, "127.0.100.1-127.0.100.200", List.of(), null, List.of(), 600,
                CoreFixture.freePort(), CoreFixture.freePort(), CoreFixture.freePort(), CoreFixture.freePort(), ipxe, null,
                false);
    }

    @BeforeEach
    void open() throws Exception {
        data = tmp.resolve("data");
        Path kernel = Files.write(tmp.resolve("vmlinuz"), new byte[300_000]);
        Path initrd = Files.write(tmp.resolve("initrd.img"), new byte[100_000]);
        Path efi = Files.write(tmp.resolve("tool.efi"), new byte[50_000]);
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        Files.write(ipxe.resolve("undionly.kpxe"), new byte[70_000]);
        Files.write(ipxe.resolve("snponly.efi"), new byte[200_000]);
        EngineConfig engine = loopbackEngine(data, ipxe);
        httpPort = engine.httpPort();
        new SavedSetup("lo", DhcpMode.FULL).save(data);
        session = new ConsoleSession(new ConsoleOptions(data, engine, true, 67, 68, Duration.ofSeconds(1)));
        session.addImage(new ImageDrop(io.bootdesk.model.ImageKind.LINUX, "deb", kernel, List.of(initrd), ""));
        session.addImage(ImageDrop.of(List.of(efi)));

        window = ConsoleUi.show(session);
        waitFor("the engine serving", () -> session.serving());
        client = new BootClient(engine.dhcpPort(), httpPort);
    }

    @AfterEach
    void close() throws Exception {
        ConsoleUi.close(robot, window, session);
    }

    @Test
    void machinesAppearDragAssignsOneOrManyAndUndoRestores() throws Exception {
        for (MacAddress m : List.of(M1, M2, M3)) {
            client.discover(m, BootClient.Firmware.UEFI_PXE);
        }
        waitFor("three rows", () -> window.table().total() == 3);
        assertThat(row(M1).view().platform()).isEqualTo("UEFI x64");
        assertThat(row(M1).view().ip()).startsWith("127.0.100.");
        assertThat(client.script(M1)).contains("no image assigned");

        // one row
        robot.drag(imageCell("deb"), MouseButton.PRIMARY).dropTo(tableRow(M1));
        waitFor("M1 assigned in SQLite", () -> assignment(M1).map(Assignment::image).orElse("").equals("deb"));
        assertThat(assignment(M1).get().once()).isFalse();
        waitFor("the engine serving deb to M1", () -> client.script(M1).contains("/images/deb/vmlinuz"));
        assertThat(row(M1).view().imageText()).isEqualTo("deb");
        assertThat(assignment(M2)).isEmpty();
        // M1 fetches its files: the row says booted and a notice pops up
        assertThat(client.fetchFiles(client.script(M1), 0)).isEqualTo(400_000);
        waitFor("M1 booted", () -> row(M1).view().stageText().equals("booted"));
        waitFor("the notice", () -> window.notifier().messages().contains(M1 + " booted deb."));

        // a multi-selection: M2 and M3 selected, drop on M3 (Shift: once)
        robot.clickOn(tableRow(M2));
        robot.press(KeyCode.CONTROL).clickOn(tableRow(M3)).release(KeyCode.CONTROL);
        assertThat(window.table().selected()).extracting(MachineRow::mac).containsExactlyInAnyOrder(M2, M3);
        robot.press(KeyCode.SHIFT);
        try {
            robot.drag(imageCell("tool"), MouseButton.PRIMARY).dropTo(tableRow(M3));
        } finally {
            robot.release(KeyCode.SHIFT);
        }
        waitFor("M2 and M3 assigned", () -> assignment(M2).isPresent() && assignment(M3).isPresent());
        for (MacAddress m : List.of(M2, M3)) {
            assertThat(assignment(m).get().image()).isEqualTo("tool");
            assertThat(assignment(m).get().once()).isTrue();
            waitFor("the engine serving tool to " + m, () -> client.script(m).contains("chain http://127.0.0.1:" + httpPort
                    + "/images/tool/tool.efi"));
        }
        assertThat(row(M3).view().imageText()).isEqualTo("tool (once)");
        assertThat(assignment(M1).get().image()).isEqualTo("deb"); // not part of the selection

        // undo the multi-selection drop, then the first one
        robot.clickOn("#undo");
        waitFor("M2, M3 unassigned again", () -> assignment(M2).isEmpty() && assignment(M3).isEmpty());
        waitFor("the engine's waiting script for M3", () -> client.script(M3).contains("no image assigned"));
        waitFor("row shows no image", () -> row(M3).view().image().isEmpty());
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        waitFor("M1 unassigned again", () -> assignment(M1).isEmpty());
        waitFor("the engine's waiting script for M1", () -> client.script(M1).contains("no image assigned"));

        // the journal has the operator's actions, like bootdesk events shows them
        try (Workspace ws = Workspace.open(data)) {
            assertThat(ws.events(M1, 50)).extracting(e -> e.message())
                    .contains("assigned deb", "undo: assignment removed again");
            assertThat(ws.events(M3, 50)).extracting(e -> e.message()).contains("assigned tool for one boot");
        }
    }

    @Test
    void theFilterNarrowsTheTableAndTheDetailPaneShowsTheBoot() throws Exception {
        client.discover(M1, BootClient.Firmware.BIOS_PXE);
        client.discover(M2, BootClient.Firmware.UEFI_HTTP);
        client.discover(M3, BootClient.Firmware.UEFI_PXE);
        waitFor("three rows", () -> window.table().total() == 3);

        robot.clickOn("#filter").write("http boot");
        waitFor("one row shown", () -> window.table().shown() == 1);
        assertThat(window.table().control().getItems()).extracting(MachineRow::mac).containsExactly(M2);
        robot.doubleClickOn("#filter").eraseText(20).write("52:54:00:00:01:0");
        waitFor("three rows shown", () -> window.table().shown() == 3);
        robot.doubleClickOn("#filter").eraseText(30).write("bios");
        waitFor("BIOS row only", () -> window.table().shown() == 1);
        assertThat(window.table().control().getItems()).extracting(MachineRow::mac).containsExactly(M1);

        robot.clickOn(tableRow(M1));
        waitFor("timeline of M1", () -> !window.detail().node().lookupAll(".timeline-title").isEmpty()
                && robot.lookup("#timeline").queryListView().getItems().size() >= 1);
        assertThat(robot.lookup("#detailTitle").queryLabeled().getText()).startsWith("52:54:00:00:01:01");
        var step = (io.bootdesk.ui.model.BootTimeline.Step) robot.lookup("#timeline").queryListView().getItems().get(0);
        assertThat(step.title()).isEqualTo("DHCP offer");
        assertThat(step.why()).contains("offered 127.0.100.").endsWith("PXE, BIOS x86: iPXE (undionly.kpxe) by TFTP");
        robot.clickOn("#scriptTab");
        waitFor("the waiting script", () -> robot.lookup("#scriptView").queryTextInputControl().getText()
                .contains("no image assigned"));

        // the context menu issues a client certificate through the engine's CA; the column shows it
        assertThat(row(M1).view().certificate().label()).isEqualTo("none");
        robot.clickOn(tableRow(M1));
        openContextMenu(M1);
        robot.clickOn("Issue client certificate");
        waitFor("M1's certificate in the column", () -> row(M1).view().certificate().label().equals("issued"));
        try (Workspace ws = Workspace.open(data)) {
            assertThat(ws.certificates(io.bootdesk.engine.CaPassphrases.Input.NONE).list())
                    .anyMatch(c -> M1.equals(c.mac()) && !c.revoked());
        }
        openContextMenu(M1);
        robot.clickOn("Revoke client certificate");
        waitFor("M1's certificate revoked", () -> row(M1).view().certificate().label().equals("revoked"));
    }

    // ------------------------------------------------------------------ helpers

    private void openContextMenu(MacAddress mac) {
        ConsoleUi.openContextMenu(robot, window, mac);
    }

    private Optional<Assignment> assignment(MacAddress mac) {
        return session.assignments().values().stream().filter(a -> a.mac().equals(mac)).findFirst();
    }

    private MachineRow row(MacAddress mac) {
        return window.table().row(mac);
    }

    private Node imageCell(String name) {
        return robot.lookup(n -> n instanceof ListCell<?> c && c.getItem() instanceof ImageView i && i.name().equals(name))
                .query();
    }

    private Node tableRow(MacAddress mac) {
        return ConsoleUi.tableRow(robot, mac);
    }

    static Engine engineOf(ConsoleSession s) {
        return s.engine().orElseThrow();
    }
}
