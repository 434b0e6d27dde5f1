package io.bootdesk.ui;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.model.ConsoleSession;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The detail pane's "Console" tab: the selected machine's serial console in a terminal. A machine's terminal is made
 * the first time it is shown and kept while the window is open, so switching machines and back keeps its screen and
 * scroll-back (the port itself belongs to the engine and is logged whether a terminal shows it or not).
 */
final class SerialTerminals {
    private final ConsoleSession session;
    private final Consumer<Path> openFile;
    private final Runnable bindDialog;
    private final Map<MacAddress, TerminalView> views = new HashMap<>();
    private final StackPane content = new StackPane();
    private final Tab tab = new Tab("Console", content);
    private final Label none = new Label();
    private final Button bind = new Button("Bind a console…");
    private final VBox placeholder = new VBox(10, none, bind);
    private MacAddress shown;

    SerialTerminals(ConsoleSession session, Consumer<Path> openFile, Runnable bindDialog) {
        this.session = session;
        this.openFile = openFile;
        this.bindDialog = bindDialog;
        tab.setId("consoleTab");
        tab.setGraphic(Icons.icon(Icons.TERMINAL));
        none.getStyleClass().add("muted");
        none.setWrapText(true);
        bind.setId("bindConsole");
        bind.setOnAction(e -> bindDialog.run());
        placeholder.setAlignment(Pos.CENTER);
        content.getChildren().setAll(placeholder);
        tab.selectedProperty().addListener((o, a, b) -> {
            if (b) {
                show(shown);
            }
        });
    }

    Tab tab() {
        return tab;
    }

    /**
     * The machine the detail pane shows now (null: none). Its binding is read off the FX thread; a terminal is made
     * only once the tab is looked at.
     */
    void show(MacAddress mac) {
        shown = mac;
        if (mac == null) {
            none.setText("Select a machine to see its serial console.");
            bind.setVisible(false);
            content.getChildren().setAll(placeholder);
            return;
        }
        TerminalView known = views.get(mac);
        if (known != null) {
            known.refresh();
            content.getChildren().setAll(known.node());
            return;
        }
        session.async(() -> session.consoleBinding(mac).orElse(null)).whenComplete((b, err) ->
                javafx.application.Platform.runLater(() -> {
                    if (mac.equals(shown) && err == null) {
                        apply(mac, b);
                    }
                }));
    }

    private void apply(MacAddress mac, ConsoleBinding b) {
        TerminalView v = views.get(mac);
        if (v == null && b instanceof ConsoleBinding.Serial && tab.isSelected()) {
            v = new TerminalView(session, mac, openFile);
            views.put(mac, v);
        }
        if (v != null) {
            content.getChildren().setAll(v.node());
            return;
        }
        if (b == null || b instanceof ConsoleBinding.Serial) {
            none.setText(b == null ? "No console is bound to this machine. Bind its serial port (a USB adapter, the BMC's"
                    + " serial-over-LAN pty, ...) and what it prints shows here and in its log."
                    : "Open this tab to see the serial console.");
        } else {
            none.setText("This machine's console is a " + b.describe() + ": no serial port to show here. Its screen and"
                    + " buttons are beside the timeline.");
        }
        bind.setVisible(true);
        content.getChildren().setAll(placeholder);
    }

    /** Opens the machine's terminal now (after binding, or from the menu / a console event in the timeline). */
    void open(MacAddress mac) {
        tab.getTabPane().getSelectionModel().select(tab);
        show(mac);
    }

    /** The terminal of a machine, if one was made. */
    TerminalView view(MacAddress mac) {
        return views.get(mac);
    }

    /** After an unbind or a rebinding to another kind: the old terminal goes. */
    void forget(MacAddress mac) {
        TerminalView v = views.remove(mac);
        if (v != null) {
            v.close();
        }
        if (mac.equals(shown)) {
            show(mac);
        }
    }

    void close() {
        views.values().forEach(TerminalView::close);
        views.clear();
    }
}
