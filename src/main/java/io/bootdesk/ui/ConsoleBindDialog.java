package io.bootdesk.ui;

import com.fazecast.jSerialComm.SerialPort;
import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.client.PinnedTls;
import io.bootdesk.model.MacAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * "Console…" on a machine: binds its serial port, JetKVM, PiKVM/Comet or Redfish BMC, with the same checks as
 * {@code bootdesk console bind} (the binding records validate themselves). Serial ports are typed (ptys and
 * symlinks are never listed by the serial library) or picked from the adapters it does list. A password field left
 * empty keeps the stored password when the kind stays the same.
 */
final class ConsoleBindDialog {
    static final ButtonType BIND = new ButtonType("Bind", ButtonBar.ButtonData.OK_DONE);

    /** What the dialog made; {@code password} null: keep (or set none). */
    record Result(ConsoleBinding binding, String password) {
    }

    private final Dialog<Result> dialog = new Dialog<>();
    final ComboBox<String> kind = new ComboBox<>();
    final ComboBox<String> port = new ComboBox<>();
    final ComboBox<String> baud = new ComboBox<>();
    final ComboBox<String> format = new ComboBox<>();
    final ComboBox<String> flow = new ComboBox<>();
    final TextField address = new TextField();
    final TextField user = new TextField();
    final PasswordField password = new PasswordField();
    final TextField systemId = new TextField();
    final TextField bootKey = new TextField();
    final TextField fingerprint = new TextField();
    private final Label problem = new Label();
    private final GridPane grid = new GridPane();

    /**
     * @param save binds; its future fails with the reason (shown in the dialog) when the binding is refused
     */
    ConsoleBindDialog(MacAddress mac, String who, ConsoleBinding current, Window owner,
                      java.util.function.Function<Result, CompletableFuture<?>> save) {
        dialog.setTitle("Console of " + who);
        dialog.setHeaderText("How BootDesk reaches the console of " + who + " (" + mac + ")");
        if (owner != null) {
            dialog.initOwner(owner);
        }
        kind.getItems().setAll("Serial port", "JetKVM", "PiKVM / GL.iNet Comet", "Redfish BMC");
        kind.setId("consoleKind");
        port.setEditable(true);
        port.setId("consolePort");
        port.setPromptText("/dev/ttyUSB0");
        port.getItems().setAll(ports());
        baud.setEditable(true);
        baud.getItems().setAll("115200", "57600", "38400", "19200", "9600");
        baud.setValue("115200");
        format.getItems().setAll("8N1", "7E1", "7O1", "8E1", "8O1", "8N2");
        format.setValue("8N1");
        flow.getItems().setAll("none", "rtscts", "xonxoff");
        flow.setValue("none");
        address.setId("consoleAddress");
        address.setPromptText("10.0.0.9, kvm.lab:8443 or https://10.0.0.9");
        password.setId("consolePassword");
        bootKey.setPromptText(ConsoleBinding.DEFAULT_BOOT_KEY + " (F11, Esc, Ctrl+B, ...)");
        systemId.setPromptText("the only one");
        fingerprint.setPromptText("SHA-256 of a self-signed certificate (optional)");
        grid.setHgap(10);
        grid.setVgap(8);
        problem.setId("consoleProblem");
        problem.getStyleClass().add("medium-problem");
        problem.setWrapText(true);
        problem.setManaged(false);
        problem.setVisible(false);
        VBox content = new VBox(10, grid, problem);
        content.setPadding(new Insets(4, 0, 0, 0));
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getButtonTypes().addAll(BIND, ButtonType.CANCEL);
        dialog.getDialogPane().getStylesheets().add(ConsoleWindow.CSS);
        dialog.setResultConverter(b -> null);
        kind.valueProperty().addListener((o, a, b) -> layout());
        fill(current);
        Button bind = (Button) dialog.getDialogPane().lookupButton(BIND);
        bind.setId("consoleBind");
        bind.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            Result r;
            try {
                r = result();
            } catch (IllegalArgumentException ex) {
                problem(ex.getMessage());
                return;
            }
            bind.setDisable(true);
            save.apply(r).whenComplete((x, err) -> Platform.runLater(() -> {
                bind.setDisable(false);
                if (err != null) {
                    problem(ConsoleWindow.rootMessage(err));
                    return;
                }
                dialog.setResult(r);
                dialog.close();
            }));
        });
    }

    /** The serial ports the library lists (USB adapters, onboard UARTs), by path. */
    private static List<String> ports() {
        Set<String> out = new LinkedHashSet<>();
        try {
            for (SerialPort p : SerialPort.getCommPorts()) {
                out.add(p.getSystemPortPath());
            }
        } catch (RuntimeException | LinkageError e) {
            // no native library here: the field still takes a typed path
        }
        return List.copyOf(out);
    }

    private void fill(ConsoleBinding b) {
        switch (b) {
            case null -> kind.setValue("Serial port");
            case ConsoleBinding.Serial s -> {
                kind.setValue("Serial port");
                port.setValue(s.portPath());
                baud.setValue(Integer.toString(s.baud()));
                String f = s.settings().split(" ")[1];
                format.setValue(f);
                flow.setValue(s.flowControl().name().toLowerCase(Locale.ROOT));
            }
            case ConsoleBinding.JetKvm j -> {
                kind.setValue("JetKVM");
                address.setText(j.address());
                bootKey.setText(j.bootKey());
                fingerprint.setText(j.tlsSha256() == null ? "" : j.tlsSha256());
            }
            case ConsoleBinding.PiKvm p -> {
                kind.setValue("PiKVM / GL.iNet Comet");
                address.setText(p.address());
                user.setText(p.user() == null ? "" : p.user());
                bootKey.setText(p.bootKey());
                fingerprint.setText(p.tlsSha256() == null ? "" : p.tlsSha256());
            }
            case ConsoleBinding.Redfish r -> {
                kind.setValue("Redfish BMC");
                address.setText(r.address());
                user.setText(r.user() == null ? "" : r.user());
                systemId.setText(r.systemId() == null ? "" : r.systemId());
                fingerprint.setText(r.tlsSha256() == null ? "" : r.tlsSha256());
            }
        }
        layout();
    }

    private void layout() {
        grid.getChildren().clear();
        int row = 0;
        row = add(row, "Kind", kind);
        switch (kind.getValue()) {
            case "Serial port" -> {
                row = add(row, "Port", port);
                row = add(row, "Baud", baud);
                row = add(row, "Format", format);
                add(row, "Flow control", flow);
            }
            case "JetKVM" -> {
                row = add(row, "Address", address);
                row = add(row, "Password", password);
                row = add(row, "Boot key", bootKey);
                add(row, "Certificate", fingerprint);
            }
            case "PiKVM / GL.iNet Comet" -> {
                row = add(row, "Address", address);
                row = add(row, "User", user);
                row = add(row, "Password", password);
                row = add(row, "Boot key", bootKey);
                add(row, "Certificate", fingerprint);
            }
            default -> {
                row = add(row, "Address", address);
                row = add(row, "User", user);
                row = add(row, "Password", password);
                row = add(row, "System id", systemId);
                add(row, "Certificate", fingerprint);
            }
        }
        dialog.getDialogPane().getScene();
        if (dialog.getDialogPane().getScene() != null && dialog.getDialogPane().getScene().getWindow() != null) {
            dialog.getDialogPane().getScene().getWindow().sizeToScene();
        }
    }

    private int add(int row, String label, Node field) {
        grid.add(new Label(label), 0, row);
        grid.add(field, 1, row);
        if (field instanceof javafx.scene.control.Control c) {
            c.setPrefWidth(320);
        }
        return row + 1;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** The binding the fields describe; IllegalArgumentException with the reason when they do not make one. */
    Result result() {
        String pw = password.getText().isEmpty() ? null : password.getText();
        String pin = blank(fingerprint.getText()) == null ? null : PinnedTls.normalize(fingerprint.getText());
        ConsoleBinding b = switch (kind.getValue()) {
            case "Serial port" -> {
                String path = blank(port.getEditor().getText() != null && !port.getEditor().getText().isBlank()
                        ? port.getEditor().getText() : port.getValue());
                if (path == null) {
                    throw new IllegalArgumentException("Type the port's path, e.g. /dev/ttyUSB0 (a pty's /dev/pts/N works too).");
                }
                int speed;
                try {
                    speed = Integer.parseInt(baud.getEditor().getText() != null && !baud.getEditor().getText().isBlank()
                            ? baud.getEditor().getText().strip() : baud.getValue());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("The baud rate is a number, e.g. 115200.");
                }
                String f = format.getValue();
                ConsoleBinding.Parity parity = switch (f.charAt(1)) {
                    case 'E' -> ConsoleBinding.Parity.EVEN;
                    case 'O' -> ConsoleBinding.Parity.ODD;
                    default -> ConsoleBinding.Parity.NONE;
                };
                pw = null;
                yield new ConsoleBinding.Serial(path, speed, f.charAt(0) - '0', parity,
                        ConsoleBinding.StopBits.parse(f.substring(2)),
                        ConsoleBinding.parseEnum(ConsoleBinding.FlowControl.class, flow.getValue(), "flow control"));
            }
            case "JetKVM" -> new ConsoleBinding.JetKvm(blank(address.getText()), pin, blank(bootKey.getText()));
            case "PiKVM / GL.iNet Comet" -> new ConsoleBinding.PiKvm(blank(address.getText()), blank(user.getText()), pin,
                    blank(bootKey.getText()));
            default -> new ConsoleBinding.Redfish(blank(address.getText()), blank(user.getText()),
                    blank(systemId.getText()), pin);
        };
        return new Result(b, pw);
    }

    private void problem(String text) {
        problem.setText(text);
        problem.setManaged(true);
        problem.setVisible(true);
    }

    void show() {
        dialog.show();
    }

    Dialog<Result> dialog() {
        return dialog;
    }
}
