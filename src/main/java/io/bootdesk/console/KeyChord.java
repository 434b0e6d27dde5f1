package io.bootdesk.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A key or chord as a technician types it ({@code F12}, {@code Esc}, {@code Ctrl+B}, {@code Ctrl+Alt+Del}) turned into
 * the JavaScript {@code KeyboardEvent.code} names KVMs use ({@code F12}, {@code Escape}, {@code ControlLeft},
 * {@code KeyB}, {@code Delete}): kvmd's keymap ({@code pikvm/kvmd keymap.csv}, column {@code web_name}) and
 * JetKVM's both key on these names. Modifiers come first, in the order typed; the last part is the key.
 */
public final class KeyChord {
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("ctrl", "ControlLeft"), Map.entry("control", "ControlLeft"),
            Map.entry("alt", "AltLeft"), Map.entry("option", "AltLeft"),
            Map.entry("shift", "ShiftLeft"),
            Map.entry("win", "MetaLeft"), Map.entry("meta", "MetaLeft"), Map.entry("super", "MetaLeft"),
            Map.entry("cmd", "MetaLeft"),
            Map.entry("esc", "Escape"), Map.entry("escape", "Escape"),
            Map.entry("enter", "Enter"), Map.entry("return", "Enter"),
            Map.entry("del", "Delete"), Map.entry("delete", "Delete"),
            Map.entry("ins", "Insert"), Map.entry("insert", "Insert"),
            Map.entry("backspace", "Backspace"), Map.entry("tab", "Tab"), Map.entry("space", "Space"),
            Map.entry("up", "ArrowUp"), Map.entry("down", "ArrowDown"), Map.entry("left", "ArrowLeft"),
            Map.entry("right", "ArrowRight"), Map.entry("home", "Home"), Map.entry("end", "End"),
            Map.entry("pageup", "PageUp"), Map.entry("pgup", "PageUp"), Map.entry("pagedown", "PageDown"),
            Map.entry("pgdn", "PageDown"), Map.entry("printscreen", "PrintScreen"), Map.entry("pause", "Pause"));

    private KeyChord() {
    }

    /**
     * The KeyboardEvent.code names of {@code chord}, modifiers first.
     *
     * @throws IllegalArgumentException naming the part that is not a key
     */
    public static List<String> parse(String chord) {
        if (chord == null || chord.isBlank()) {
            throw new IllegalArgumentException("no key given (e.g. F12, Esc, Enter, Ctrl+B, Ctrl+Alt+Del)");
        }
        List<String> out = new ArrayList<>();
        String[] parts = chord.strip().split("\\s*\\+\\s*");
        for (String p : parts) {
            out.add(name(p, chord));
        }
        return List.copyOf(out);
    }

    private static String name(String part, String chord) {
        String p = part.strip();
        String l = p.toLowerCase(Locale.ROOT);
        if (NAMES.containsKey(l)) {
            return NAMES.get(l);
        }
        if (l.matches("f([1-9]|1[0-9]|2[0-4])")) {
            return "F" + l.substring(1);
        }
        if (l.matches("[a-z]")) {
            return "Key" + l.toUpperCase(Locale.ROOT);
        }
        if (l.matches("[0-9]")) {
            return "Digit" + l;
        }
        // already a KeyboardEvent.code name (ArrowUp, KeyA, ControlRight, ...)
        if (p.matches("(Key[A-Z]|Digit[0-9]|Arrow(Up|Down|Left|Right)|(Control|Alt|Shift|Meta)(Left|Right)|Numpad\\w+"
                + "|Escape|Enter|Delete|Insert|Backspace|Tab|Space|Home|End|PageUp|PageDown|PrintScreen|Pause|F\\d{1,2})")) {
            return p;
        }
        throw new IllegalArgumentException("'" + part + "' in '" + chord + "' is not a key (use e.g. F12, Esc, Enter, Del,"
                + " Tab, Up, a letter or digit, joined by + after Ctrl, Alt, Shift or Win)");
    }
}
