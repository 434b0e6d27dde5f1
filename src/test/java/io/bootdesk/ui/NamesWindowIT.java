package io.bootdesk.ui;

import static io.bootdesk.ui.ConsoleUi.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javafx.scene.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The window's Rename… and Forget… against a real engine on loopback: both go through the store (journaled, like
 * bootdesk name / forget), and the same commands from another process show in the window.
 */
class NamesWindowIT {
    static final MacAddress M1 = MacAddress.parse("52:54:00:00:0c:01");
    static final MacAddress M2 = MacAddress.parse("52:54:00:00:0c:02");

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
        EngineConfig engine = ConsoleWindowIT.loopbackEngine(data, ipxe);
        new SavedSetup("lo", DhcpMode.FULL).save(data);
        session = new ConsoleSession(new ConsoleOptions(data, engine, true, 67, 68, Duration.ofSeconds(1)));
        window = ConsoleUi.show(session);
        waitFor("the engine serving", () -> session.serving());
        client = new BootClient(engine.dhcpPort(), engine.httpPort());
    }

    @AfterEach
    void close() throws Exception {
        ConsoleUi.close(robot, window, session);
    }

    @Test
    void renameAndForgetGoThroughTheStoreAndFollowTheCli() throws Exception {
        client.discover(M1, BootClient.Firmware.UEFI_PXE);
        client.discover(M2, BootClient.Firmware.BIOS_PXE);
        waitFor("two rows", () -> window.table().total() == 2);

        // Rename… in the window
        robot.clickOn(tableRow(M1));
        openContextMenu(M1);
        robot.clickOn("Rename…");
        answerDialog("rack 1");
        waitFor("the name in SQLite", () -> "rack 1".equals(stored(M1).map(Machine::name).orElse(null)));
        waitFor("the name in the row", () -> window.table().row(M1).view().name().equals("rack 1"));
        assertThat(session.engine().orElseThrow().inventory().get(M1).orElseThrow().name()).isEqualTo("rack 1");

        // bootdesk name in another process
        try (Workspace cli = Workspace.open(data)) {
            cli.rename(M2, "bench");
        }
        waitFor("M2's name from the CLI in the row", () -> window.table().row(M2).view().name().equals("bench"));
        // the engine keeps writing M1's row: the name stays
        client.discover(M1, BootClient.Firmware.UEFI_PXE);
        Thread.sleep(700);
        assertThat(stored(M1).map(Machine::name)).contains("rack 1");
        assertThat(window.table().row(M1).view().name()).isEqualTo("rack 1");

        // Forget… in the window, confirmed
        robot.clickOn(tableRow(M1));
        openContextMenu(M1);
        robot.clickOn("Forget…");
        answerDialog(null);
        waitFor("M1's row gone", () -> window.table().row(M1) == null);
        waitFor("M1 gone from SQLite", () -> stored(M1).isEmpty());
        assertThat(session.engine().orElseThrow().inventory().get(M1)).isEmpty();

        // bootdesk forget in another process
        try (Workspace cli = Workspace.open(data)) {
            cli.forget(List.of(M2));
        }
        waitFor("M2's row gone", () -> window.table().row(M2) == null);
        assertThat(window.table().total()).isZero();
        try (Workspace ws = Workspace.open(data)) {
            assertThat(ws.events(M1, 50)).extracting(BootEvent::type)
                    .contains(EventType.MACHINE_RENAMED, EventType.MACHINE_FORGOTTEN);
        }
    }

    private void answerDialog(String text) throws Exception {
        ConsoleUi.answerDialog(robot, text);
    }

    private Optional<Machine> stored(MacAddress mac) {
        try (Workspace ws = Workspace.open(data)) {
            return ws.machine(mac);
        }
    }

    private void openContextMenu(MacAddress mac) {
        ConsoleUi.openContextMenu(robot, window, mac);
    }

    private Node tableRow(MacAddress mac) {
        return ConsoleUi.tableRow(robot, mac);
    }
}
