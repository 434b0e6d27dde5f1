package io.bootdesk.ui;

import io.bootdesk.model.BootStage;
import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.model.CertificateView;
import io.bootdesk.ui.model.MachineFilter;
import io.bootdesk.ui.model.MachineView;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.util.StringConverter;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The live machine table: one {@link MachineRow} per machine, filtered and sorted by views over one list, with
 * image drops onto a row or onto the selection.
 */
final class MachineTable {
    static final PseudoClass DROP_TARGET = PseudoClass.getPseudoClass("drop-target");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT);

    /** What to do when an image is dropped: on these machines, once or for good. */
    interface DropHandler {
        void assign(List<MacAddress> macs, String image, boolean once);
    }

    interface RenameHandler {
        void rename(MacAddress mac, String name);
    }

    /*
     * No extractor: a row's new view reaches its visible cells through the row's property, and the list hears
     * nothing, so a live update costs a few cells, not a re-sort of the whole table (SortedList sorts everything
     * again on every "updated" change). Sorting by a column whose values change is redone at most once a second
     * ({@link #maintain}); filters apply to new rows at once and to changed rows when the filter text changes.
     */
    private final ObservableList<MachineRow> rows = FXCollections.observableArrayList();
    private boolean dirty;
    private final Map<MacAddress, MachineRow> byMac = new HashMap<>();
    private final FilteredList<MachineRow> filtered = new FilteredList<>(rows);
    private final SortedList<MachineRow> sorted = new SortedList<>(filtered);
    private final TableView<MachineRow> table = new TableView<>(sorted);
    private DropHandler dropHandler = (m, i, o) -> { };
    private RenameHandler renameHandler = (m, n) -> { };
    private java.util.function.BooleanSupplier onceModifier = () -> false;

    MachineTable() {
        table.setId("machineTable");
        table.getStyleClass().addAll(atlantafx.base.theme.Styles.DENSE, "machine-table");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setEditable(true);
        table.setTableMenuButtonVisible(true);
        table.setSortPolicy(t -> {
            Comparator<MachineRow> c = t.getComparator();
            // a fresh comparator object makes the SortedList sort again (a permutation: selection is kept)
            sorted.setComparator(c == null ? null : (a, b) -> c.compare(a, b));
            return true;
        });
        // unconstrained: a MAC or an address is never cut short to make room; the table scrolls sideways instead
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);

        TableColumn<MachineRow, MachineView> mac = viewColumn("MAC", 142, Comparator.comparing(MachineView::mac));
        mac.setMinWidth(136);
        mac.setId("colMac");
        mac.setCellFactory(c -> new MacCell());
        TableColumn<MachineRow, String> name = new TableColumn<>("Name");
        name.setId("colName");
        name.setPrefWidth(90);
        name.setCellValueFactory(cd -> map(cd.getValue(), MachineView::name));
        name.setCellFactory(TextFieldTableCell.forTableColumn(new StringConverter<>() {
            @Override
            public String toString(String s) {
                return s;
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        }));
        name.setOnEditCommit(ev -> renameHandler.rename(ev.getRowValue().mac(), ev.getNewValue()));
        name.setEditable(true);
        TableColumn<MachineRow, String> ip = text("IP", MachineView::ip, 100);
        ip.setMinWidth(92);
        ip.setId("colIp");
        ip.setComparator(MachineTable::compareIp);
        TableColumn<MachineRow, String> vendor = text("Vendor class", MachineView::vendorClass, 74);
        vendor.setId("colVendor");
        vendor.setCellFactory(c -> tooltipCell());
        TableColumn<MachineRow, String> platform = text("Firmware", MachineView::platform, 194);
        platform.setMinWidth(110);
        platform.setId("colPlatform");
        platform.setCellFactory(c -> tooltipCell());
        name.setMinWidth(60);
        TableColumn<MachineRow, MachineView> cert = viewColumn("", 44,
                Comparator.comparing(v -> v.certificate().state()));
        FontIcon certHeader = Icons.icon("mdi2c-certificate-outline");
        Label certTitle = new Label(null, certHeader);
        certTitle.setTooltip(new Tooltip("Client certificate: none, issued, verified, expiring or revoked"));
        cert.setGraphic(certTitle);
        cert.setText("");
        cert.setMinWidth(40);
        cert.setId("colCert");
        cert.setCellFactory(c -> new CertificateCell());
        TableColumn<MachineRow, MachineView> stage = viewColumn("Stage", 112, Comparator.comparing(MachineView::stage));
        stage.setMinWidth(105);
        stage.setId("colStage");
        stage.setCellFactory(c -> new StageCell());
        TableColumn<MachineRow, MachineView> progress = viewColumn("Progress", 162,
                Comparator.comparingDouble(MachineView::progress));
        progress.setId("colProgress");
        progress.setCellFactory(c -> new ProgressCell());
        TableColumn<MachineRow, MachineView> image = viewColumn("Image", 96, Comparator.comparing(MachineView::imageText));
        image.setId("colImage");
        image.setCellFactory(c -> new ImageCell());
        TableColumn<MachineRow, Instant> seen = new TableColumn<>("Seen");
        seen.setId("colSeen");
        seen.setPrefWidth(66);
        seen.setMinWidth(62);
        seen.setCellValueFactory(cd -> map(cd.getValue(), MachineView::lastSeen));
        seen.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Instant t, boolean empty) {
                super.updateItem(t, empty);
                setText(empty || t == null ? null : time(t));
            }
        });
        table.getColumns().setAll(List.of(mac, name, ip, vendor, platform, cert, stage, progress, image, seen));
        table.getSortOrder().add(mac);

        table.setRowFactory(t -> new DropRow());
        Label empty = new Label("No machines yet.\nThey appear here as they network-boot on the chosen interface.");
        empty.getStyleClass().add("empty-hint");
        table.setPlaceholder(empty);
    }

    TableView<MachineRow> control() {
        return table;
    }

    void onDrop(DropHandler h) {
        this.dropHandler = h;
    }

    void onRename(RenameHandler h) {
        this.renameHandler = h;
    }

    /** Whether a drop now means "once" (Shift held). */
    void onceModifier(java.util.function.BooleanSupplier s) {
        this.onceModifier = s;
    }

    /** Replaces every row. */
    void setAll(List<MachineView> views) {
        byMac.clear();
        List<MachineRow> rs = views.stream().map(MachineRow::new).toList();
        rs.forEach(r -> byMac.put(r.mac(), r));
        rows.setAll(rs);
    }

    /** Takes out the rows of forgotten machines. */
    void remove(java.util.Collection<MacAddress> macs) {
        List<MachineRow> gone = new java.util.ArrayList<>();
        for (MacAddress mac : macs) {
            MachineRow r = byMac.remove(mac);
            if (r != null) {
                gone.add(r);
            }
        }
        if (!gone.isEmpty()) {
            rows.removeAll(gone);
        }
    }

    /** Updates rows in place and appends new machines. */
    void update(List<MachineView> views) {
        List<MachineRow> added = new java.util.ArrayList<>();
        for (MachineView v : views) {
            MachineRow r = byMac.get(v.mac());
            if (r == null) {
                r = new MachineRow(v);
                byMac.put(v.mac(), r);
                added.add(r);
            } else {
                r.set(v);
                dirty = true;
            }
        }
        if (!added.isEmpty()) {
            rows.addAll(added);
        }
    }

    /** Once a second: re-sort if rows changed and the table is sorted by something that changes (not the MAC). */
    void maintain() {
        if (!dirty) {
            return;
        }
        dirty = false;
        boolean byMacOnly = table.getSortOrder().stream().allMatch(c -> "colMac".equals(c.getId()));
        if (!byMacOnly) {
            table.sort();
        }
    }

    void filter(String text) {
        MachineFilter f = new MachineFilter(text);
        filtered.setPredicate(f.matchesAll() ? null : r -> f.test(r.view()));
    }

    int shown() {
        return filtered.size();
    }

    int total() {
        return rows.size();
    }

    List<MachineRow> selected() {
        return List.copyOf(table.getSelectionModel().getSelectedItems());
    }

    MachineRow row(MacAddress mac) {
        return byMac.get(mac);
    }

    // ------------------------------------------------------------------ drops

    /** The machines a drop on {@code row} assigns: the whole selection when the row is part of it, else the row. */
    List<MacAddress> targetsOf(MachineRow row) {
        List<MachineRow> sel = selected();
        if (sel.size() > 1 && sel.contains(row)) {
            return sel.stream().map(MachineRow::mac).toList();
        }
        return List.of(row.mac());
    }

    private final class DropRow extends TableRow<MachineRow> {
        DropRow() {
            setOnDragOver(this::dragOver);
            setOnDragEntered(e -> {
                if (accepts(e)) {
                    for (MachineRow r : highlightSet()) {
                        mark(r, true);
                    }
                }
            });
            setOnDragExited(e -> clearMarks());
            setOnDragDropped(this::dropped);
        }

        private boolean accepts(DragEvent e) {
            return !isEmpty() && getItem() != null && e.getDragboard().hasContent(LibraryPane.IMAGE_FORMAT);
        }

        private void dragOver(DragEvent e) {
            if (accepts(e)) {
                e.acceptTransferModes(TransferMode.COPY_OR_MOVE);
            }
            e.consume();
        }

        private List<MachineRow> highlightSet() {
            return targetsOf(getItem()).stream().map(byMac::get).toList();
        }

        private void dropped(DragEvent e) {
            boolean done = false;
            if (accepts(e)) {
                String image = (String) e.getDragboard().getContent(LibraryPane.IMAGE_FORMAT);
                dropHandler.assign(targetsOf(getItem()), image, onceModifier.getAsBoolean());
                done = true;
            }
            clearMarks();
            e.setDropCompleted(done);
            e.consume();
        }

        @Override
        protected void updateItem(MachineRow item, boolean empty) {
            super.updateItem(item, empty);
            pseudoClassStateChanged(DROP_TARGET, item != null && marked.contains(item.mac()));
        }
    }

    private final java.util.Set<MacAddress> marked = new java.util.HashSet<>();

    private void mark(MachineRow r, boolean on) {
        if (on) {
            marked.add(r.mac());
        }
        table.lookupAll(".table-row-cell").forEach(n -> {
            if (n instanceof TableRow<?> tr && tr.getItem() instanceof MachineRow mr) {
                tr.pseudoClassStateChanged(DROP_TARGET, marked.contains(mr.mac()));
            }
        });
    }

    private void clearMarks() {
        marked.clear();
        table.lookupAll(".table-row-cell").forEach(n -> n.pseudoClassStateChanged(DROP_TARGET, false));
    }

    // ------------------------------------------------------------------ columns and cells

    private static <T> ObservableValue<T> map(MachineRow r, Function<MachineView, T> f) {
        return r.viewProperty().map(f);
    }

    private static TableColumn<MachineRow, String> text(String title, Function<MachineView, String> f, double width) {
        TableColumn<MachineRow, String> c = new TableColumn<>(title);
        c.setComparator(Comparator.nullsFirst(String.CASE_INSENSITIVE_ORDER)); // not the default Collator: 10x faster
        c.setPrefWidth(width);
        c.setEditable(false);
        c.setCellValueFactory(cd -> map(cd.getValue(), f));
        return c;
    }

    private static TableColumn<MachineRow, MachineView> viewColumn(String title, double width, Comparator<MachineView> cmp) {
        TableColumn<MachineRow, MachineView> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setEditable(false);
        c.setCellValueFactory(cd -> cd.getValue().viewProperty());
        c.setComparator(cmp);
        return c;
    }

    /** The MAC in a fixed-width font; the network card's vendor (from the OUI) in the tooltip. */
    private static final class MacCell extends TableCell<MachineRow, MachineView> {
        MacCell() {
            getStyleClass().add("mono");
        }

        @Override
        protected void updateItem(MachineView v, boolean empty) {
            super.updateItem(v, empty);
            setText(empty || v == null ? null : v.mac().toString());
            tip(this, empty || v == null ? null : v.vendorText());
        }
    }

    /**
     * Sets a control's tooltip text, reusing one Tooltip per control: a Tooltip is a popup window with its own
     * scene, far too costly to create on every cell update.
     */
    static void tip(javafx.scene.control.Control c, String text) {
        if (text == null || text.isEmpty()) {
            if (c.getTooltip() != null) {
                c.setTooltip(null);
            }
            return;
        }
        Tooltip t = (Tooltip) c.getProperties().get("bootdesk.tip");
        if (t == null) {
            t = new Tooltip();
            c.getProperties().put("bootdesk.tip", t);
        }
        if (!text.equals(t.getText())) {
            t.setText(text);
        }
        if (c.getTooltip() != t) {
            c.setTooltip(t);
        }
    }

    /** Text that may be cut short, whole in a tooltip (vendor classes are long). */
    private static TableCell<MachineRow, String> tooltipCell() {
        return new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                tip(this, empty ? null : s);
            }
        };
    }

    static String time(Instant t) {
        var z = t.atZone(ZoneId.systemDefault());
        return z.toLocalDate().equals(LocalDate.now()) ? TIME.format(z) : DAY_TIME.format(z);
    }

    static int compareIp(String a, String b) {
        return Long.compare(ipValue(a), ipValue(b));
    }

    private static long ipValue(String ip) {
        if (ip == null || ip.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long v = 0;
        for (String p : ip.split("\\.")) {
            try {
                v = v * 256 + Integer.parseInt(p);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
        return v;
    }

    private static final class StageCell extends TableCell<MachineRow, MachineView> {
        private final FontIcon icon = new FontIcon();

        StageCell() {
            getStyleClass().add("stage-cell");
            setContentDisplay(ContentDisplay.LEFT);
            setGraphicTextGap(6);
        }

        @Override
        protected void updateItem(MachineView v, boolean empty) {
            super.updateItem(v, empty);
            for (BootStage s : BootStage.values()) {
                getStyleClass().remove("stage-" + s.name().toLowerCase(Locale.ROOT));
            }
            if (empty || v == null) {
                setText(null);
                setGraphic(null);
                tip(this, null);
                return;
            }
            getStyleClass().add("stage-" + v.stage().name().toLowerCase(Locale.ROOT));
            icon.setIconLiteral(Icons.stage(v.stage()));
            setGraphic(icon);
            setText(v.stageText());
            tip(this, v.detail());
        }
    }

    private static final class CertificateCell extends TableCell<MachineRow, MachineView> {
        private final FontIcon icon = new FontIcon();

        CertificateCell() {
            setGraphicTextGap(6);
        }

        @Override
        protected void updateItem(MachineView v, boolean empty) {
            super.updateItem(v, empty);
            for (CertificateView.State s : CertificateView.State.values()) {
                getStyleClass().remove("cert-" + s.name().toLowerCase(Locale.ROOT));
            }
            if (empty || v == null) {
                setText(null);
                setGraphic(null);
                tip(this, null);
                return;
            }
            CertificateView c = v.certificate();
            getStyleClass().add("cert-" + c.state().name().toLowerCase(Locale.ROOT));
            icon.setIconLiteral(Icons.certificate(c.state()));
            setGraphic(icon);
            setText(null);
            setAlignment(Pos.CENTER);
            tip(this, "Certificate: " + c.label() + "\n" + c.tooltip());
        }
    }

    private static final class ProgressCell extends TableCell<MachineRow, MachineView> {
        private final ProgressBar bar = new ProgressBar();
        private final Label text = new Label();
        private final javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(2, text, bar);

        ProgressCell() {
            bar.setMaxWidth(Double.MAX_VALUE);
            bar.getStyleClass().add(atlantafx.base.theme.Styles.SMALL);
            text.getStyleClass().add("transfer-text");
            text.setMinWidth(0);
            box.setAlignment(Pos.CENTER_LEFT);
            box.setFillWidth(true);
            setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(MachineView v, boolean empty) {
            super.updateItem(v, empty);
            if (empty || v == null) {
                setGraphic(null);
                setText(null);
                tip(this, null);
                getStyleClass().remove("muted");
                return;
            }
            if (v.progress() >= 0) {
                getStyleClass().remove("muted");
                bar.setProgress(v.progress());
                text.setText(v.transfer());
                setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
                setGraphic(box);
                tip(this, v.detail() + (v.transfer().contains("/s") ? " at "
                        + v.transfer().substring(v.transfer().lastIndexOf("· ") + 2) : ""));
            } else {
                setGraphic(null);
                setContentDisplay(ContentDisplay.TEXT_ONLY);
                setText(v.detail());
                if (!getStyleClass().contains("muted")) {
                    getStyleClass().add("muted");
                }
                tip(this, v.detail());
            }
        }
    }

    private static final class ImageCell extends TableCell<MachineRow, MachineView> {
        private final FontIcon once = new FontIcon(Icons.ONCE);
        private final Label label = new Label();
        private final HBox box = new HBox(4, label, once);

        ImageCell() {
            box.setAlignment(Pos.CENTER_LEFT);
            HBox.setHgrow(label, Priority.SOMETIMES);
            box.getStyleClass().add("once-badge");
            setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(MachineView v, boolean empty) {
            super.updateItem(v, empty);
            if (empty || v == null) {
                setGraphic(null);
                tip(this, null);
                return;
            }
            label.setText(v.image().isEmpty() ? "—" : v.image());
            label.getStyleClass().remove("muted");
            if (v.image().isEmpty()) {
                label.getStyleClass().add("muted");
            }
            once.setVisible(v.once());
            once.setManaged(v.once());
            setGraphic(box);
            tip(this, v.image().isEmpty() ? "No image: the machine waits in BootDesk's waiting script."
                    + " Drag an image here (Shift: boot it once)."
                    : v.once() ? v.image() + " for the next boot only, then the assignment ends"
                    : v.image() + " on every boot");
        }
    }

    static ObservableValue<MachineView> constant(MachineView v) {
        return new ReadOnlyObjectWrapper<>(v);
    }
}
