package io.bootdesk.ui;

import com.techsenger.jeditermfx.ui.JediTermFxWidget;
import com.techsenger.jeditermfx.ui.settings.DefaultSettingsProvider;
import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.ConsoleLogs;
import io.bootdesk.console.SerialSession;
import io.bootdesk.engine.Engine;
import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.model.ConsoleSession;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * One machine's serial console in the window: a JediTermFX terminal (xterm/VT100 emulation: colours, cursor
 * movement, firmware set-up screens) on the port the running engine attached, with Send break, Clear and Open log.
 * The engine owns the port and writes the log; this view listens and types. It shows the log's tail first, so what
 * the machine printed before the view opened is there, and re-attaches when the engine reopens the port.
 */
final class TerminalView {
    /** How much of the log is shown when the view opens. */
    static final int TAIL_BYTES = 16 * 1024;

    private final ConsoleSession session;
    private final MacAddress mac;
    private final SerialTty tty;
    private final JediTermFxWidget widget;
    private final Label port = new Label();
    private final Label state = new Label();
    private final Button breakButton = new Button("Send break");
    private final VBox root;
    private final Timeline poll;
    private SerialSession shown;
    private boolean closed;

    TerminalView(ConsoleSession session, MacAddress mac, java.util.function.Consumer<Path> openFile) {
        this.session = session;
        this.mac = mac;
        this.tty = new SerialTty("serial console of " + mac);
        this.widget = new JediTermFxWidget(100, 30, new DefaultSettingsProvider());
        port.getStyleClass().add("terminal-port");
        state.setId("terminalState");
        state.getStyleClass().add("muted");
        breakButton.setId("sendBreak");
        breakButton.setTooltip(new Tooltip("A serial break (250 ms): Linux's SysRq, some boot loaders' attention key"));
        breakButton.setOnAction(e -> {
            SerialSession s = tty.attached();
            if (s != null) {
                session.async(() -> {
                    s.sendBreak(250);
                    return null;
                });
            }
        });
        Button clear = new Button("Clear");
        clear.setOnAction(e -> widget.getTerminal().clearScreen());
        Button openLog = new Button("Open log");
        openLog.setTooltip(new Tooltip(log().toString()));
        openLog.setOnAction(e -> openFile.accept(log()));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(10, port, state, gap, breakButton, clear, openLog);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("terminal-bar");
        Node pane = widget.getPane();
        VBox.setVgrow(pane, Priority.ALWAYS);
        root = new VBox(bar, pane);
        root.setId("terminal-" + mac.toString().replace(':', '-'));
        root.getStyleClass().add("terminal-view");

        tty.show(tail(log()));
        widget.setTtyConnector(tty);
        widget.start();
        poll = new Timeline(new KeyFrame(Duration.seconds(1), e -> refresh()));
        poll.setCycleCount(Timeline.INDEFINITE);
        refresh();
        poll.play();
    }

    Node node() {
        return root;
    }

    MacAddress mac() {
        return mac;
    }

    /** The terminal widget (tests type into it and read its text buffer). */
    JediTermFxWidget widget() {
        return widget;
    }

    Path log() {
        return ConsoleLogs.file(session.dataDir(), mac);
    }

    /** What {@link #refresh} reads off the FX thread. */
    private record Seen(boolean serving, SerialSession session, ConsoleBinding binding, String error) {
    }

    /**
     * Follows the engine: attaches to its session for the machine, or says why there is none. Reads the binding (a
     * database read) and the engine's state off the FX thread, then updates the view on it.
     */
    void refresh() {
        session.async(() -> {
            Optional<Engine> engine = session.engine();
            SerialSession s = engine.flatMap(e -> e.consoles().session(mac)).filter(SerialSession::isOpen).orElse(null);
            return new Seen(engine.isPresent(), s, session.consoleBinding(mac).orElse(null),
                    engine.flatMap(e -> e.consoles().error(mac)).orElse(null));
        }).whenComplete((seen, err) -> javafx.application.Platform.runLater(() -> {
            if (seen != null && !closed) {
                apply(seen);
            }
        }));
    }

    private void apply(Seen seen) {
        SerialSession s = seen.session();
        ConsoleBinding b = seen.binding();
        port.setText(b == null ? "no console bound"
                : b instanceof ConsoleBinding.Serial ser ? ser.portPath() + "  " + ser.settings() : b.describe());
        if (s != shown) {
            tty.attach(s);
            if (s == null && shown != null) {
                tty.show("\r\n\u001b[33m[BootDesk: the port was closed]\u001b[0m\r\n");
            }
            shown = s;
        }
        breakButton.setDisable(s == null);
        if (s != null) {
            state.setText("attached");
        } else if (!seen.serving()) {
            state.setText("not attached: BootDesk is not serving (Start opens the bound serial ports)");
        } else if (!(b instanceof ConsoleBinding.Serial)) {
            state.setText("not attached: no serial console is bound");
        } else {
            state.setText("not attached: " + (seen.error() == null ? "opening the port…" : seen.error()));
        }
    }

    /** The log's last {@link #TAIL_BYTES}, from the first whole line, with CR LF line ends for the terminal. */
    static String tail(Path log) {
        if (!Files.isRegularFile(log)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] b = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(b);
            String text = new String(b, StandardCharsets.UTF_8);
            if (start > 0 && text.indexOf('\n') >= 0) {
                text = text.substring(text.indexOf('\n') + 1);
            }
            return text.replace("\r\n", "\n").replace("\n", "\r\n");
        } catch (IOException e) {
            return "[BootDesk: cannot read " + log + ": " + e.getMessage() + "]\r\n";
        }
    }

    void close() {
        closed = true;
        poll.stop();
        tty.close();
        widget.close();
    }
}
