package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.demo.DemoImage;
import io.bootdesk.engine.demo.DemoLab;
import io.bootdesk.engine.demo.DemoPrerequisites;
import io.bootdesk.net.NativeNet;
import io.bootdesk.testing.Requirements;
import io.bootdesk.ui.ConsoleWindow;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import io.bootdesk.ui.model.ImageView;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TextArea;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Demo button of the console window: the prerequisites say "Ready", Start demo opens the demo's window, its QEMU
 * machine appears waiting, a TestFX drag of the demo image onto it boots it, End demo removes the namespace; the
 * operator's own window stayed on its data dir and served nothing.
 */
class DemoWindowIT {
    private final FxRobot robot = new FxRobot();
    private ConsoleSession session;
    private ConsoleWindow window;

    @BeforeAll
    static void requirements() {
        E2e.requireQemuLab();
        Requirements.require(NativeNet.get().available(), "Java 22+ (setns through java.lang.foreign)");
        DemoPrerequisites pre = DemoPrerequisites.check();
        Requirements.require(pre.ready(), "the demo's prerequisites:\n" + pre.message());
        // the demo image's kernel: the e2e payload's (this machine's /boot may have none)
        System.setProperty("bootdesk.demo.kernel", E2e.payload().kernel.toString());
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
        System.clearProperty("bootdesk.demo.kernel");
    }

    @Test
    void demoMachineAppearsBootsTheDraggedDemoImageAndEndDemoRemovesEverything() throws Exception {
        Path dir = E2e.runDir("demo-window");
        session = new ConsoleSession(ConsoleOptions.standard(dir.resolve("data")));
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage((Stage stage) -> {
            window = new ConsoleWindow(session);
            stage.setScene(window.scene(1280, 800));
            stage.show();
        });
        robot.clickOn("#demoButton");
        waitFor(() -> !robot.lookup("#demoStart").queryAs(Button.class).isDisabled(), 60);
        assertThat(robot.lookup("#demoPrerequisites").queryAs(TextArea.class).getText()).startsWith("Ready")
                .contains("Demo image: the Linux kernel " + E2e.payload().kernel);
        CheckBox uefi = robot.lookup("#demoUefi").queryAs(CheckBox.class);
        if (uefi.isSelected()) {
            robot.interact(() -> uefi.setSelected(false)); // one machine: lighter on a busy CI machine
        }
        robot.clickOn("#demoStart");
        waitFor(() -> !robot.lookup("#demoBanner").queryAll().isEmpty(), 240);
        String banner = robot.lookup("#demoBanner").queryAs(Label.class).getText();
        Matcher ns = Pattern.compile("namespace (" + Pattern.quote(DemoLab.PREFIX) + "[0-9-]+)").matcher(banner);
        assertThat(ns.find()).as(banner).isTrue();
        assertThat(DemoLab.namespaces()).contains(ns.group(1));

        waitFor(() -> rowText("demo-bios").contains("waiting"), (int) E2e.BOOT_TIMEOUT.toSeconds());
        long t0 = System.nanoTime();
        robot.drag(imageCell(DemoImage.NAME), MouseButton.PRIMARY).dropTo(row("demo-bios"));
        waitFor(() -> rowText("demo-bios").contains("booted"), (int) E2e.BOOT_TIMEOUT.toSeconds());
        System.out.printf("E2E-TIMING case=demo-window booted_after_drag_s=%.1f%n", (System.nanoTime() - t0) / 1e9);
        assertThat(session.serving()).as("the operator's window serves nothing").isFalse();
        snapshot(row("demo-bios"), dir.resolve("demo-window.png"));
        snapshot(robot.lookup("#demoPrerequisites").query(), dir.resolve("demo-dialog.png"));

        // the machine's serial console in the window: the demo image's marker with its MAC
        robot.clickOn("#demoConsoles");
        waitFor(() -> robot.lookup(n -> n instanceof TextArea t && t.getText().contains(DemoImage.MARKER + " mac="))
                .tryQuery().isPresent(), 30);

        robot.clickOn("#demoEndInWindow");
        waitFor(() -> !DemoLab.namespaces().contains(ns.group(1)), 60);
        assertThat(robot.lookup("#demoBanner").queryAll()).isEmpty();
        assertThat(window.machineCount()).as("the operator's table").isZero();
    }

    /** The window showing {@code node}, as a PNG (for the docs and for looking at a failed run). */
    private void snapshot(Node node, Path file) throws Exception {
        robot.interact(() -> {
            javafx.scene.image.WritableImage img = node.getScene().snapshot(null);
            int w = (int) img.getWidth();
            int h = (int) img.getHeight();
            java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(w, h,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            int[] line = new int[w];
            for (int y = 0; y < h; y++) {
                img.getPixelReader().getPixels(0, y, w, 1, javafx.scene.image.PixelFormat.getIntArgbInstance(), line, 0, w);
                out.setRGB(0, y, w, 1, line, 0, w);
            }
            try {
                javax.imageio.ImageIO.write(out, "png", file.toFile());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private Node imageCell(String image) {
        return robot.lookup(n -> n instanceof ListCell<?> c && c.getItem() instanceof ImageView i && i.name().equals(image))
                .query();
    }

    /** The table row one of whose cells shows {@code text} (the demo machine's name). */
    private TableRow<?> row(String text) {
        return robot.lookup(".table-row-cell").queryAll().stream()
                .filter(n -> n instanceof TableRow<?> r && !r.isEmpty() && rowCells(r).contains(text))
                .map(n -> (TableRow<?>) n).findFirst().orElse(null);
    }

    private String rowText(String text) {
        TableRow<?> r = row(text);
        return r == null ? "" : String.join(" | ", rowCells(r));
    }

    private static List<String> rowCells(TableRow<?> r) {
        return r.lookupAll(".table-cell").stream().filter(n -> n instanceof TableCell<?, ?>)
                .map(n -> ((TableCell<?, ?>) n).getText()).filter(t -> t != null).toList();
    }

    private static void waitFor(Callable<Boolean> c, int seconds) throws Exception {
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
