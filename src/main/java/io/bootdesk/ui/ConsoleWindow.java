package io.bootdesk.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import atlantafx.base.theme.Styles;
import io.bootdesk.engine.Engine;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.engine.Server;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.model.ConsoleSession;
import io.bootdesk.ui.model.ImageDrop;
import io.bootdesk.ui.model.ImageView;
import io.bootdesk.ui.model.MachineTableModel;
import io.bootdesk.ui.model.MachineView;
import io.bootdesk.ui.model.ServerChip;
import io.bootdesk.ui.model.UndoStack;
import io.bootdesk.ui.model.UpdateCoalescer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main window: toolbar with the servers' state and the counts, the image library, the live machine table
 * with its filter, and the detail pane; the set-up over it when nothing was chosen yet. Everything it does goes
 * through the {@link ConsoleSession}, i.e. the engine; it only draws, at most 20 times a second.
 */
public final class ConsoleWindow {
    private static final Logger log = LoggerFactory.getLogger(ConsoleWindow.class);
    static final String CSS = ConsoleWindow.class.getResource("bootdesk.css").toExternalForm();

    private final ConsoleSession session;
    private final MachineTableModel model = new MachineTableModel();
    private final MachineTable table = new MachineTable();
    private final LibraryPane library = new LibraryPane();
    private final DetailPane detail = new DetailPane();
    private final Notifier notifier = new Notifier();
    /** Boot now and Power in the machine menu, and the detail pane's KVM snapshot (network consoles). */
    private final PowerMenu powerMenu;
    private final KvmPanel kvm;
    private final StackPane root = new StackPane();
    private final BorderPane main = new BorderPane();
    private final Label iface = new Label();
    private final Label mode = new Label();
    private final HBox servers = new HBox(4);
    private final Button startStop = new Button();
    private final Label counts = new Label();
    private final Label otherDhcp = new Label();
    private final Button undo = new Button("Undo", Icons.icon(Icons.UNDO));
    private final Button theme = new Button();
    private final TextField filter = new TextField();
    private final Label shownCount = new Label();
    private final Label status = new Label();
    private final Timeline pump;
    private SetupPane setup;
    private final SerialTerminals terminals;
    private ConsoleBindDialog lastConsoleDialog;
    private boolean dark;
    /** The theme is the application's (one user-agent stylesheet): a second window (the demo's) opens in it. */
    private static boolean appDark;
    private boolean shiftDown;
    private long drains;
    private long ticks;
    private long longestUpdate;

    public ConsoleWindow(ConsoleSession session) {
        this.session = session;
        this.powerMenu = new PowerMenu(session, this::label, this::status, w -> {
            notifier.warning(w);
            status(w);
        });
        this.kvm = new KvmPanel(session, powerMenu);
        detail.side(kvm.node());
        this.terminals = new SerialTerminals(session, f -> KvmPanel.browser.accept(f.toUri().toString()),
                () -> consoleDialog(detail.shown()));
        detail.tabs().getTabs().add(terminals.tab());
        detail.onConsoleStep(() -> {
            if (detail.shown() != null) {
                terminals.open(detail.shown());
            }
        });
        root.getStylesheets().add(CSS);
        root.getChildren().addAll(main, notifier.node());
        main.setTop(toolbar());
        main.setCenter(center());
        main.setBottom(statusBar());

        table.onDrop(this::assign);
        table.onRename(this::rename);
        table.onceModifier(() -> shiftDown || library.dragOnce);
        library.shiftDown(() -> shiftDown);
        library.onAdd(this::addImage);
        library.onEdit(this::editImage);
        library.onRename(this::renameImage);
        library.onEditScript(this::editScript);
        library.onRemove(this::removeImage);
        table.control().setContextMenu(contextMenu());
        table.control().getSelectionModel().selectedItemProperty().addListener((o, a, b) -> select(b));
        table.control().addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.DELETE && !table.selected().isEmpty() && table.control().getEditingCell() == null) {
                unassign(macs(table.selected()));
                e.consume();
            }
        });
        root.addEventFilter(KeyEvent.ANY, e -> shiftDown = e.isShiftDown());
        root.addEventFilter(javafx.scene.input.MouseEvent.ANY, e -> shiftDown = e.isShiftDown());

        pump = new Timeline(new KeyFrame(Duration.millis(UpdateCoalescer.DRAIN_INTERVAL_MS), e -> {
            drain();
            if (++ticks % UpdateCoalescer.MAX_DRAINS_PER_SECOND == 0) {
                table.maintain();
            }
        }));
        pump.setCycleCount(Timeline.INDEFINITE);
        model.vendors(session.vendors()::describe);
        session.vendorsLoaded().thenRun(() -> Platform.runLater(() -> {
            table.update(model.revendor(session.vendors()::describe));
            refreshDetail();
        }));
        applyTheme(appDark);
        refreshServerState();
        reload();
        pump.play();
    }

    /** The scene graph; put it in a Scene with {@link #scene}. */
    public Parent node() {
        return root;
    }

    public Scene scene(double w, double h) {
        Scene s = new Scene(root, w, h);
        s.getAccelerators().put(new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN), this::undo);
        s.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), filter::requestFocus);
        return s;
    }

    /** On start-up: serve the remembered choice, or show the set-up. */
    public void open() {
        Optional<SavedSetup> saved = session.savedSetup();
        if (saved.isPresent()) {
            startServing(saved.get(), null);
        } else {
            showSetup(false);
        }
    }

    public void close() {
        pump.stop();
        kvm.close();
        terminals.close();
    }

    // ------------------------------------------------------------------ layout

    private HBox toolbar() {
        FontIcon appIcon = Icons.icon(Icons.APP);
        appIcon.setIconSize(20);
        Label title = new Label("BootDesk", appIcon);
        title.getStyleClass().add("app-title");
        iface.setId("ifaceLabel");
        iface.setGraphic(Icons.icon(Icons.INTERFACE));
        iface.getStyleClass().add("chip");
        mode.setId("modeLabel");
        mode.getStyleClass().add("chip");
        servers.setAlignment(Pos.CENTER_LEFT);
        startStop.setId("startStop");
        startStop.setOnAction(e -> toggleServing());
        counts.setId("counts");
        counts.getStyleClass().add("counts");
        otherDhcp.setId("otherDhcp");
        otherDhcp.getStyleClass().add("warning-badge");
        otherDhcp.setGraphic(Icons.icon(Icons.WARNING));
        otherDhcp.setVisible(false);
        otherDhcp.setManaged(false);
        undo.setId("undo");
        undo.setDisable(true);
        undo.setOnAction(e -> undo());
        theme.setId("themeToggle");
        theme.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        theme.setOnAction(e -> applyTheme(!dark));
        Button setupButton = new Button(null, Icons.icon(Icons.SETUP));
        setupButton.setId("setupButton");
        setupButton.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        setupButton.setTooltip(new Tooltip("Set-up: interface, DHCP mode, ports"));
        setupButton.setOnAction(e -> showSetup(true));
        Button demo = new Button("Demo", Icons.icon(Icons.DEMO));
        demo.setId("demoButton");
        demo.setTooltip(new Tooltip("Try BootDesk: QEMU machines on a private network namespace, no real network"));
        demo.setMinWidth(Region.USE_PREF_SIZE);
        demo.setOnAction(e -> DemoDialog.show(root.getScene().getWindow()));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        // an HBox, not a ToolBar: a ToolBar hides what does not fit in an overflow menu, and the warning must show
        counts.setMinWidth(Region.USE_PREF_SIZE);
        shownCount.setMinWidth(Region.USE_PREF_SIZE);
        HBox tb = new HBox(8, title, new Separator(Orientation.VERTICAL), iface, mode, servers, startStop,
                otherDhcp, gap, demo, undo, theme, setupButton);
        tb.getStyleClass().add("tool-bar");
        tb.setAlignment(Pos.CENTER_LEFT);
        tb.setPadding(new Insets(6, 10, 6, 10));
        for (javafx.scene.Node n : List.of(title, iface, mode, servers, startStop, otherDhcp, undo, theme, setupButton)) {
            if (n instanceof javafx.scene.control.Control c) {
                c.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            }
        }
        return tb;
    }

    private SplitPane center() {
        filter.setId("filter");
        filter.setPromptText("Filter: MAC, vendor, IP, name, vendor class, firmware, stage, image…");
        filter.textProperty().addListener((o, a, b) -> {
            table.filter(b);
            updateShown();
        });
        FontIcon search = Icons.icon(Icons.SEARCH);
        HBox.setHgrow(filter, Priority.ALWAYS);
        shownCount.setId("shownCount");
        shownCount.getStyleClass().add("muted");
        HBox filterBar = new HBox(8, search, filter, shownCount, counts);
        filterBar.setAlignment(Pos.CENTER_LEFT);
        filterBar.setPadding(new Insets(8, 8, 6, 8));
        VBox tableBox = new VBox(filterBar, table.control());
        VBox.setVgrow(table.control(), Priority.ALWAYS);
        SplitPane right = new SplitPane(tableBox, detail.node());
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.62);
        SplitPane split = new SplitPane(library.node(), right);
        split.setDividerPositions(0.15);
        SplitPane.setResizableWithParent(library.node(), false);
        return split;
    }

    private HBox statusBar() {
        status.setId("status");
        Label data = new Label("data: " + session.dataDir());
        data.getStyleClass().add("muted");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(10, status, gap, data);
        bar.getStyleClass().add("status-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    private ContextMenu contextMenu() {
        Menu assign = new Menu("Assign image");
        Menu once = new Menu("Boot once");
        MenuItem unassign = new MenuItem("Unassign", Icons.icon(Icons.UNASSIGN));
        unassign.setOnAction(e -> unassign(macs(table.selected())));
        MenuItem rename = new MenuItem("Rename…", Icons.icon(Icons.RENAME));
        rename.setOnAction(e -> renameDialog());
        MenuItem forget = new MenuItem("Forget…");
        forget.setOnAction(e -> forgetDialog());
        MenuItem copyMac = new MenuItem("Copy MAC", Icons.icon(Icons.COPY));
        copyMac.setOnAction(e -> copy(table.selected().stream().map(r -> r.mac().toString()).toList()));
        MenuItem copyIp = new MenuItem("Copy IP");
        copyIp.setOnAction(e -> copy(table.selected().stream().map(r -> r.view().ip()).filter(s -> !s.isEmpty()).toList()));
        MenuItem script = new MenuItem("Show script", Icons.icon(Icons.SCRIPT));
        script.setOnAction(e -> detail.tabs().getSelectionModel().select(1));
        MenuItem cert = new MenuItem("Issue client certificate", Icons.icon(Icons.certificate(
                io.bootdesk.ui.model.CertificateView.State.ISSUED)));
        cert.setOnAction(e -> issueCertificates(macs(table.selected())));
        MenuItem revoke = new MenuItem("Revoke client certificate", Icons.icon(Icons.certificate(
                io.bootdesk.ui.model.CertificateView.State.REVOKED)));
        revoke.setOnAction(e -> revokeCertificates(macs(table.selected())));
        MenuItem medium = new MenuItem("Create boot medium…", Icons.icon(Icons.MEDIUM));
        medium.setOnAction(e -> bootMediumDialog());
        ContextMenu menu = new ContextMenu(assign, once, unassign, new SeparatorMenuItem(), rename, forget, copyMac, copyIp,
                script, new SeparatorMenuItem(), cert, revoke, medium);
        MenuItem consoleBind = new MenuItem("Console…", Icons.icon(Icons.TERMINAL));
        consoleBind.setId("menuConsole");
        consoleBind.setOnAction(e -> consoleDialog(table.selected().get(0).mac()));
        MenuItem consoleOpen = new MenuItem("Open serial console");
        consoleOpen.setId("menuOpenConsole");
        consoleOpen.setOnAction(e -> terminals.open(table.selected().get(0).mac()));
        MenuItem consoleUnbind = new MenuItem("Unbind console");
        consoleUnbind.setOnAction(e -> unbindConsole(table.selected().get(0).mac()));
        menu.getItems().addAll(new SeparatorMenuItem(), consoleBind, consoleOpen, consoleUnbind);
        menu.getItems().addAll(new SeparatorMenuItem());
        menu.getItems().addAll(powerMenu.items());
        menu.setOnShowing(e -> {
            powerMenu.showing(macs(table.selected()));
            boolean one = table.selected().size() == 1;
            consoleBind.setDisable(!one);
            consoleOpen.setDisable(true);
            consoleUnbind.setDisable(true);
            if (one) { // the binding is a database read: off the FX thread, the items follow
                MacAddress m = table.selected().get(0).mac();
                session.async(() -> session.consoleBinding(m).orElse(null)).whenComplete((bound, err) ->
                        Platform.runLater(() -> {
                            consoleOpen.setDisable(!(bound instanceof io.bootdesk.console.ConsoleBinding.Serial));
                            consoleUnbind.setDisable(bound == null);
                        }));
            }
            assign.getItems().clear();
            once.getItems().clear();
            for (ImageView i : library.list().getItems()) {
                MenuItem a = new MenuItem(i.name(), Icons.icon(i.icon()));
                a.setOnAction(x -> assign(macs(table.selected()), i.name(), false));
                MenuItem o = new MenuItem(i.name(), Icons.icon(i.icon()));
                o.setOnAction(x -> assign(macs(table.selected()), i.name(), true));
                assign.getItems().add(a);
                once.getItems().add(o);
            }
            boolean none = table.selected().isEmpty();
            boolean noImages = library.list().getItems().isEmpty();
            assign.setDisable(none || noImages);
            once.setDisable(none || noImages);
            unassign.setDisable(none);
            rename.setDisable(table.selected().size() != 1);
            forget.setDisable(none);
            copyMac.setDisable(none);
            copyIp.setDisable(none);
            cert.setDisable(none);
            medium.setDisable(table.selected().size() != 1);
            revoke.setDisable(none || table.selected().stream().allMatch(
                    r -> r.view().certificate().state() == io.bootdesk.ui.model.CertificateView.State.NONE
                            || r.view().certificate().state() == io.bootdesk.ui.model.CertificateView.State.REVOKED));
        });
        return menu;
    }

    // ------------------------------------------------------------------ updates

    /** One UI update: everything the engine reported since the last one. Runs at most 20 times a second. */
    void drain() {
        long t0 = System.nanoTime();
        UpdateCoalescer.Batch b = session.updates().drain();
        if (b.isEmpty()) {
            return;
        }
        drains++;
        try {
            apply(b);
        } finally {
            longestUpdate = Math.max(longestUpdate, System.nanoTime() - t0);
        }
    }

    private void apply(UpdateCoalescer.Batch b) {
        List<MachineView> changed = model.apply(b);
        table.remove(b.forgotten());
        table.update(changed);
        MacAddress shown = detail.shown();
        List<BootEvent> mine = new ArrayList<>();
        for (BootEvent e : b.events()) {
            if (shown != null && shown.equals(e.mac())) {
                mine.add(e);
            }
            notice(e);
        }
        if (shown != null) {
            detail.append(mine);
            MachineView v = model.row(shown);
            if (v != null && changed.contains(v)) {
                detail.header(v);
            }
            if (b.assignments() != null) {
                refreshScript(shown);
            }
        }
        if (b.assignments() != null) {
            reloadImages();
        }
        updateCounts();
    }

    /** How many UI updates (drains with something in them) the window applied so far. */
    public long updatesApplied() {
        return drains;
    }

    /** The longest time one UI update took on the FX thread (without the layout and rendering that follow it). */
    public long longestUpdateNanos() {
        return longestUpdate;
    }

    public void resetLongestUpdate() {
        longestUpdate = 0;
    }

    /** Rows in the machine table (all, not only the filtered ones). */
    public int machineCount() {
        return table.total();
    }

    /** Selects a machine's row, as a click would (benchmarks and demos). */
    public void select(MacAddress mac) {
        MachineRow r = table.row(mac);
        if (r != null) {
            table.control().getSelectionModel().clearSelection();
            table.control().getSelectionModel().select(r);
            table.control().scrollTo(r);
        }
    }

    private void notice(BootEvent e) {
        if (e.mac() == null) {
            return;
        }
        MachineView v = model.row(e.mac());
        String who = v == null || v.name().isEmpty() ? e.mac().toString() : v.name() + " (" + e.mac() + ")";
        switch (e.type()) {
            case BOOTED -> notifier.booted(who, v == null || v.image().isEmpty() ? "" : v.image());
            case TFTP_FAILED, HTTP_FAILED -> notifier.failed(who, e.message());
            case DHCP_IGNORED -> {
                String m = e.message();
                // "ignored: REQUEST is for the DHCP server 10.0.0.1, not this one": a client took another's offer
                int i = m.indexOf("is for the DHCP server ");
                if (i >= 0) {
                    String server = m.substring(i + "is for the DHCP server ".length()).split(",")[0].trim();
                    showOtherDhcp("Another DHCP server answers on this network: " + server);
                }
            }
            default -> {
            }
        }
    }

    private void showOtherDhcp(String text) {
        otherDhcp.setText(text.length() > 60 ? "Another DHCP server" : text.replace("Another DHCP server answers on this network: ", "Other DHCP: "));
        otherDhcp.setTooltip(new Tooltip(text + ". Machines may take its answer; in full mode, consider proxy mode."));
        otherDhcp.setVisible(true);
        otherDhcp.setManaged(true);
    }

    private void updateCounts() {
        MachineTableModel.Counts c = model.counts();
        List<String> parts = new ArrayList<>();
        if (c.booting() > 0) {
            parts.add(c.booting() + " booting");
        }
        if (c.waiting() > 0) {
            parts.add(c.waiting() + " waiting");
        }
        if (c.done() > 0) {
            parts.add(c.done() + " booted");
        }
        if (c.failed() > 0) {
            parts.add(c.failed() + " failed");
        }
        counts.setText(parts.isEmpty() ? "" : String.join(" · ", parts));
        MachineTable.tip(counts, c.seen() + " machines seen: " + c.booting() + " booting, " + c.waiting()
                + " waiting for an image, " + c.done() + " booted, " + c.failed() + " failed");
        updateShown();
    }

    private void updateShown() {
        int n = table.total();
        shownCount.setText(table.shown() == n ? n + (n == 1 ? " machine" : " machines") + (counts.getText().isEmpty() ? "" : ":")
                : table.shown() + " of " + n + " machines shown" + (counts.getText().isEmpty() ? "" : " · all:"));
    }

    /** Reads everything again (start-up, engine started or stopped). */
    void reload() {
        session.async(() -> new Object[] {session.machines(), session.assignments(), session.images(),
                session.certificates()})
                .whenComplete((r, err) -> Platform.runLater(() -> {
                    if (err != null) {
                        status("Reading the data dir failed: " + err.getMessage());
                        return;
                    }
                    @SuppressWarnings("unchecked")
                    var machines = (java.util.Collection<io.bootdesk.model.Machine>) r[0];
                    @SuppressWarnings("unchecked")
                    var assignments = (Map<MacAddress, io.bootdesk.model.Assignment>) r[1];
                    @SuppressWarnings("unchecked")
                    var images = (List<ImageView>) r[2];
                    @SuppressWarnings("unchecked")
                    var certs = (Map<MacAddress, io.bootdesk.ui.model.CertificateView>) r[3];
                    model.certificates(mac -> certs.getOrDefault(mac, io.bootdesk.ui.model.CertificateView.NONE));
                    table.setAll(model.reset(machines, assignments));
                    library.setImages(images);
                    updateCounts();
                }));
    }

    private void reloadImages() {
        session.async(session::images).whenComplete((r, err) -> Platform.runLater(() -> {
            if (r != null) {
                library.setImages(r);
            }
        }));
    }

    // ------------------------------------------------------------------ engine

    private void toggleServing() {
        if (session.serving()) {
            startStop.setDisable(true);
            session.async(() -> {
                session.stop();
                return null;
            }).whenComplete((r, err) -> Platform.runLater(() -> {
                startStop.setDisable(false);
                refreshServerState();
                status("Stopped serving. Machines get no answer from BootDesk until you start it again.");
            }));
        } else {
            Optional<SavedSetup> saved = session.savedSetup();
            if (saved.isPresent()) {
                startServing(saved.get(), null);
            } else {
                showSetup(false);
            }
        }
    }

    private void startServing(SavedSetup s, SetupPane from) {
        startStop.setDisable(true);
        status("Starting on " + s.interfaceName() + "…");
        session.async(() -> {
            try {
                return from != null ? session.completeSetup(s) : session.start(s);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).whenComplete((engine, err) -> Platform.runLater(() -> {
            startStop.setDisable(false);
            if (err != null) {
                String why = rootMessage(err);
                log.warn("cannot start serving: {}", why);
                refreshServerState();
                if (from != null) {
                    from.failed(why);
                } else {
                    status("Not serving: " + why);
                    notifier.warning("Not serving: " + why);
                }
                return;
            }
            if (from != null) {
                hideSetup();
                if (from.lastProbe() != null && from.lastProbe().addressServerSeen()) {
                    showOtherDhcp(from.lastProbe().offers().get(0).server() + " hands out addresses (seen by the probe)");
                }
            }
            refreshServerState();
            status("Serving on " + s.interfaceName() + " (" + engine.serverIp() + ").");
            reload();
        }));
    }

    private void refreshServerState() {
        servers.getChildren().clear();
        Optional<Engine> e = session.engine();
        if (e.isPresent()) {
            EngineConfig c = e.get().config();
            iface.setText(c.interfaceName() + "  " + e.get().serverIp());
            mode.setText(c.mode() == DhcpMode.FULL ? "full DHCP" : "proxyDHCP");
            mode.setTooltip(new Tooltip(c.mode() == DhcpMode.FULL
                    ? "BootDesk hands out addresses on this network"
                    : "Another server hands out addresses; BootDesk adds boot information"));
            for (ServerChip chip : session.serverChips()) {
                servers.getChildren().add(serverChip(chip));
            }
            if (!c.tls().on()) {
                servers.getChildren().add(unavailable("HTTPS", "HTTPS is off for this engine"));
            }
            startStop.setText("Stop");
            startStop.setGraphic(Icons.icon(Icons.STOP));
            startStop.getStyleClass().remove(Styles.SUCCESS);
            startStop.setTooltip(new Tooltip("Stop every server: machines get no answer from BootDesk"));
        } else {
            Optional<SavedSetup> s = session.savedSetup();
            iface.setText(s.map(x -> x.interfaceName() + "  not serving").orElse("no interface chosen"));
            mode.setText(s.map(x -> x.mode() == DhcpMode.FULL ? "full DHCP" : "proxyDHCP").orElse("—"));
            servers.getChildren().addAll(server("DHCP", "", false), server("TFTP", "", false),
                    server("HTTP", "", false), server("HTTPS", "", false));
            startStop.setText("Start");
            startStop.setGraphic(Icons.icon(Icons.START));
            if (!startStop.getStyleClass().contains(Styles.SUCCESS)) {
                startStop.getStyleClass().add(Styles.SUCCESS);
            }
            startStop.setTooltip(new Tooltip("Start serving on the chosen interface"));
        }
    }

    private static Label server(String name, String port, boolean running) {
        Label l = new Label(running ? name + " :" + port : name, Icons.icon("mdi2c-circle-medium"));
        l.getStyleClass().addAll("server-state", running ? "running" : "stopped");
        l.setMinWidth(Region.USE_PREF_SIZE);
        l.setId("server" + name);
        l.setTooltip(new Tooltip(running ? name + " server running on port " + port : name + " server stopped"));
        return l;
    }

    /** A running engine's server: a flat button that stops or starts that server alone. */
    private Button serverChip(ServerChip chip) {
        Button b = new Button(chip.text(), Icons.icon("mdi2c-circle-medium"));
        b.getStyleClass().addAll(Styles.FLAT, "server-state", chip.running() ? "running" : "stopped");
        b.setMinWidth(Region.USE_PREF_SIZE);
        b.setId("server" + chip.server().label());
        b.setFocusTraversable(true);
        MachineTable.tip(b, chip.tooltip());
        b.setOnAction(e -> toggleServer(chip.server(), b));
        return b;
    }

    private void toggleServer(Server server, Button chip) {
        chip.setDisable(true);
        session.async(() -> {
            try {
                return session.toggleServer(server);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).whenComplete((after, err) -> Platform.runLater(() -> {
            chip.setDisable(false);
            if (err != null) {
                String why = rootMessage(err);
                notifier.warning(why);
                status(why);
            } else {
                status(after.afterToggle());
                notifier.info(after.afterToggle());
            }
            refreshServerState();
        }));
    }

    private static Label unavailable(String name, String why) {
        Label l = new Label(name + " —");
        l.getStyleClass().addAll("server-state", "unavailable");
        l.setMinWidth(Region.USE_PREF_SIZE);
        l.setId("server" + name);
        l.setTooltip(new Tooltip(why));
        return l;
    }

    private void showSetup(boolean cancellable) {
        if (setup != null) {
            return;
        }
        setup = new SetupPane(session, s -> {
            if (session.serving()) {
                session.stop();
            }
            startServing(s, setup);
        }, this::hideSetup, cancellable);
        root.getChildren().add(1, setup.node());
    }

    private void hideSetup() {
        if (setup != null) {
            root.getChildren().remove(setup.node());
            setup = null;
        }
    }

    boolean setupShown() {
        return setup != null;
    }

    // ------------------------------------------------------------------ actions

    private static List<MacAddress> macs(List<MachineRow> rows) {
        return rows.stream().map(MachineRow::mac).toList();
    }

    /** Assigns through the engine; the rows show it at once and Undo can take it back. */
    void assign(List<MacAddress> macs, String image, boolean once) {
        if (macs.isEmpty()) {
            return;
        }
        run(() -> session.assign(macs, image, once), c -> {
            Map<MacAddress, io.bootdesk.model.Assignment> now = new java.util.HashMap<>();
            for (MacAddress m : macs) {
                now.put(m, new io.bootdesk.model.Assignment(m, image, once, java.time.Instant.now()));
            }
            table.update(model.assume(now));
            undoAvailable();
            String who = macs.size() == 1 ? label(macs.get(0)) : macs.size() + " machines";
            status((once ? "Boot " + image + " once on " : "Assigned " + image + " to ") + who + ". Undo with Ctrl+Z.");
            refreshDetail();
        });
    }

    void unassign(List<MacAddress> macs) {
        if (macs.isEmpty()) {
            return;
        }
        run(() -> session.unassign(macs), c -> {
            Map<MacAddress, io.bootdesk.model.Assignment> now = new java.util.HashMap<>();
            macs.forEach(m -> now.put(m, null));
            table.update(model.assume(now));
            undoAvailable();
            status("Unassigned " + (macs.size() == 1 ? label(macs.get(0)) : macs.size() + " machines") + ". Undo with Ctrl+Z.");
            refreshDetail();
        });
    }

    void undo() {
        if (session.undoStack().size() == 0) {
            return;
        }
        run(session::undo, e -> {
            e.ifPresent(x -> {
                Map<MacAddress, io.bootdesk.model.Assignment> was = new java.util.HashMap<>(x.change().before());
                table.update(model.assume(was));
                status("Undone: " + x.label() + ".");
            });
            undoAvailable();
            refreshDetail();
        });
    }

    private void undoAvailable() {
        Optional<UndoStack.Entry> top = session.undoStack().peek();
        undo.setDisable(top.isEmpty());
        undo.setTooltip(top.map(t -> new Tooltip("Undo " + t.label() + " (Ctrl+Z)")).orElse(null));
    }

    private void rename(MacAddress mac, String name) {
        run(() -> session.rename(mac, name), n -> {
            MachineView v = model.rename(mac, n);
            if (v != null) {
                table.update(List.of(v));
            }
        });
    }

    private void issueCertificates(List<MacAddress> macs) {
        run(() -> {
            for (MacAddress m : macs) {
                MachineView v = model.row(m);
                session.issueCertificate(m, v == null ? null : v.name());
            }
            return session.certificates();
        }, certs -> {
            table.update(model.recertify(mac -> certs.getOrDefault(mac, io.bootdesk.ui.model.CertificateView.NONE)));
            status("Issued a client certificate for " + (macs.size() == 1 ? label(macs.get(0)) : macs.size() + " machines")
                    + ". Export it with: bootdesk cert export MAC");
        });
    }

    private void revokeCertificates(List<MacAddress> macs) {
        run(() -> {
            for (MacAddress m : macs) {
                session.revokeCertificate(m);
            }
            return session.certificates();
        }, certs -> {
            table.update(model.recertify(mac -> certs.getOrDefault(mac, io.bootdesk.ui.model.CertificateView.NONE)));
            status("Revoked the client certificate of " + (macs.size() == 1 ? label(macs.get(0)) : macs.size() + " machines") + ".");
        });
    }

    /** The selected machine's boot medium: a dialog with the CLI's options, then the CA writes it off the FX thread. */
    void bootMediumDialog() {
        List<MachineRow> sel = table.selected();
        if (sel.size() != 1) {
            return;
        }
        MacAddress mac = sel.get(0).mac();
        java.nio.file.Path suggested = java.nio.file.Path.of(System.getProperty("user.home"),
                "bootdesk-" + mac.hyphenated() + ".img");
        BootMediumDialog d = new BootMediumDialog(session.bootMedium(mac, suggested), label(mac),
                root.getScene() == null ? null : root.getScene().getWindow());
        d.show(this::createBootMedium);
    }

    private void createBootMedium(io.bootdesk.engine.BootMedium m) {
        status("Writing the boot medium for " + label(m.mac()) + "…");
        run(() -> {
            try {
                return new Object[] {session.createBootMedium(m), session.certificates()};
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> {
            var written = (io.bootdesk.engine.BootMedium.Written) r[0];
            @SuppressWarnings("unchecked")
            var certs = (Map<MacAddress, io.bootdesk.ui.model.CertificateView>) r[1];
            table.update(model.recertify(mac -> certs.getOrDefault(mac, io.bootdesk.ui.model.CertificateView.NONE)));
            String done = "Boot medium for " + label(m.mac()) + " written to " + written.out() + " (certificate "
                    + written.certificate().serial() + "; it holds the machine's key).";
            status(done);
            notifier.info(done);
        });
    }

    private void renameDialog() {
        List<MachineRow> sel = table.selected();
        if (sel.size() != 1) {
            return;
        }
        MachineRow r = sel.get(0);
        TextInputDialog d = new TextInputDialog(r.view().name());
        d.setTitle("Rename machine");
        d.setHeaderText("Name for " + r.mac());
        d.initOwner(root.getScene().getWindow());
        d.showAndWait().ifPresent(n -> rename(r.mac(), n));
    }

    /** Forgets the selected machines after the operator confirms (like bootdesk forget: their events stay). */
    private void forgetDialog() {
        List<MacAddress> macs = macs(table.selected());
        if (macs.isEmpty()) {
            return;
        }
        String what = macs.size() == 1 ? label(macs.get(0)) : macs.size() + " machines";
        javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION,
                "Their rows and assignments go; their events stay. A forgotten machine that boots again comes back"
                        + " as a new one.", javafx.scene.control.ButtonType.CANCEL, javafx.scene.control.ButtonType.OK);
        a.setTitle("Forget machines");
        a.setHeaderText("Forget " + what + "?");
        a.initOwner(root.getScene().getWindow());
        a.showAndWait().filter(b -> b == javafx.scene.control.ButtonType.OK)
                .ifPresent(b -> run(() -> session.forget(macs), n -> status("Forgot " + what + ".")));
    }

    private void addImage(ImageDrop drop) {
        if (!drop.ok()) {
            notifier.warning(drop.problem());
            return;
        }
        run(() -> {
            try {
                return session.addImage(drop);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, i -> {
            status("Added image " + i.name() + ".");
            reloadImages();
        });
    }

    private void editImage(ImageView i) {
        TextInputDialog d = new TextInputDialog(i.image().cmdline());
        d.setTitle("Kernel command line");
        d.setHeaderText("Command line of " + i.name() + " ({{ server }}, {{ mac }}, {{ files }} are filled in)");
        d.getEditor().setPrefColumnCount(50);
        d.initOwner(root.getScene().getWindow());
        d.showAndWait().ifPresent(c -> run(() -> {
            try {
                return session.editLinuxCmdline(i.name(), c);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, x -> {
            status("Changed the command line of " + i.name() + ".");
            reloadImages();
            refreshDetail();
        }));
    }

    /** Renames an image through the engine (off the FX thread): files move, assignments follow. */
    private void renameImage(ImageView i) {
        TextInputDialog d = new TextInputDialog(i.name());
        d.setTitle("Rename image");
        d.setHeaderText("New name for " + i.name() + " (letters, digits, '.', '_', '-'); machines assigned to it follow");
        d.initOwner(root.getScene().getWindow());
        d.showAndWait().filter(n -> !n.strip().equals(i.name())).ifPresent(n -> run(() -> {
            try {
                return session.renameImage(i.name(), n);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> {
            int m = r.machines().size();
            status("Renamed image " + i.name() + " to " + r.image().name()
                    + (m == 0 ? "." : " (" + (m == 1 ? "1 machine follows it)." : m + " machines follow it).")));
            reloadImages();
            refreshDetail();
        }));
    }

    /** Edits a script image's script in a dialog; Save stores it through the engine (off the FX thread). */
    private void editScript(ImageView i) {
        String name = i.name();
        ScriptDialog d = new ScriptDialog(name, i.image().script(), root.getScene().getWindow(),
                text -> session.async(() -> {
                    try {
                        return session.editScript(name, text);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
        d.dialog().setOnHidden(e -> {
            if (d.dialog().getResult() != null) {
                status("Changed the script of " + name + ".");
                reloadImages();
                refreshDetail();
            }
        });
        d.show();
    }

    private void removeImage(ImageView i) {
        run(() -> {
            try {
                return session.removeImage(i.name());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, x -> {
            status("Removed image " + i.name() + " (machines assigned to it wait again).");
            reloadImages();
        });
    }

    private void copy(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        ClipboardContent c = new ClipboardContent();
        c.putString(String.join("\n", lines));
        Clipboard.getSystemClipboard().setContent(c);
        status("Copied " + (lines.size() == 1 ? lines.get(0) : lines.size() + " lines") + ".");
    }

    private String label(MacAddress mac) {
        MachineView v = model.row(mac);
        return v == null || v.name().isEmpty() ? mac.toString() : v.name();
    }

    /** Runs {@code work} on the session's thread, then {@code then} on the UI thread; errors become a notice. */
    private <T> void run(Supplier<T> work, java.util.function.Consumer<T> then) {
        CompletableFuture<T> f = session.async(work);
        f.whenComplete((r, err) -> Platform.runLater(() -> {
            if (err != null) {
                String why = rootMessage(err);
                notifier.warning(why);
                status(why);
                return;
            }
            then.accept(r);
        }));
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.io.UncheckedIOException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    private void status(String text) {
        status.setText(text);
    }

    // ------------------------------------------------------------------ detail

    /** "Console…": binds the machine's console; a serial one opens in the Console tab at once. */
    void consoleDialog(MacAddress mac) {
        if (mac == null) {
            return;
        }
        MachineView v = model.row(mac);
        String who = v == null || v.name().isEmpty() ? mac.toString() : v.name();
        ConsoleBindDialog d = new ConsoleBindDialog(mac, who, session.consoleBinding(mac).orElse(null),
                root.getScene() == null ? null : root.getScene().getWindow(),
                r -> session.async(() -> {
                    session.bindConsole(mac, r.binding(), r.password());
                    return r;
                }));
        d.dialog().setOnHidden(e -> {
            ConsoleBindDialog.Result r = d.dialog().getResult();
            if (r == null) {
                return;
            }
            terminals.forget(mac);
            status("Console of " + who + ": " + r.binding().describe());
            if (r.binding() instanceof io.bootdesk.console.ConsoleBinding.Serial) {
                select(mac);
                terminals.open(mac);
            } else {
                kvm.show(mac);
            }
        });
        lastConsoleDialog = d;
        d.show();
    }

    /** The console dialog shown last (tests fill it in). */
    ConsoleBindDialog lastConsoleDialog() {
        return lastConsoleDialog;
    }

    /** The detail pane's serial terminals (tests type into them). */
    SerialTerminals terminals() {
        return terminals;
    }

    private void unbindConsole(MacAddress mac) {
        session.async(() -> session.unbindConsole(mac)).whenComplete((had, err) -> Platform.runLater(() -> {
            terminals.forget(mac);
            kvm.show(detail.shown());
            status(err != null ? "Unbinding failed: " + rootMessage(err) : "Console of " + mac + " unbound");
        }));
    }

    private void select(MachineRow r) {
        kvm.show(r == null ? null : r.mac());
        terminals.show(r == null ? null : r.mac());
        if (r == null) {
            if (table.selected().isEmpty()) {
                detail.clear();
            }
            return;
        }
        MachineView v = r.view();
        detail.show(v, List.of(), "");
        MacAddress mac = v.mac();
        session.async(() -> new Object[] {session.events(mac, DetailPane.EVENT_LIMIT), session.script(mac)})
                .whenComplete((x, err) -> Platform.runLater(() -> {
                    if (err != null || !mac.equals(detail.shown())) {
                        return;
                    }
                    @SuppressWarnings("unchecked")
                    List<BootEvent> events = (List<BootEvent>) x[0];
                    MachineView now = model.row(mac);
                    detail.show(now == null ? v : now, events, (String) x[1]);
                }));
    }

    private void refreshDetail() {
        MacAddress m = detail.shown();
        if (m != null) {
            MachineView v = model.row(m);
            if (v != null) {
                detail.header(v);
            }
            refreshScript(m);
        }
    }

    private void refreshScript(MacAddress mac) {
        session.async(() -> session.script(mac)).whenComplete((s, err) -> Platform.runLater(() -> {
            if (s != null && mac.equals(detail.shown())) {
                detail.script(s);
            }
        }));
    }

    // ------------------------------------------------------------------ theme

    void applyTheme(boolean darkTheme) {
        dark = darkTheme;
        appDark = darkTheme;
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        theme.setGraphic(Icons.icon(dark ? Icons.LIGHT : Icons.DARK));
        theme.setTooltip(new Tooltip(dark ? "Light theme" : "Dark theme"));
    }

    // for tests and the demo driver
    MachineTable table() {
        return table;
    }

    LibraryPane library() {
        return library;
    }

    DetailPane detail() {
        return detail;
    }

    Notifier notifier() {
        return notifier;
    }

    KvmPanel kvm() {
        return kvm;
    }

    MachineTableModel model() {
        return model;
    }
}
