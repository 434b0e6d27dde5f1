package io.bootdesk.ui;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * "Edit script…": a script image's iPXE script in a monospace text area. Save hands the text to {@code save} (the
 * engine's own check and store, run off the FX thread by the window); the dialog closes when that succeeds and
 * otherwise stays open with the reason in one sentence under the text.
 */
final class ScriptDialog {
    static final ButtonType SAVE = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);

    private final Dialog<String> dialog = new Dialog<>();
    private final TextArea text = new TextArea();
    private final Label problem = new Label();

    /**
     * @param save stores the text; its future fails with the reason when the engine refuses it
     */
    ScriptDialog(String image, String script, Window owner, Function<String, CompletableFuture<?>> save) {
        dialog.setTitle("Edit script");
        dialog.setHeaderText("iPXE script of " + image + " ({{ server }}, {{ mac }}, {{ image }} are filled in)");
        if (owner != null) {
            dialog.initOwner(owner);
        }
        dialog.setResizable(true);
        text.setId("scriptEditor");
        text.getStyleClass().add("mono");
        text.setStyle("-fx-font-family: \"monospace\";");
        text.setText(script == null ? "" : script);
        text.setPrefColumnCount(72);
        text.setPrefRowCount(20);
        VBox.setVgrow(text, Priority.ALWAYS);
        problem.setId("scriptProblem");
        problem.getStyleClass().add("medium-problem");
        problem.setWrapText(true);
        problem.setManaged(false);
        problem.setVisible(false);
        VBox content = new VBox(8, text, problem);
        content.setPadding(new Insets(4, 0, 0, 0));
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getButtonTypes().addAll(SAVE, ButtonType.CANCEL);
        dialog.getDialogPane().getStylesheets().add(ConsoleWindow.CSS);
        dialog.setResultConverter(b -> null); // Save closes the dialog itself once the engine took the text
        Button saveButton = (Button) dialog.getDialogPane().lookupButton(SAVE);
        saveButton.setId("scriptSave");
        saveButton.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            String t = text.getText();
            saveButton.setDisable(true);
            save.apply(t).whenComplete((r, err) -> Platform.runLater(() -> {
                saveButton.setDisable(false);
                if (err != null) {
                    problem.setText(ConsoleWindow.rootMessage(err));
                    problem.setManaged(true);
                    problem.setVisible(true);
                    return;
                }
                dialog.setResult(t);
                dialog.close();
            }));
        });
    }

    /** Shows the dialog without waiting for it. */
    void show() {
        dialog.show();
        text.requestFocus();
    }

    Dialog<String> dialog() {
        return dialog;
    }
}
