package io.bootdesk.console.jetkvm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Key chords as USB HID boot-keyboard reports: usage codes (HID Usage Tables, Keyboard page 0x07) and the
 * modifier bits JetKVM 0.4.7 sends in {@code keyboardReport} ({@code ui/src/keyboardMappings.ts}: CtrlLeft 0x01,
 * ShiftLeft 0x02, AltLeft 0x04, MetaLeft 0x08; F12 = 0x45, Enter 0x28, Escape 0x29, Delete 0x4c).
 */
public final class HidKeys {

    /** One press: the modifier byte and up to six usage codes; release is modifier 0 and no keys. */
    public record Chord(int modifier, List<Integer> keys) {
    }

    private static final Map<String, Integer> MODIFIERS = new HashMap<>();
    private static final Map<String, Integer> KEYS = new HashMap<>();

    static {
        MODIFIERS.put("ctrl", 0x01);
        MODIFIERS.put("control", 0x01);
        MODIFIERS.put("shift", 0x02);
        MODIFIERS.put("alt", 0x04);
        MODIFIERS.put("meta", 0x08);
        MODIFIERS.put("win", 0x08);
        MODIFIERS.put("super", 0x08);
        MODIFIERS.put("altgr", 0x40);
        for (char c = 'a'; c <= 'z'; c++) {
            KEYS.put(String.valueOf(c), 0x04 + (c - 'a'));
        }
        for (char c = '1'; c <= '9'; c++) {
            KEYS.put(String.valueOf(c), 0x1e + (c - '1'));
        }
        KEYS.put("0", 0x27);
        for (int f = 1; f <= 12; f++) {
            KEYS.put("f" + f, 0x3a + f - 1);
        }
        KEYS.put("enter", 0x28);
        KEYS.put("return", 0x28);
        KEYS.put("esc", 0x29);
        KEYS.put("escape", 0x29);
        KEYS.put("backspace", 0x2a);
        KEYS.put("tab", 0x2b);
        KEYS.put("space", 0x2c);
        KEYS.put("minus", 0x2d);
        KEYS.put("insert", 0x49);
        KEYS.put("home", 0x4a);
        KEYS.put("pageup", 0x4b);
        KEYS.put("delete", 0x4c);
        KEYS.put("del", 0x4c);
        KEYS.put("end", 0x4d);
        KEYS.put("pagedown", 0x4e);
        KEYS.put("right", 0x4f);
        KEYS.put("arrowright", 0x4f);
        KEYS.put("left", 0x50);
        KEYS.put("arrowleft", 0x50);
        KEYS.put("down", 0x51);
        KEYS.put("arrowdown", 0x51);
        KEYS.put("up", 0x52);
        KEYS.put("arrowup", 0x52);
    }

    private HidKeys() {
    }

    /**
     * Parses {@code F12}, {@code Enter}, {@code Esc}, {@code Delete}, {@code Ctrl+B}, {@code Ctrl+Alt+Delete},
     * single letters and digits (case-insensitive, '+' between parts).
     *
     * @throws IllegalArgumentException naming the part that is not a key
     */
    public static Chord parse(String chord) {
        if (chord == null || chord.isBlank()) {
            throw new IllegalArgumentException("no key given (e.g. F12, Enter, Ctrl+Alt+Delete)");
        }
        int modifier = 0;
        List<Integer> keys = new ArrayList<>();
        for (String part : chord.split("\\+")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            Integer m = MODIFIERS.get(p);
            Integer k = KEYS.get(p);
            if (m != null) {
                modifier |= m;
            } else if (k != null) {
                if (!keys.contains(k)) {
                    keys.add(k);
                }
            } else {
                throw new IllegalArgumentException("'" + part.trim() + "' in '" + chord + "' is not a key this"
                        + " console knows (letters, digits, F1-F12, Enter, Esc, Tab, Delete, arrows, Ctrl/Shift/Alt/Meta)");
            }
        }
        if (keys.size() > 6) {
            throw new IllegalArgumentException("a keyboard report holds at most six keys ('" + chord + "' has "
                    + keys.size() + ")");
        }
        return new Chord(modifier, List.copyOf(keys));
    }
}
