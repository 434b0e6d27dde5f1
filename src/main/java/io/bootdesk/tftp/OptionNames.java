package io.bootdesk.tftp;

/** RFC 2347 option names are case-insensitive; this is the one rule for "the same option" in this package. */
final class OptionNames {
    private OptionNames() {
    }

    /** The case-insensitive identity of an option name: equal results mean the same option. */
    static String fold(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> b.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return b.toString();
    }
}
