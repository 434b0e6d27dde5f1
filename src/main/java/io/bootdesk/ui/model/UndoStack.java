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
