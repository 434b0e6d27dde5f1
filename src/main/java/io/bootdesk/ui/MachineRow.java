package io.bootdesk.ui;

import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.model.MachineView;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * One table row. The row object stays while its view is replaced, so the table keeps selection, focus and scroll
 * position across live updates (the list's extractor turns a new view into an "updated" change).
 */
final class MachineRow {
    private final MacAddress mac;
    private final ReadOnlyObjectWrapper<MachineView> view;

    MachineRow(MachineView v) {
        this.mac = v.mac();
        this.view = new ReadOnlyObjectWrapper<>(v);
    }

    MacAddress mac() {
        return mac;
    }

    MachineView view() {
        return view.get();
    }

    void set(MachineView v) {
        view.set(v);
    }

    ReadOnlyObjectProperty<MachineView> viewProperty() {
        return view.getReadOnlyProperty();
    }
}
