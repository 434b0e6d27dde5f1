package io.bootdesk.ui;

import io.bootdesk.engine.demo.DemoLab;
import io.bootdesk.engine.demo.DemoMachine;
import io.bootdesk.engine.demo.DemoPrerequisites;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "Demo" entry: says what this machine lacks for the sandbox (and what to install), starts a {@link DemoLab}
 * and shows it in a console window of its own: a session on the demo's data dir that follows the demo's engine, so
 * the QEMU machines appear in its table and an image dragged onto one boots it. The operator's window, data dir and
 * engine are not touched; "End demo" (or closing the demo window) stops the machines and the engine and deletes the
 * namespace and the demo's files.
 */
final class DemoDialog {
    private static final Logger log = LoggerFactory.getLogger(DemoDialog.class);
    private static DemoDialog current;

    private final Stage stage = new Stage();
    private final TextArea prerequisites = new TextArea("Checking what this machine has…");
    private final CheckBox uefi = new CheckBox("A second machine with UEFI firmware (OVMF)");
    private final CheckBox download = new CheckBox();
    private final Label progress = new Label();
    private final Button start = new Button("Start demo", Icons.icon(Icons.START));
    private final Button end = new Button("End demo", Icons.icon(Icons.STOP));
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bootdesk-demo-ui");
        t.setDaemon(true);
        return t;
    });
    private DemoPrerequisites checked;
    private DemoLab lab;
    private ConsoleSession session;
    private ConsoleWindow window;
    private Stage demoStage;
    private Stage consoles;
    private Timeline consoleRefresh;

    /** Shows the dialog (one per JVM: a second click brings it to the front). */
    static void show(Window owner) {
        if (current == null) {
            current = new DemoDialog(owner);
        }
        current.stage.show();
        current.stage.toFront();
        if (current.lab == null) {
            current.check();
        }
    }

    /** At application exit: ends a running demo and waits for it (the shutdown hook would too, later). */
    static void shutdown() {
        DemoDialog d = current;
        if (d != null && d.lab != null) {
            DemoLab l = d.lab;
            ConsoleSession s = d.session;
            d.lab = null;
            d.session = null;
            if (d.window != null) {
                d.window.close();
            }
            s.close();
            l.close();
        }
    }

    private DemoDialog(Window owner) {
        stage.initOwner(owner);
        stage.setTitle("BootDesk demo");
        Label intro = new Label("The demo creates a private network inside a Linux network namespace, runs a BootDesk"
                + " engine of its own on it (its own data dir, in a temporary folder) and boots QEMU machines from it."
                + " Nothing is sent on your network interfaces; your set-up, data dir and engine stay as they are.");
        intro.setWrapText(true);
        prerequisites.setId("demoPrerequisites");
        prerequisites.setEditable(false);
        prerequisites.setWrapText(true);
        prerequisites.setPrefRowCount(11);
        prerequisites.setStyle("-fx-font-family: monospace;");
        uefi.setId("demoUefi");
        download.setId("demoDownload");
        download.setWrapText(true);
        download.setVisible(false);
        download.setManaged(false);
        progress.setId("demoProgress");
        progress.setWrapText(true);
        start.setId("demoStart");
        start.setDisable(true);
        start.setOnAction(e -> startDemo());
        end.setId("demoEnd");
        end.setDisable(true);
        end.setOnAction(e -> endDemo());
        Button close = new Button("Close");
        close.setOnAction(e -> stage.hide());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox buttons = new HBox(8, start, end, gap, close);
        buttons.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(10, intro, prerequisites, uefi, download, progress, buttons);
        box.setPadding(new Insets(14));
        VBox.setVgrow(prerequisites, Priority.ALWAYS);
        Scene scene = new Scene(box, 720, 480);
        scene.getStylesheets().add(ConsoleWindow.CSS);
        stage.setScene(scene);
    }

    private void check() {
        start.setDisable(true);
        async(DemoPrerequisites::check).whenComplete((p, err) -> Platform.runLater(() -> {
            if (err != null) {
                prerequisites.setText("Checking the prerequisites failed: " + ConsoleWindow.rootMessage(err));
                return;
            }
            checked = p;
            prerequisites.setText(p.message());
            uefi.setDisable(!p.uefi());
            uefi.setSelected(p.uefi());
            boolean offerDownload = p.kernel() == null && p.canDownloadKernel();
            download.setText("Download a Linux kernel for the demo image: Debian's linux-image-cloud-amd64, about 30 MB,"
                    + " with apt-get download (kept in ~/.cache/bootdesk/demo)");
            download.setVisible(offerDownload);
            download.setManaged(offerDownload);
            start.setDisable(!p.ready());
        }));
    }

    private void startDemo() {
        if (checked == null || !checked.ready() || lab != null) {
            return;
        }
        start.setDisable(true);
        uefi.setDisable(true);
        download.setDisable(true);
        DemoLab.Options o = DemoLab.Options.defaults().withMachines(uefi.isSelected() ? 2 : 1)
                .withDownloadKernel(download.isVisible() && download.isSelected());
        async(() -> {
            try {
                DemoLab l = DemoLab.start(o, m -> Platform.runLater(() -> progress.setText(m)));
                ConsoleSession s;
                try {
                    s = new ConsoleSession(ConsoleOptions.standard(l.dataDir()));
                    s.adopt(l.engine());
                } catch (RuntimeException e) {
                    l.close();
                    throw e;
                }
                return new Object[] {l, s};
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).whenComplete((r, err) -> Platform.runLater(() -> {
            if (err != null) {
                String why = ConsoleWindow.rootMessage(err);
                log.warn("the demo did not start: {}", why);
                progress.setText("The demo did not start: " + why);
                check();
                uefi.setDisable(checked == null || !checked.uefi());
                download.setDisable(false);
                return;
            }
            lab = (DemoLab) r[0];
            session = (ConsoleSession) r[1];
            end.setDisable(false);
            openDemoWindow();
        }));
    }

    private void openDemoWindow() {
        window = new ConsoleWindow(session);
        Node node = window.node();
        // the demo's engine lives and dies with the demo: no stop/start or set-up (which would offer real interfaces)
        for (String id : new String[] {"#startStop", "#setupButton", "#demoButton"}) {
            Node n = node.lookup(id);
            if (n != null) {
                n.setVisible(false);
                n.setManaged(false);
            }
        }
        Label banner = new Label("Demo: " + lab.machines().size() + (lab.machines().size() == 1 ? " QEMU machine" : " QEMU machines")
                + " on the private network " + lab.net(0) + "/24 (namespace " + lab.namespace() + "). "
                + (lab.hasImage() ? "Drag " + io.bootdesk.engine.demo.DemoImage.NAME + " onto a waiting machine and watch it boot."
                : "No demo image: add one from the library."));
        banner.setId("demoBanner");
        banner.setWrapText(true);
        Button consolesButton = new Button("Machine consoles", Icons.icon(Icons.SCRIPT));
        consolesButton.setId("demoConsoles");
        consolesButton.setOnAction(e -> showConsoles());
        Button endButton = new Button("End demo", Icons.icon(Icons.STOP));
        endButton.setId("demoEndInWindow");
        endButton.setOnAction(e -> endDemo());
        consolesButton.setMinWidth(Region.USE_PREF_SIZE);
        endButton.setMinWidth(Region.USE_PREF_SIZE);
        banner.setMinWidth(0);
        banner.setMaxWidth(Double.MAX_VALUE);
        HBox top = new HBox(10, banner, consolesButton, endButton);
        HBox.setHgrow(banner, Priority.ALWAYS);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(6, 10, 6, 10));
        top.getStyleClass().add("demo-banner");
        top.setStyle("-fx-background-color: -color-warning-subtle, -color-warning-muted;"
                + " -fx-background-insets: 0, 0 0 1 0;");
        BorderPane pane = new BorderPane(node);
        pane.setTop(top);
        demoStage = new Stage();
        demoStage.setTitle("BootDesk demo — " + lab.namespace());
        demoStage.setScene(new Scene(pane, 1280, 800));
        demoStage.setOnCloseRequest(e -> endDemo());
        demoStage.show();
    }

    private void showConsoles() {
        if (consoles != null) {
            consoles.toFront();
            return;
        }
        TabPane tabs = new TabPane();
        for (DemoMachine m : lab.machines()) {
            TextArea text = new TextArea();
            text.setEditable(false);
            text.setStyle("-fx-font-family: monospace;");
            Tab t = new Tab(m.name() + " (" + m.firmware() + ")", text);
            t.setClosable(false);
            t.setUserData(new Object[] {m, text});
            tabs.getTabs().add(t);
        }
        consoleRefresh = new Timeline(new KeyFrame(Duration.seconds(1), e -> {
            for (Tab t : tabs.getTabs()) {
                Object[] x = (Object[]) t.getUserData();
                DemoMachine m = (DemoMachine) x[0];
                TextArea text = (TextArea) x[1];
                async(() -> tail(m.serial(), 200)).thenAccept(s -> Platform.runLater(() -> {
                    if (!s.equals(text.getText())) {
                        text.setText(s);
                        text.positionCaret(s.length());
                    }
                }));
            }
        }));
        consoleRefresh.setCycleCount(Timeline.INDEFINITE);
        consoleRefresh.play();
        consoles = new Stage();
        consoles.initOwner(demoStage);
        consoles.setTitle("Serial consoles of the demo machines");
        consoles.setScene(new Scene(tabs, 900, 520));
        consoles.setOnHidden(e -> {
            consoleRefresh.stop();
            consoles = null;
        });
        consoles.show();
    }

    private static String tail(String s, int lines) {
        String[] l = s.split("\n");
        return String.join("\n", java.util.Arrays.asList(l).subList(Math.max(0, l.length - lines), l.length));
    }

    /** Stops everything the demo started and returns to where the operator was. */
    private void endDemo() {
        if (lab == null) {
            return;
        }
        DemoLab l = lab;
        ConsoleSession s = session;
        lab = null;
        session = null;
        end.setDisable(true);
        if (consoles != null) {
            consoles.hide();
        }
        if (window != null) {
            window.close();
            window = null;
        }
        if (demoStage != null) {
            demoStage.setOnCloseRequest(null);
            demoStage.hide();
            demoStage = null;
        }
        progress.setText("Ending the demo…");
        async(() -> {
            s.close();
            l.close();
            return l;
        }).whenComplete((x, err) -> Platform.runLater(() -> {
            progress.setText(err != null ? "Ending the demo: " + ConsoleWindow.rootMessage(err)
                    : "Demo ended: machines stopped, namespace " + l.namespace() + " deleted, its files removed.");
            check();
            download.setDisable(false);
        }));
    }

    private <T> CompletableFuture<T> async(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, worker);
    }
}
