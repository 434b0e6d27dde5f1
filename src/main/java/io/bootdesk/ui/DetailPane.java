package io.bootdesk.ui;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.model.BootTimeline;
import io.bootdesk.ui.model.MachineView;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/** The selected machine: its latest boot step by step with the engine's reasons, its script, its events. */
final class DetailPane {
    static final int EVENT_LIMIT = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final Label title = new Label("No machine selected");
    private final Label subtitle = new Label("Select a machine to see how it booted, its script and its events.");
    private final ListView<BootTimeline.Step> timeline = new ListView<>();
    private final TextArea script = new TextArea();
    private final ListView<String> events = new ListView<>();
    private final TabPane tabs = new TabPane();
    private final Label noSteps = new Label("Select a machine to see its boot step by step.");
    private final VBox root;
    private final HBox body;
    private final List<BootEvent> loaded = new ArrayList<>();
    private MacAddress shown;

    DetailPane() {
        title.getStyleClass().add("detail-title");
        title.setId("detailTitle");
        subtitle.getStyleClass().add("muted");
        subtitle.setWrapText(true);
        VBox header = new VBox(2, title, subtitle);
        header.getStyleClass().add("detail-header");

        timeline.setId("timeline");
        timeline.setCellFactory(l -> new StepCell());
        noSteps.getStyleClass().add("muted");
        timeline.setPlaceholder(noSteps);
        script.setId("scriptView");
        script.setEditable(false);
        script.getStyleClass().add("script-view");
        events.setId("eventLog");
        events.getStyleClass().add("events-view");
        Label noEvents = new Label("No events.");
        noEvents.getStyleClass().add("muted");
        events.setPlaceholder(noEvents);

        Tab t1 = new Tab("Boot timeline", timeline);
        t1.setGraphic(Icons.icon(Icons.TIMELINE));
        Tab t2 = new Tab("Script", script);
        t2.setGraphic(Icons.icon(Icons.SCRIPT));
        t2.setId("scriptTab");
        Tab t3 = new Tab("Events", events);
        t3.setGraphic(Icons.icon(Icons.EVENTS));
        tabs.getTabs().setAll(t1, t2, t3);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        VBox main = new VBox(header, tabs);
        HBox.setHgrow(main, Priority.ALWAYS);
        body = new HBox(main);
        VBox.setVgrow(body, Priority.ALWAYS);
        root = new VBox(body);
        root.setMinHeight(120);
    }

    VBox node() {
        return root;
    }

    /** Puts {@code side} (the network console's panel) to the right of the header and tabs. */
    void side(javafx.scene.Node side) {
        body.getChildren().setAll(body.getChildren().get(0), side);
    }

    TabPane tabs() {
        return tabs;
    }

    /** Double-clicking a console step of the timeline runs {@code action} (the window opens the Console tab). */
    void onConsoleStep(Runnable action) {
        timeline.setOnMouseClicked(e -> {
            BootTimeline.Step s = timeline.getSelectionModel().getSelectedItem();
            if (e.getClickCount() == 2 && s != null && BootTimeline.isConsoleTitle(s.title())) {
                action.run();
            }
        });
    }

    MacAddress shown() {
        return shown;
    }

    void clear() {
        shown = null;
        noSteps.setText("Select a machine to see its boot step by step.");
        loaded.clear();
        title.setText("No machine selected");
        subtitle.setText("Select a machine to see how it booted, its script and its events.");
        timeline.getItems().clear();
        events.getItems().clear();
        script.clear();
    }

    /** Shows a machine with its journaled events (oldest first) and current script. */
    void show(MachineView v, List<BootEvent> journal, String scriptText) {
        shown = v.mac();
        noSteps.setText("No boot steps journaled for this machine yet.");
        loaded.clear();
        loaded.addAll(journal);
        header(v);
        script.setText(scriptText);
        rebuild();
    }

    void header(MachineView v) {
        title.setText(v.mac() + (v.name().isEmpty() ? "" : "  ·  " + v.name()));
        List<String> parts = new ArrayList<>();
        if (!v.vendor().isEmpty()) {
            parts.add(v.vendor());
        }
        parts.addAll(List.of(v.ip().isEmpty() ? "no address yet" : v.ip(), v.platform(), v.stageText(),
                v.image().isEmpty() ? "no image assigned" : "image " + v.imageText()));
        subtitle.setText(String.join("  ·  ", parts));
        MachineTable.tip(subtitle, v.vendorText());
    }

    void script(String text) {
        script.setText(text);
    }

    /** Live events of the shown machine. */
    void append(List<BootEvent> fresh) {
        if (fresh.isEmpty()) {
            return;
        }
        loaded.addAll(fresh);
        if (loaded.size() > EVENT_LIMIT) {
            loaded.subList(0, loaded.size() - EVENT_LIMIT).clear();
        }
        rebuild();
    }

    private void rebuild() {
        timeline.getItems().setAll(BootTimeline.latestBoot(loaded));
        List<String> lines = new ArrayList<>(loaded.size());
        for (BootEvent e : loaded) {
            lines.add(TIME.format(e.time()) + "  " + String.format(Locale.ROOT, "%-18s", e.type()) + " " + e.message());
        }
        events.getItems().setAll(lines);
        if (!lines.isEmpty()) {
            events.scrollTo(lines.size() - 1);
        }
    }

    private static final class StepCell extends ListCell<BootTimeline.Step> {
        private final FontIcon icon = new FontIcon();
        private final Label offset = new Label();
        private final Label name = new Label();
        private final Label why = new Label();
        private final HBox box = new HBox(8, icon, offset, name, why);

        StepCell() {
            offset.getStyleClass().add("timeline-offset");
            name.getStyleClass().add("timeline-title");
            why.getStyleClass().add("timeline-why");
            why.setWrapText(true);
            HBox.setHgrow(why, Priority.ALWAYS);
            why.setMaxWidth(Double.MAX_VALUE);
            box.setAlignment(Pos.TOP_LEFT);
            box.setPadding(new Insets(1, 0, 1, 0));
            setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(BootTimeline.Step s, boolean empty) {
            super.updateItem(s, empty);
            box.getStyleClass().remove("timeline-failed");
            if (empty || s == null) {
                setGraphic(null);
                return;
            }
            icon.setIconLiteral(switch (s.status()) {
                case OK -> "mdi2c-check-circle";
                case RUNNING -> "mdi2p-progress-clock";
                case FAILED -> "mdi2c-close-circle";
                case INFO -> Icons.INFO;
            });
            icon.getStyleClass().setAll("ikonli-font-icon", "timeline-" + s.status().name().toLowerCase(Locale.ROOT));
            if (s.status() == BootTimeline.Status.FAILED) {
                box.getStyleClass().add("timeline-failed");
            }
            offset.setText(s.offsetText());
            name.setText(s.title());
            why.setText(s.why());
            setGraphic(box);
        }
    }
}
