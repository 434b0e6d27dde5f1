package io.bootdesk.ui;

import io.bootdesk.engine.DhcpProbe;
import io.bootdesk.engine.NetworkInterfaces;
import io.bootdesk.engine.PortCheck;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.ui.model.ConsoleSession;
import java.util.List;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * First-run set-up, shown over the window: pick the boot interface, optionally probe it for another DHCP server
 * (one DISCOVER, only after the operator confirms), choose proxy or full mode, check the ports, start serving.
 * Nothing is served before "Start serving".
 */
final class SetupPane {
    private final ConsoleSession session;
    private final StackPane overlay;
    private final TableView<NetworkInterfaces.Nic> nics = new TableView<>();
    private final Label nicProblem = new Label();
    private final Button probe = new Button("Probe for DHCP servers…", Icons.icon(Icons.PROBE));
    private final HBox confirm;
    private final Label confirmText = new Label();
    private final Label probeResult = new Label("Not probed yet. Without a probe, proxy mode is the safe choice.");
    private final ProgressIndicator probing = new ProgressIndicator();
    private final RadioButton proxy = new RadioButton("Proxy DHCP: another server gives addresses, BootDesk adds boot information");
    private final RadioButton full = new RadioButton("Full DHCP: BootDesk gives addresses (an isolated build network)");
    private final VBox ports = new VBox(4);
    private final Label error = new Label();
    private final Button start = new Button("Start serving", Icons.icon(Icons.START));
    private final Button cancel = new Button("Cancel");
    private DhcpProbe.Result lastProbe;

    SetupPane(ConsoleSession session, Consumer<SavedSetup> onStart, Runnable onCancel, boolean cancellable) {
        this.session = session;
        Label title = new Label("Set up BootDesk");
        title.getStyleClass().add("title-3");
        Label intro = new Label("Choose the network the machines boot from. BootDesk answers on that interface only,"
                + " and serves nothing until you press Start serving.");
        intro.setWrapText(true);
        intro.getStyleClass().add("muted");

        // 1. interface
        nics.setId("nicTable");
        nics.setFixedCellSize(28);
        // as tall as its rows (at most 5 before it scrolls)
        nics.prefHeightProperty().bind(javafx.beans.binding.Bindings.size(nics.getItems())
                .multiply(28).add(46).map(h -> Math.min(h.doubleValue(), 46 + 5 * 28)));
        nics.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        nics.getColumns().setAll(List.of(
                col("Interface", 110, n -> n.name() + (n.loopback() ? " (loopback)" : "")),
                col("Address", 140, NetworkInterfaces.Nic::address),
                col("Link", 60, NetworkInterfaces.Nic::link),
                col("MAC", 150, n -> n.mac().isEmpty() ? "—" : n.mac())));
        Label noNics = new Label("No network interfaces found.");
        nics.setPlaceholder(noNics);
        nicProblem.getStyleClass().add("setup-problem");
        nicProblem.setWrapText(true);
        nicProblem.setManaged(false);

        // 2. probe and mode
        probe.setId("probeButton");
        Button send = new Button("Send probe");
        send.setId("confirmProbe");
        send.getStyleClass().add("accent");
        Button dont = new Button("Cancel");
        confirmText.setWrapText(true);
        HBox.setHgrow(confirmText, Priority.ALWAYS);
        confirm = new HBox(8, confirmText, send, dont);
        confirm.setAlignment(Pos.CENTER_LEFT);
        show(confirm, false);
        probeResult.setId("probeResult");
        probeResult.setWrapText(true);
        probing.setPrefSize(18, 18);
        show(probing, false);
        ToggleGroup modes = new ToggleGroup();
        proxy.setToggleGroup(modes);
        full.setToggleGroup(modes);
        proxy.setId("modeProxy");
        full.setId("modeFull");
        proxy.setSelected(true);
        modes.selectedToggleProperty().addListener((o, a, b) -> checkPorts());

        // 3. ports
        ports.setId("portResults");

        error.setId("setupError");
        error.getStyleClass().add("setup-problem");
        error.setWrapText(true);
        start.setId("startServing");
        start.getStyleClass().add("accent");
        start.setDefaultButton(true);
        cancel.setVisible(cancellable);
        cancel.setManaged(cancellable);

        probe.setOnAction(e -> {
            NetworkInterfaces.Nic n = selected();
            if (n != null) {
                confirmText.setText("Send one DHCP DISCOVER on " + n.name() + " and listen for "
                        + session.options().probeWait().toMillis() / 1000.0 + " s? Nothing else is sent, and no other"
                        + " interface is touched.");
                show(confirm, true);
            }
        });
        dont.setOnAction(e -> show(confirm, false));
        send.setOnAction(e -> runProbe());
        start.setOnAction(e -> {
            NetworkInterfaces.Nic n = selected();
            if (n == null) {
                error.setText("Choose an interface first.");
                return;
            }
            error.setText("");
            start.setDisable(true);
            onStart.accept(new SavedSetup(n.name(), mode()));
        });
        cancel.setOnAction(e -> onCancel.run());
        nics.getSelectionModel().selectedItemProperty().addListener((o, a, n) -> chosen(n));

        VBox content = new VBox(8,
                step("1", "Boot network interface"), nics, nicProblem,
                step("2", "Other DHCP servers and mode"), new HBox(8, probe, probing), confirm, probeResult, proxy, full,
                step("3", "Ports"), ports);
        // the card is as tall as its content; only a window too low for it scrolls (the whole overlay)
        VBox card = new VBox(10, new VBox(4, title, intro), content, error, footer());
        card.getStyleClass().add("setup-card");
        card.setId("setupCard");
        card.setMaxWidth(820);
        card.setMaxHeight(Region.USE_PREF_SIZE);
        StackPane centre = new StackPane(card);
        centre.setPadding(new Insets(20));
        ScrollPane scroll = new ScrollPane(centre);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        scroll.setStyle("-fx-background-color: transparent; -fx-background: transparent;");
        overlay = new StackPane(scroll);
        overlay.getStyleClass().add("overlay");
        overlay.setId("setupOverlay");

        List<NetworkInterfaces.Nic> list = session.interfaces();
        nics.getItems().setAll(list);
        session.savedSetup().ifPresent(s -> {
            (s.mode() == DhcpMode.FULL ? full : proxy).setSelected(true);
            list.stream().filter(n -> n.name().equals(s.interfaceName())).findFirst()
                    .ifPresent(n -> nics.getSelectionModel().select(n));
        });
        chosen(selected());
    }

    StackPane node() {
        return overlay;
    }

    /** The engine could not start: say why and let the operator change the choice. */
    void failed(String why) {
        error.setText(why);
        start.setDisable(false);
    }

    private HBox footer() {
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox f = new HBox(8, gap, cancel, start);
        f.setAlignment(Pos.CENTER_RIGHT);
        return f;
    }

    private static Label step(String n, String text) {
        Label l = new Label(n + "   " + text);
        l.getStyleClass().add("setup-step");
        l.setPadding(new Insets(6, 0, 0, 0));
        return l;
    }

    private static TableColumn<NetworkInterfaces.Nic, String> col(String title, double w,
            java.util.function.Function<NetworkInterfaces.Nic, String> f) {
        TableColumn<NetworkInterfaces.Nic, String> c = new TableColumn<>(title);
        c.setPrefWidth(w);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
        return c;
    }

    private NetworkInterfaces.Nic selected() {
        return nics.getSelectionModel().getSelectedItem();
    }

    private DhcpMode mode() {
        return full.isSelected() ? DhcpMode.FULL : DhcpMode.PROXY;
    }

    private void chosen(NetworkInterfaces.Nic n) {
        show(confirm, false);
        lastProbe = null;
        boolean usable = n != null && n.usable();
        String p = n == null ? "" : n.problem();
        nicProblem.setText(p);
        show(nicProblem, !p.isEmpty());
        probe.setDisable(!usable);
        probe.setText(usable ? "Probe " + n.name() + " for DHCP servers…" : "Probe for DHCP servers…");
        probeResult.setText(usable ? "Not probed yet. Without a probe, proxy mode is the safe choice."
                : "Choose an interface that is up and has an IPv4 address.");
        start.setDisable(!usable);
        checkPorts();
    }

    private void runProbe() {
        NetworkInterfaces.Nic n = selected();
        if (n == null) {
            return;
        }
        show(confirm, false);
        show(probing, true);
        probe.setDisable(true);
        probeResult.setText("Probing " + n.name() + "…");
        session.async(() -> session.probe(n)).whenComplete((r, err) -> Platform.runLater(() -> {
            show(probing, false);
            probe.setDisable(false);
            if (err != null) {
                probeResult.setText("The probe failed: " + err.getMessage());
                return;
            }
            if (!n.equals(selected())) {
                return;
            }
            lastProbe = r;
            probeResult.setText(r.advice());
            proxy.setText(proxyText(r.recommendedMode() == DhcpMode.PROXY));
            full.setText(fullText(r.recommendedMode() == DhcpMode.FULL));
            (r.recommendedMode() == DhcpMode.FULL ? full : proxy).setSelected(true);
        }));
    }

    DhcpProbe.Result lastProbe() {
        return lastProbe;
    }

    private static String proxyText(boolean recommended) {
        return "Proxy DHCP: another server gives addresses, BootDesk adds boot information" + (recommended ? "  (recommended)" : "");
    }

    private static String fullText(boolean recommended) {
        return "Full DHCP: BootDesk gives addresses (an isolated build network)" + (recommended ? "  (recommended)" : "");
    }

    private void checkPorts() {
        NetworkInterfaces.Nic n = selected();
        ports.getChildren().clear();
        if (n == null || !n.usable()) {
            Label l = new Label("Checked once an interface is chosen.");
            l.getStyleClass().add("muted");
            ports.getChildren().add(l);
            return;
        }
        DhcpMode m = mode();
        session.async(() -> session.checkPorts(n, m)).whenComplete((rs, err) -> Platform.runLater(() -> {
            if (!n.equals(selected()) || m != mode()) {
                return;
            }
            ports.getChildren().clear();
            if (err != null) {
                ports.getChildren().add(new Label("The port check failed: " + err.getMessage()));
                return;
            }
            for (PortCheck.Result r : rs) {
                FontIcon icon = Icons.icon(r.ok() ? "mdi2c-check-circle" : "mdi2c-close-circle");
                Label l = new Label(r.ok() ? r.what() + " (" + r.proto() + " " + r.port() + "): free"
                        : capitalize(r.problem()), icon);
                l.setWrapText(true);
                l.getStyleClass().add(r.ok() ? "setup-ok" : "setup-problem");
                ports.getChildren().add(l);
            }
        }));
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static void show(javafx.scene.Node n, boolean on) {
        n.setVisible(on);
        n.setManaged(on);
    }
}
