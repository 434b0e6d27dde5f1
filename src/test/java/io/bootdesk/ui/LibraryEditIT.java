package io.bootdesk.ui;

import static io.bootdesk.ui.ConsoleUi.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
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
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The library's context menu, headless, against a real engine on the loopback interface: "Edit script…" opens the
 * script in a text area and Save stores it through the engine (a script without #!ipxe is refused in the dialog);
 * "Rename…" renames the image, its assignment follows, and the Script tab and the engine's script show the new
 * name.
 */
class LibraryEditIT {
    static final MacAddress M1 = MacAddress.parse("52:54:00:00:0b:01");

    @TempDir
    Path tmp;

    private final FxRobot robot = new FxRobot();
    private Path data;
    private ConsoleSession session;
    private ConsoleWindow window;
    private BootClient client;

    @BeforeEach
    void open() throws Exception {
        data = tmp.resolve("data");
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        Files.write(ipxe.resolve("undionly.kpxe"), new byte[70_000]);
        Files.write(ipxe.resolve("snponly.efi"), new byte[200_000]);
        Path script = Files.writeString(tmp.resolve("rescue.ipxe"), "#!ipxe\necho old script\n");
        EngineConfig engine = ConsoleWindowIT.loopbackEngine(data, ipxe);
        new SavedSetup("lo", DhcpMode.FULL).save(data);
        session = new ConsoleSession(new ConsoleOptions(data, engine, true, 67, 68, Duration.ofSeconds(1)));
        session.addImage(ImageDrop.of(List.of(script)));

        window = ConsoleUi.show(session);
        waitFor("the engine serving", () -> session.serving());
        client = new BootClient(engine.dhcpPort(), engine.httpPort());
    }

    @AfterEach
    void close() throws Exception {
        ConsoleUi.close(robot, window, session);
    }

    @Test
    void editScriptAndRenameFromTheContextMenu() throws Exception {
        client.discover(M1, BootClient.Firmware.UEFI_PXE);
        waitFor("M1's row", () -> window.table().row(M1) != null);
        waitFor("the image in the library", () -> imageCell("rescue") != null);
        session.assign(List.of(M1), "rescue", false);
        robot.clickOn(tableRow(M1));
        robot.clickOn("#scriptTab");
        waitFor("the old script in the Script tab", () -> scriptTab().contains("echo old script"));

        // Edit script…: a script without #!ipxe is refused in the dialog, which stays open
        openContextMenu("rescue");
        robot.clickOn("Edit script…");
        waitFor("the script dialog", () -> robot.lookup("#scriptEditor").tryQuery().isPresent());
        TextArea editor = robot.lookup("#scriptEditor").queryAs(TextArea.class);
        assertThat(editor.getText()).isEqualTo("#!ipxe\necho old script\n");
        robot.interact(() -> editor.setText("echo no shebang\n"));
        robot.interact(() -> robot.lookup("#scriptSave").queryButton().fire());
        waitFor("the reason in the dialog", () -> robot.lookup("#scriptProblem").queryLabeled().isVisible());
        assertThat(robot.lookup("#scriptProblem").queryLabeled().getText())
                .isEqualTo("the script is not an iPXE script: it must start with #!ipxe");
        assertThat(stored("rescue").map(BootImage::script)).contains("#!ipxe\necho old script\n");

        robot.interact(() -> editor.setText("#!ipxe\necho new script for {{ image }}\n"));
        robot.interact(() -> robot.lookup("#scriptSave").queryButton().fire());
        waitFor("the dialog closed", () -> robot.lookup("#scriptEditor").tryQuery().isEmpty());
        assertThat(stored("rescue").map(BootImage::script)).contains("#!ipxe\necho new script for {{ image }}\n");
        waitFor("the new script in the Script tab", () -> scriptTab().contains("echo new script for rescue"));
        assertThat(scriptTab()).doesNotContain("echo old script");
        waitFor("the engine serving the new script", () -> client.script(M1).contains("echo new script for rescue"));

        // Rename…: a bad name is refused in one sentence, nothing changes
        openContextMenu("rescue");
        robot.clickOn("Rename…");
        answerDialog("../evil");
        waitFor("the warning", () -> window.notifier().messages().stream()
                .anyMatch(m -> m.startsWith("image name '../evil' must be")));
        assertThat(stored("rescue")).isPresent();

        openContextMenu("rescue");
        robot.clickOn("Rename…");
        answerDialog("rescue-2");
        waitFor("the renamed image in the library", () -> imageCell("rescue-2") != null);
        assertThat(stored("rescue")).isEmpty();
        assertThat(assignment(M1).map(Assignment::image)).contains("rescue-2");
        waitFor("the row shows the new name", () -> window.table().row(M1).view().imageText().equals("rescue-2"));
        waitFor("the Script tab shows the new name", () -> scriptTab().contains("echo new script for rescue-2"));
        waitFor("the engine serving the new name", () -> client.script(M1).contains("echo new script for rescue-2"));
        try (Workspace ws = Workspace.open(data)) {
            assertThat(ws.events(M1, 50)).extracting(BootEvent::message)
                    .contains("image rescue renamed to rescue-2; the assignment follows it");
        }
    }

    // ------------------------------------------------------------------ helpers

    private String scriptTab() {
        return robot.lookup("#scriptView").queryTextInputControl().getText();
    }

    /** Headless Monocle turns no right click into a context-menu event: open the image cell's menu. */
    private void openContextMenu(String image) {
        ListCell<?> cell = imageCell(image);
        robot.interact(() -> cell.getContextMenu().show(cell, javafx.geometry.Side.BOTTOM, 20, 0));
    }

    private void answerDialog(String text) throws Exception {
        ConsoleUi.answerDialog(robot, text);
    }

    private Optional<BootImage> stored(String name) {
        try (Workspace ws = Workspace.open(data)) {
            return ws.image(name);
        }
    }

    private Optional<Assignment> assignment(MacAddress mac) {
        return session.assignments().values().stream().filter(a -> a.mac().equals(mac)).findFirst();
    }

    private ListCell<?> imageCell(String name) {
        return robot.lookup(n -> n instanceof ListCell<?> c && c.getItem() instanceof ImageView i
                && i.name().equals(name)).tryQueryAs(ListCell.class).orElse(null);
    }

    private Node tableRow(MacAddress mac) {
        return ConsoleUi.tableRow(robot, mac);
    }
}
