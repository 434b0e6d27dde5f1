package io.bootdesk.ui.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The filter box: every word typed must occur in some column (MAC in either form, name, IP, vendor class,
 * platform, stage, image, certificate). Empty text shows everything.
 */
public final class MachineFilter implements Predicate<MachineView> {
    private final String[] words;

    public MachineFilter(String text) {
        this.words = text == null ? new String[0]
                : Arrays.stream(text.toLowerCase(Locale.ROOT).trim().split("\\s+")).filter(w -> !w.isEmpty())
                .toArray(String[]::new);
    }

    public boolean matchesAll() {
        return words.length == 0;
    }

    @Override
    public boolean test(MachineView v) {
        if (words.length == 0) {
            return true;
        }
        String hay = v.searchText();
        for (String w : words) {
            if (!hay.contains(w)) {
                return false;
            }
        }
        return true;
    }
}
