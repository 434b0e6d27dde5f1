package io.bootdesk.ui.model;

import io.bootdesk.engine.Workspace;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** The operator's assignment changes, newest last, for Undo (kept to the last {@value #LIMIT}). */
public final class UndoStack {
    static final int LIMIT = 50;

    /** One change and how to say it in the Undo menu ("Undo assign debian to 3 machines"). */
    public record Entry(String label, Workspace.AssignmentChange change) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    public synchronized void push(Entry e) {
        entries.addLast(e);
        while (entries.size() > LIMIT) {
            entries.removeFirst();
        }
    }

    /**
     * An image was renamed: what the entries would put back under its old name goes back under the new one (the
     * labels keep the name the operator saw when acting).
     */
    public synchronized void imageRenamed(String from, String to) {
        java.util.List<Entry> all = new java.util.ArrayList<>(entries);
        entries.clear();
        for (Entry e : all) {
            Workspace.AssignmentChange c = e.change();
            java.util.Map<io.bootdesk.model.MacAddress, io.bootdesk.model.Assignment> before = new java.util.LinkedHashMap<>();
            c.before().forEach((mac, a) -> before.put(mac, a != null && a.image().equals(from)
                    ? new io.bootdesk.model.Assignment(a.mac(), to, a.once(), a.created()) : a));
            entries.addLast(new Entry(e.label(), new Workspace.AssignmentChange(c.image().equals(from) ? to : c.image(),
                    c.once(), before)));
        }
    }

    public synchronized Optional<Entry> pop() {
        return Optional.ofNullable(entries.pollLast());
    }

    public synchronized Optional<Entry> peek() {
        return Optional.ofNullable(entries.peekLast());
    }

    public synchronized int size() {
        return entries.size();
    }
}
