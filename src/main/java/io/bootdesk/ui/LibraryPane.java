package io.bootdesk.ui;

import io.bootdesk.ui.model.ImageDrop;
import io.bootdesk.ui.model.ImageView;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DataFormat;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The image library: images with their kind and size; drag one onto machines to assign it; drop files here (or
 * use Add) to make a new image.
 */
final class LibraryPane {
    static final DataFormat IMAGE_FORMAT = new DataFormat("application/x-bootdesk-image");

    private final ListView<ImageView> list = new ListView<>();
    private final VBox root;
    private Consumer<ImageDrop> onAdd = d -> { };
    private Consumer<ImageView> onEdit = i -> { };
    private Consumer<ImageView> onRename = i -> { };
    private Consumer<ImageView> onEditScript = i -> { };
    private Consumer<ImageView> onRemove = i -> { };
    private BooleanSupplier shiftDown = () -> false;
    /** Set while a drag started here is under way: "once" if Shift was held when it started. */
    boolean dragOnce;

    LibraryPane() {
        list.setId("imageList");
        list.getStyleClass().add("library-list");
        list.setCellFactory(l -> new ImageCell());
        Label title = new Label("IMAGES");
        title.getStyleClass().add("pane-title");
        Button add = new Button("Add…", Icons.icon(Icons.ADD));
        add.setId("addImage");
        add.setOnAction(e -> chooseFiles());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox head = new HBox(6, title, gap, add);
        head.setAlignment(Pos.CENTER_LEFT);
        Label hint = new Label("Drag an image onto machines to assign it (hold Shift: boot it once).\n"
                + "Drop a kernel + initrd, an .efi or an .ipxe file here to add one.");
        hint.setWrapText(true);
        hint.getStyleClass().add("library-drop-hint");
        hint.setMaxWidth(Double.MAX_VALUE);
        hint.setMinWidth(0);
        hint.setPrefWidth(0);
        hint.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label empty = new Label("No images yet.\nDrop boot files here or use Add…");
        empty.getStyleClass().add("empty-hint");
        empty.setWrapText(true);
        empty.setMaxWidth(170);
        list.setPlaceholder(empty);
        VBox.setVgrow(list, Priority.ALWAYS);
        root = new VBox(8, head, list, hint);
        root.getStyleClass().add("library-pane");
        root.setPadding(new Insets(8));
        root.setMinWidth(180);
        root.setOnDragOver(e -> {
            if (e.getGestureSource() == null && e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
                root.pseudoClassStateChanged(MachineTable.DROP_TARGET, true);
            }
            e.consume();
        });
        root.setOnDragExited(e -> root.pseudoClassStateChanged(MachineTable.DROP_TARGET, false));
        root.setOnDragDropped(e -> {
            Dragboard db = e.getDragboard();
            boolean ok = e.getGestureSource() == null && db.hasFiles();
            if (ok) {
                onAdd.accept(ImageDrop.of(db.getFiles().stream().map(File::toPath).toList()));
            }
            root.pseudoClassStateChanged(MachineTable.DROP_TARGET, false);
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    VBox node() {
        return root;
    }

    ListView<ImageView> list() {
        return list;
    }

    void setImages(List<ImageView> images) {
        ImageView sel = list.getSelectionModel().getSelectedItem();
        list.getItems().setAll(images);
        if (sel != null) {
            images.stream().filter(i -> i.name().equals(sel.name())).findFirst()
                    .ifPresent(i -> list.getSelectionModel().select(i));
        }
    }

    void onAdd(Consumer<ImageDrop> c) {
        onAdd = c;
    }

    void onEdit(Consumer<ImageView> c) {
        onEdit = c;
    }

    void onRename(Consumer<ImageView> c) {
        onRename = c;
    }

    void onEditScript(Consumer<ImageView> c) {
        onEditScript = c;
    }

    void onRemove(Consumer<ImageView> c) {
        onRemove = c;
    }

    void shiftDown(BooleanSupplier s) {
        shiftDown = s;
    }

    private void chooseFiles() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Add a boot image: a kernel with its initrds, an .efi program, or an .ipxe script");
        List<File> files = fc.showOpenMultipleDialog(root.getScene().getWindow());
        if (files != null && !files.isEmpty()) {
            onAdd.accept(ImageDrop.of(files.stream().map(File::toPath).map(Path::toAbsolutePath).toList()));
        }
    }

    private final class ImageCell extends ListCell<ImageView> {
        private final FontIcon icon = new FontIcon();
        private final Label name = new Label();
        private final Label meta = new Label();
        private final VBox text = new VBox(1, name, meta);
        private final HBox box = new HBox(10, icon, text);

        ImageCell() {
            name.getStyleClass().add("image-name");
            meta.getStyleClass().add("muted");
            icon.setIconSize(22);
            setPrefWidth(0); // never wider than the list: no sideways scrolling
            meta.setMinWidth(0);
            name.setMinWidth(0);
            box.setAlignment(Pos.CENTER_LEFT);
            setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
            setOnDragDetected(e -> {
                if (getItem() == null) {
                    return;
                }
                dragOnce = e.isShiftDown() || shiftDown.getAsBoolean();
                Dragboard db = startDragAndDrop(TransferMode.COPY_OR_MOVE);
                ClipboardContent c = new ClipboardContent();
                c.put(IMAGE_FORMAT, getItem().name());
                c.putString(getItem().name());
                db.setContent(c);
                db.setDragView(snapshot(null, null), e.getX(), e.getY());
                e.consume();
            });
            setOnDragDone(e -> dragOnce = false);
            javafx.scene.control.MenuItem rename = new javafx.scene.control.MenuItem("Rename…",
                    Icons.icon(Icons.RENAME));
            rename.setOnAction(e -> onRename.accept(getItem()));
            javafx.scene.control.MenuItem edit = new javafx.scene.control.MenuItem("Edit command line…",
                    Icons.icon(Icons.RENAME));
            edit.setOnAction(e -> onEdit.accept(getItem()));
            javafx.scene.control.MenuItem editScript = new javafx.scene.control.MenuItem("Edit script…",
                    Icons.icon(Icons.RENAME));
            editScript.setOnAction(e -> onEditScript.accept(getItem()));
            javafx.scene.control.MenuItem remove = new javafx.scene.control.MenuItem("Remove image",
                    Icons.icon("mdi2d-delete-outline"));
            remove.setOnAction(e -> onRemove.accept(getItem()));
            javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(rename, edit, editScript,
                    remove);
            itemProperty().addListener((o, a, b) -> {
                setContextMenu(b == null ? null : menu);
                edit.setDisable(b == null || b.image().kind() != io.bootdesk.model.ImageKind.LINUX);
                // only a script image has a script of its own to edit
                editScript.setVisible(b != null && b.image().kind() == io.bootdesk.model.ImageKind.SCRIPT);
            });
        }

        @Override
        protected void updateItem(ImageView i, boolean empty) {
            super.updateItem(i, empty);
            if (empty || i == null) {
                setGraphic(null);
                MachineTable.tip(this, null);
                return;
            }
            icon.setIconLiteral(i.icon());
            name.setText(i.name());
            meta.setText(i.sizeText() + " · " + i.kindText());
            setGraphic(box);
            MachineTable.tip(this, i.name() + "\n" + i.kindText() + ", " + i.sizeText()
                    + (i.detail().isEmpty() ? "" : "\n" + i.detail()));
        }
    }
}
