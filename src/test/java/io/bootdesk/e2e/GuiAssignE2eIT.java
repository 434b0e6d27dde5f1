package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.Workspace;
import io.bootdesk.testing.Requirements;
import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.ConsoleWindow;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import io.bootdesk.ui.model.ImageView;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.control.ListCell;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Acceptance 2 of the console: a real QEMU machine (SeaBIOS + Debian's iPXE ROM) sits in BootDesk's waiting script,
 * served by {@code bootdesk serve} in the lab's namespace; the console window on the same data dir shows it, and a
 * TestFX drag of an image onto its row makes it boot that image, without a restart.
 */
class GuiAssignE2eIT {
    private static final Pattern WAITING = Pattern.compile("BootDesk: this machine .* has no image assigned yet");

    private final FxRobot robot = new FxRobot();
    private ConsoleSession session;
    private ConsoleWindow window;

    @BeforeAll
    static void requirements() {
        E2e.requireQemuLab();
        Requirements.require(java.nio.file.Files.isRegularFile(BootDesk.jar()),
                BootDesk.jar() + " (built by './mvnw package'; failsafe passes it as -Dbootdesk.jar)");
        E2e.payload();
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        if (window != null) {
            robot.interact(window::close);
        }
        if (session != null) {
            session.close();
        }
    }

    @Test
    void aWaitingMachineBootsAfterTheImageIsDraggedOntoItsRow() throws Exception {
        String name = "g-gui-drag";
        String mac = E2e.mac(0x2a);
        BootPayload payload = E2e.payload();
        Path dir = E2e.runDir(name);
        try (NetLab lab = NetLab.create(); BootDesk bd = new BootDesk(lab, dir)) {
            bd.serve("--mode", "full", "--pool", lab.net(100) + "-" + lab.net(150), "--ipxe-dir", "/usr/lib/ipxe");
            bd.cli("image", "add", "linux", "--name", name, "--kernel", payload.kernel.toString(), "--initrd",
                    payload.initrd.toString(), "--cmdline", BootPayload.BASE_CMDLINE + " bde2e_case=" + name
                            + " bde2e_mac={{ mac }}");
            // the window on serve's data dir: it serves nothing itself (no set-up), it follows serve through SQLite
            session = new ConsoleSession(ConsoleOptions.standard(bd.dataDir));
            FxToolkit.registerPrimaryStage();
            FxToolkit.setupStage((Stage stage) -> {
                window = new ConsoleWindow(session);
                stage.setScene(window.scene(1280, 800));
                stage.show();
            });
            try (QemuVm vm = QemuVm.start(lab, QemuVm.Variant.BIOS_IPXE_ROM, mac, dir.resolve("vm"))) {
                vm.await(WAITING, E2e.BOOT_TIMEOUT, "BootDesk's waiting message");
                waitFor(() -> row(mac) != null && rowText(mac).contains("waiting"), 20);
                assertThat(vm.find(E2e.marker(name))).isEmpty();
                long startsWhileWaiting = E2e.ipxeStarts(vm);

                long t0 = System.nanoTime();
                robot.drag(imageCell(name), MouseButton.PRIMARY).dropTo(row(mac));
                QemuVm.Line m = vm.await(E2e.marker(name), E2e.BOOT_TIMEOUT, "the marker after the drag");
                double afterDrag = (System.nanoTime() - t0) / 1e9;
                assertThat(m.text()).contains("mac=" + mac.toLowerCase());
                assertThat(E2e.firmwareStarts(vm)).as("booted without a restart: one power-on").isEqualTo(1);
                assertThat(E2e.ipxeStarts(vm)).as("no iPXE started again after the drag").isEqualTo(startsWhileWaiting);
                try (Workspace ws = Workspace.open(bd.dataDir)) {
                    assertThat(ws.assignment(MacAddress.parse(mac))).get().extracting(a -> a.image()).isEqualTo(name);
                }
                assertThat(bd.cli("events", mac)).contains("assigned " + name);
                waitFor(() -> rowText(mac).contains("booted"), 20);
                E2e.timing(name, m, String.format(java.util.Locale.ROOT,
                        "variant=BIOS_IPXE_ROM marker_after_gui_drag_s=%.1f", afterDrag));
                lab.checkIsolation();
            }
        }
    }

    private Node imageCell(String image) {
        return robot.lookup(n -> n instanceof ListCell<?> c && c.getItem() instanceof ImageView i && i.name().equals(image))
                .query();
    }

    /** The table row whose first cell shows {@code mac}. */
    private TableRow<?> row(String mac) {
        return robot.lookup(".table-row-cell").queryAll().stream()
                .filter(n -> n instanceof TableRow<?> r && !r.isEmpty() && rowCells(r).stream().anyMatch(t -> t.equalsIgnoreCase(mac)))
                .map(n -> (TableRow<?>) n).findFirst().orElse(null);
    }

    private String rowText(String mac) {
        TableRow<?> r = row(mac);
        return r == null ? "" : String.join(" | ", rowCells(r));
    }

    private static List<String> rowCells(TableRow<?> r) {
        return r.lookupAll(".table-cell").stream().filter(n -> n instanceof TableCell<?, ?>)
                .map(n -> ((TableCell<?, ?>) n).getText()).filter(t -> t != null).toList();
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> c, int seconds) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> {
            try {
                return c.call();
            } catch (Exception e) {
                return false;
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
    }
}
