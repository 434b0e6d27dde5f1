package io.bootdesk.ui.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Byte counts, rates and ages as the console prints them. */
public final class Sizes {
    private Sizes() {
    }

    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", n / 1e3);
        }
        if (n < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", n / 1e9);
    }

    public static String rate(double bytesPerSecond) {
        return bytes(Math.round(bytesPerSecond)) + "/s";
    }

    /** "just now", "12 s ago", "4 min ago", "3 h ago", "2 d ago". */
    public static String age(Instant then, Instant now) {
        if (then == null) {
            return "";
        }
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        if (s < 3) {
            return "just now";
        }
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86_400) {
            return s / 3600 + " h ago";
        }
        return s / 86_400 + " d ago";
    }
}
