package io.bootdesk.ui;

import atlantafx.base.controls.Notification;
import atlantafx.base.theme.Styles;
import java.util.ArrayList;
import java.util.List;
import javafx.animation.PauseTransition;
import javafx.geometry.Pos;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * Pop-up notices in the window's bottom-right corner: a machine booted or failed, an action done. Notices of one kind
 * that arrive while one is showing are merged into it ("3 machines booted: ..."), so a busy network does not bury
 * the window.
 */
final class Notifier {
    static final int MAX_SHOWN = 3;
    static final Duration SHOW_FOR = Duration.seconds(6);

    private final VBox layer = new VBox();

    private final class Notice {
        final String kind;
        final List<String> subjects = new ArrayList<>();
        final Notification node;
        final PauseTransition timer = new PauseTransition(SHOW_FOR);

        Notice(String kind, String style, String icon) {
            this.kind = kind;
            node = new Notification("", Icons.icon(icon));
            node.getStyleClass().addAll(Styles.ELEVATED_2, style);
            node.setPrefWidth(380);
            node.setMaxWidth(380);
            node.setOnClose(e -> close());
            timer.setOnFinished(e -> close());
        }

        void close() {
            timer.stop();
            layer.getChildren().remove(node);
            shown.remove(this);
        }
    }

    private final List<Notice> shown = new ArrayList<>();

    Notifier() {
        layer.getStyleClass().add("notifications");
        layer.setAlignment(Pos.BOTTOM_RIGHT); // not over the toolbar: Undo and Stop stay clickable
        layer.setPickOnBounds(false);
        layer.setId("notifications");
    }

    VBox node() {
        return layer;
    }

    void booted(String machine, String what) {
        merge("booted", Styles.SUCCESS, "mdi2c-check-circle", machine, n -> n == 1
                ? machine + " booted " + what + "."
                : n + " machines booted: " + subjects("booted"));
    }

    void failed(String machine, String why) {
        merge("failed", Styles.DANGER, "mdi2c-close-circle", machine, n -> n == 1
                ? machine + " failed: " + why
                : n + " machines failed: " + subjects("failed") + ". See each one's events.");
    }

    void info(String message) {
        Notice n = new Notice("info", Styles.ACCENT, Icons.INFO);
        n.node.setMessage(message);
        add(n);
    }

    void warning(String message) {
        Notice n = new Notice("warning", Styles.WARNING, Icons.WARNING);
        n.node.setMessage(message);
        add(n);
    }

    List<String> messages() {
        return shown.stream().map(n -> n.node.getMessage()).toList();
    }

    private String subjects(String kind) {
        for (Notice n : shown) {
            if (n.kind.equals(kind)) {
                List<String> s = n.subjects;
                return s.size() <= 4 ? String.join(", ", s) : String.join(", ", s.subList(0, 4)) + " and " + (s.size() - 4) + " more";
            }
        }
        return "";
    }

    private void merge(String kind, String style, String icon, String subject,
                       java.util.function.IntFunction<String> text) {
        Notice n = shown.stream().filter(x -> x.kind.equals(kind)).findFirst().orElse(null);
        if (n == null) {
            n = new Notice(kind, style, icon);
            add(n);
        }
        if (!n.subjects.contains(subject)) {
            n.subjects.add(subject);
        }
        n.node.setMessage(text.apply(n.subjects.size()));
        n.timer.playFromStart();
    }

    private void add(Notice n) {
        while (shown.size() >= MAX_SHOWN) {
            shown.get(0).close();
        }
        shown.add(n);
        layer.getChildren().add(n.node);
        n.timer.playFromStart();
    }
}
