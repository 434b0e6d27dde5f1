package io.bootdesk.ui;

import io.bootdesk.console.MachineControl.Ability;
import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.model.ConsoleSession;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The detail pane's network console: for a machine whose binding takes snapshots, a thumbnail of its screen
 * refreshed every {@value #REFRESH_MS} ms while the machine is selected and the window is shown (fetched off the FX
 * thread; it stops when the machine is deselected), with "Open KVM" (the console's web UI in the system browser)
 * and "Boot now". A one-line state says when the KVM cannot be reached or refuses the login. Hidden for machines
 * without a network console.
 */
final class KvmPanel {
    static final long REFRESH_MS = 3000;
    static final int THUMB_W = 400;
    static final int THUMB_H = 300;

    /** Opens a URL in the system browser; the app sets it to HostServices.showDocument. */
    static volatile Consumer<String> browser = url -> { };

    private final ConsoleSession session;
    private final PowerMenu power;
    private final ImageView thumb = new ImageView();
    private final Label state = new Label();
    private final Button open = new Button("Open KVM", Icons.icon("mdi2o-open-in-new"));
    private final Button bootNow = new Button("Boot now", Icons.icon(PowerMenu.BOOT_NOW));
    private final StackPane screen;
    private final VBox root;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bootdesk-kvm-snapshot");
        t.setDaemon(true);
        return t;
    });
    private volatile MacAddress shown;
    private volatile boolean windowShowing;
    private ScheduledFuture<?> polling;
    private URI webUi;

    KvmPanel(ConsoleSession session, PowerMenu power) {
        this.session = session;
        this.power = power;
        power.onStarted(this::watchBootNow);
        thumb.setId("kvmSnapshot");
        thumb.setFitWidth(THUMB_W);
        thumb.setFitHeight(THUMB_H);
        thumb.setPreserveRatio(true);
        thumb.setSmooth(true);
        Label none = new Label("No picture yet");
        none.getStyleClass().add("muted");
        none.visibleProperty().bind(thumb.imageProperty().isNull());
        screen = new StackPane(none, thumb);
        screen.getStyleClass().add("kvm-screen");
        screen.setStyle("-fx-background-color: black;");
        screen.setId("kvmScreen");
        screen.setMinSize(THUMB_W / 2.0, THUMB_H / 2.0);
        screen.setPrefSize(THUMB_W, THUMB_H);
        screen.setMaxSize(THUMB_W, THUMB_H);
        state.setId("kvmState");
        state.getStyleClass().add("muted");
        state.setMaxWidth(THUMB_W);
        state.setTextOverrun(OverrunStyle.ELLIPSIS);
        open.setId("openKvm");
        bootNow.setId("bootNowButton");
        open.setOnAction(e -> {
            if (webUi != null) {
                browser.accept(webUi.toString());
            }
        });
        bootNow.setOnAction(e -> {
            MacAddress m = shown;
            if (m != null) {
                power.bootNow(java.util.List.of(m));
                watchBootNow(m); // after a cancel
            }
        });
        HBox buttons = new HBox(6, open, bootNow);
        buttons.setAlignment(Pos.CENTER_LEFT);
        root = new VBox(6, screen, state, buttons);
        root.setId("kvmPanel");
        root.setPadding(new javafx.geometry.Insets(6, 8, 6, 8));
        root.setMinWidth(THUMB_W / 2.0 + 16);
        root.setPrefWidth(THUMB_W + 16);
        // the picture shrinks (4:3) when the detail pane is short, so the state line and buttons stay in view
        root.heightProperty().addListener((o, a, b) -> {
            double h = Math.max(THUMB_H / 2.0, Math.min(THUMB_H, b.doubleValue() - 90));
            double w = Math.round(h * 4 / 3);
            screen.setPrefSize(w, h);
            screen.setMaxSize(w, h);
            thumb.setFitWidth(w);
            thumb.setFitHeight(h);
        });
        hide();
        // polls only while the window is shown and not minimised
        javafx.beans.value.ObservableValue<javafx.stage.Window> window =
                root.sceneProperty().flatMap(javafx.scene.Scene::windowProperty);
        javafx.beans.value.ObservableValue<Boolean> showing = window.flatMap(javafx.stage.Window::showingProperty)
                .orElse(false);
        javafx.beans.value.ObservableValue<Boolean> iconified = window.flatMap(w -> w instanceof javafx.stage.Stage s
                ? s.iconifiedProperty() : null).orElse(false);
        javafx.beans.InvalidationListener follow = o -> {
            boolean now = showing.getValue() && !iconified.getValue();
            if (now != windowShowing) {
                windowShowing = now;
                if (now) {
                    poke();
                }
            }
        };
        showing.addListener(follow);
        iconified.addListener(follow);
    }

    VBox node() {
        return root;
    }

    /** The detail pane shows {@code mac} (null: nothing): look up its binding, then poll if it takes snapshots. */
    void show(MacAddress mac) {
        if (mac != null && mac.equals(shown)) {
            return;
        }
        stop();
        shown = mac;
        hide();
        if (mac == null) {
            return;
        }
        session.async(() -> {
            Set<Ability> a = session.machineActions().expected(mac);
            return new Object[] {a, session.machineActions().webUi(mac).orElse(null)};
        }).whenComplete((x, err) -> Platform.runLater(() -> {
            if (x == null || !mac.equals(shown)) {
                return;
            }
            @SuppressWarnings("unchecked")
            Set<Ability> a = (Set<Ability>) x[0];
            webUi = (URI) x[1];
            if (a.isEmpty()) {
                return;
            }
            boolean snapshots = a.contains(Ability.SNAPSHOT);
            screen.setVisible(snapshots);
            screen.setManaged(snapshots);
            open.setText(a.contains(Ability.KEYS) ? "Open KVM" : "Open BMC");
            open.setDisable(webUi == null);
            bootNow.setDisable(!PowerMenu.canBootNow(a));
            state.setText(snapshots ? "Connecting to the KVM…" : "No screen picture through this console.");
            root.setVisible(true);
            root.setManaged(true);
            watchBootNow(mac);
            if (snapshots) {
                polling = poller.scheduleWithFixedDelay(() -> fetch(mac), 0, REFRESH_MS, TimeUnit.MILLISECONDS);
            }
        }));
    }

    /** The button says "Cancel Boot now" while one runs for the shown machine (from here or the menu). */
    void watchBootNow(MacAddress mac) {
        java.util.Optional<io.bootdesk.engine.BootNow> running = session.machineActions().bootNowRunning(mac);
        if (!mac.equals(shown)) {
            return;
        }
        bootNow.setText(running.isPresent() ? "Cancel Boot now" : "Boot now");
        running.ifPresent(b -> b.done().thenRun(() -> Platform.runLater(() -> watchBootNow(mac))));
    }

    private void poke() {
        MacAddress m = shown;
        if (m != null && polling != null) {
            poller.execute(() -> fetch(m));
        }
    }

    private void fetch(MacAddress mac) {
        if (!mac.equals(shown) || !windowShowing) {
            return;
        }
        String line;
        Image img = null;
        try {
            byte[] jpeg = session.machineActions().snapshot(mac, THUMB_W * 2, THUMB_H * 2);
            img = new Image(new ByteArrayInputStream(jpeg));
            line = img.isError() ? "The KVM sent a picture that is not a JPEG." : "Screen at "
                    + java.time.LocalTime.now().withNano(0) + " (every " + REFRESH_MS / 1000 + " s)";
        } catch (Exception e) {
            line = ConsoleWindow.rootMessage(e);
        }
        Image got = img != null && !img.isError() ? img : null;
        String text = line;
        Platform.runLater(() -> {
            if (!mac.equals(shown)) {
                return;
            }
            if (got != null) {
                thumb.setImage(got);
            }
            state.setText(text);
            state.setTooltip(new Tooltip(text));
        });
    }

    private void hide() {
        thumb.setImage(null);
        root.setVisible(false);
        root.setManaged(false);
        webUi = null;
    }

    private void stop() {
        if (polling != null) {
            polling.cancel(false);
            polling = null;
        }
    }

    /** The shown machine's screen as last fetched (tests). */
    Image image() {
        return thumb.getImage();
    }

    String stateText() {
        return state.getText();
    }

    void close() {
        stop();
        shown = null;
        poller.shutdownNow();
    }
}
