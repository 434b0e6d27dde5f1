package io.bootdesk.ui;

import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.model.ConsoleSession;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TableRow;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** What the window tests share: opening the real window on a session, finding rows, menus and dialogs, waiting. */
final class ConsoleUi {
    private ConsoleUi() {
    }

    /** The console window on {@code session} in TestFX's primary stage, 1280x800, opened as the app opens it. */
    static ConsoleWindow show(ConsoleSession session) throws Exception {
        ConsoleWindow[] window = new ConsoleWindow[1];
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage((Stage stage) -> {
            window[0] = new ConsoleWindow(session);
            stage.setScene(window[0].scene(1280, 800));
            stage.show();
            window[0].open();
        });
        return window[0];
    }

    /** Closes the stages, the window and the session (each if there is one). */
    static void close(FxRobot robot, ConsoleWindow window, ConsoleSession session) throws Exception {
        FxToolkit.cleanupStages();
        if (window != null) {
            robot.interact(window::close);
        }
        if (session != null) {
            session.close();
        }
    }

    static Node tableRow(FxRobot robot, MacAddress mac) {
        return robot.lookup(n -> n instanceof TableRow<?> r && r.getItem() instanceof MachineRow m && m.mac().equals(mac))
                .query();
    }

    /** Headless Monocle turns neither a right click nor Shift+F10 into a context-menu event: open the table's menu. */
    static void openContextMenu(FxRobot robot, ConsoleWindow window, MacAddress mac) {
        Node row = tableRow(robot, mac);
        robot.interact(() -> window.table().control().getContextMenu().show(row, javafx.geometry.Side.BOTTOM, 20, 0));
    }

    /** Types into the open dialog's text field (if {@code text} is not null) and presses its OK button. */
    static void answerDialog(FxRobot robot, String text) throws Exception {
        waitFor("the dialog", () -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        DialogPane pane = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        robot.interact(() -> {
            if (text != null) {
                ((TextField) pane.lookup(".text-field")).setText(text);
            }
            ((Button) pane.lookupButton(ButtonType.OK)).fire();
        });
    }

    static void waitFor(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
                try {
                    return condition.call();
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }
}
