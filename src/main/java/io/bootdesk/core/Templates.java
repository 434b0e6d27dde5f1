package io.bootdesk.core;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{ name }}} placeholders in operator-written scripts and command lines. An unknown name is an
 * error (a typo must not boot a machine with an empty argument). {@code ${...}} is left alone: that is iPXE's.
 */
public final class Templates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z][A-Za-z0-9_.\\-]*)\\s*}}");

    private Templates() {
    }

    public static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("unknown placeholder {{ " + m.group(1) + " }} (known: "
                        + String.join(", ", new java.util.TreeSet<>(values.keySet())) + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The placeholder names a template uses. */
    public static java.util.Set<String> names(String template) {
        var names = new java.util.TreeSet<String>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
