package io.bootdesk.ui;

import io.bootdesk.engine.BootMedium;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * "Create boot medium": the options of {@code bootdesk media create} that matter in the window (the image file,
 * BootDesk's address, the mutual-TLS port, the EFI iPXE), filled in from the running engine. It only collects them;
 * the window writes the medium through the session off the FX thread. The file fields are text fields with a
 * chooser beside them, so a path can also be typed (or set by a test: a FileChooser cannot be driven headless).
 */
final class BootMediumDialog {
    static final ButtonType CREATE = new ButtonType("Create", ButtonBar.ButtonData.OK_DONE);

    private final Dialog<BootMedium> dialog = new Dialog<>();
    private final BootMedium start;
    private final TextField out = new TextField();
    private final TextField server = new TextField();
    private final TextField port = new TextField();
    private final TextField efi = new TextField();
    private final Label problem = new Label();

    /**
     * @param start what the session suggests for this machine (its {@code out} is the suggested file)
     * @param who   the machine as the table names it
     */
    BootMediumDialog(BootMedium start, String who, Window owner) {
        this.start = start;
        dialog.setTitle("Create boot medium");
        dialog.setHeaderText("Boot medium for " + who);
        dialog.setGraphic(Icons.icon(Icons.MEDIUM));
        if (owner != null) {
            dialog.initOwner(owner);
        }
        dialog.setResizable(true);

        out.setId("mediumOut");
        out.setText(start.out().toString());
        out.setPrefColumnCount(34);
        server.setId("mediumServer");
        server.setText(start.server() == null ? "" : start.server());
        server.setPromptText("${next-server} from the DHCP answer (full mode)");
        port.setId("mediumPort");
        port.setText(Integer.toString(start.mtlsPort()));
        port.setPrefColumnCount(6);
        efi.setId("mediumEfi");
        efi.setPromptText("ipxe-amd64.efi or ipxe.efi in " + start.ipxeDir());
        try {
            efi.setText(start.efi().toString());
        } catch (IllegalArgumentException none) {
            efi.setText("");
        }
        problem.setId("mediumProblem");
        problem.getStyleClass().add("medium-problem");
        problem.setWrapText(true);
        problem.setManaged(false);
        problem.setVisible(false);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        grid.getColumnConstraints().addAll(labels, grow());
        grid.addRow(0, new Label("Image file"), withChooser(out, "Save the boot medium as", true));
        grid.addRow(1, new Label("BootDesk address"), server);
        grid.addRow(2, new Label("Mutual-TLS port"), port);
        grid.addRow(3, new Label("EFI iPXE"), withChooser(efi, "The x86_64 EFI iPXE (HTTPS-capable)", false));
        Label note = new Label("A FAT image with stock iPXE as EFI/BOOT/BOOTX64.EFI and an autoexec.ipxe that presents"
                + " this machine's client certificate (issued now if it has none) and chains its script over mutual TLS."
                + " It holds the machine's private key: keep it like one. Write it to a USB stick with"
                + " dd if=FILE of=/dev/sdX bs=1M. The firmware must trust BootDesk's CA (bootdesk ca export --format esl).");
        note.setWrapText(true);
        note.getStyleClass().add("muted");
        note.setMaxWidth(640);
        VBox content = new VBox(12, grid, note, problem);
        content.setPrefWidth(640);
        content.setPadding(new Insets(4, 0, 0, 0));
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getButtonTypes().addAll(CREATE, ButtonType.CANCEL);
        dialog.getDialogPane().getStylesheets().add(ConsoleWindow.CSS);
        Button create = (Button) dialog.getDialogPane().lookupButton(CREATE);
        create.setId("mediumCreate");
        create.addEventFilter(ActionEvent.ACTION, e -> {
            String why = check();
            if (why != null) {
                problem.setText(why);
                problem.setManaged(true);
                problem.setVisible(true);
                e.consume();
            }
        });
        dialog.setResultConverter(b -> b == CREATE ? medium() : null);
    }

    private static ColumnConstraints grow() {
        ColumnConstraints c = new ColumnConstraints();
        c.setHgrow(Priority.ALWAYS);
        return c;
    }

    private Node withChooser(TextField field, String title, boolean save) {
        Button choose = new Button("Choose…", Icons.icon(Icons.FOLDER));
        choose.setMinWidth(Region.USE_PREF_SIZE);
        choose.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle(title);
            Path now = field.getText().isBlank() ? null : Path.of(field.getText().strip());
            Path dir = now == null ? null : now.toAbsolutePath().getParent();
            if (dir != null && Files.isDirectory(dir)) {
                fc.setInitialDirectory(dir.toFile());
            }
            if (now != null) {
                fc.setInitialFileName(now.getFileName().toString());
            }
            File f = save ? fc.showSaveDialog(dialog.getDialogPane().getScene().getWindow())
                    : fc.showOpenDialog(dialog.getDialogPane().getScene().getWindow());
            if (f != null) {
                field.setText(f.getAbsolutePath());
            }
        });
        HBox.setHgrow(field, Priority.ALWAYS);
        return new HBox(6, field, choose);
    }

    /** What is wrong with the fields, or null. */
    String check() {
        if (out.getText().isBlank()) {
            return "Choose the image file to write.";
        }
        Path o = Path.of(out.getText().strip()).toAbsolutePath();
        if (o.getParent() == null || !Files.isDirectory(o.getParent())) {
            return "The folder " + o.getParent() + " does not exist.";
        }
        if (Files.isDirectory(o)) {
            return o + " is a folder; give a file name.";
        }
        try {
            int p = Integer.parseInt(port.getText().strip());
            if (p < 1 || p > 65535) {
                return "The mutual-TLS port is 1 to 65535.";
            }
        } catch (NumberFormatException e) {
            return "The mutual-TLS port is a number (serve's --mtls-port, 8443 by default).";
        }
        if (!efi.getText().isBlank() && !Files.isRegularFile(Path.of(efi.getText().strip()))) {
            return "No file " + efi.getText().strip() + " (the EFI iPXE; Debian 13: apt-get install ipxe).";
        }
        if (efi.getText().isBlank()) {
            return "Choose the EFI iPXE: there is no ipxe-amd64.efi or ipxe.efi in " + start.ipxeDir() + ".";
        }
        return null;
    }

    private BootMedium medium() {
        return new BootMedium(start.mac(), Path.of(out.getText().strip()), server.getText(),
                Integer.parseInt(port.getText().strip()), start.ipxeDir(), Path.of(efi.getText().strip()));
    }

    /** Shows the dialog without blocking; {@code onCreate} gets the medium when the operator presses Create. */
    void show(Consumer<BootMedium> onCreate) {
        dialog.setOnHidden(e -> {
            BootMedium m = dialog.getResult();
            if (m != null) {
                onCreate.accept(m);
            }
        });
        dialog.show();
    }

    Dialog<BootMedium> dialog() {
        return dialog;
    }
}
