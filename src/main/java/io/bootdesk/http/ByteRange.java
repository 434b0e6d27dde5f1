package io.bootdesk.http;

/**
 * One byte range of a file (RFC 9110 §14): parsed from a Range header against the file's length.
 *
 * @param start first byte
 * @param end   last byte, inclusive
 */
record ByteRange(long start, long end) {

    long length() {
        return end - start + 1;
    }

    /** Outcome of parsing: no header or an ignorable one (serve everything), a range, or unsatisfiable (416). */
    sealed interface Parsed {
    }

    record Whole() implements Parsed {
    }

    record Partial(ByteRange range) implements Parsed {
    }

    record Unsatisfiable() implements Parsed {
    }

    /**
     * Single ranges "bytes=a-b", "bytes=a-" and "bytes=-n". Several ranges, other units and malformed headers are
     * answered with the whole file, which RFC 9110 allows.
     */
    static Parsed parse(String header, long length) {
        if (header == null) {
            return new Whole();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return new Whole();
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return new Whole();
                }
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || length == 0) {
                    return new Unsatisfiable();
                }
                return new Partial(new ByteRange(Math.max(0, length - suffix), length - 1));
            }
            long start = Long.parseLong(a);
            long end = b.isEmpty() ? length - 1 : Math.min(Long.parseLong(b), length - 1);
            if (start < 0 || start >= length) {
                return new Unsatisfiable();
            }
            if (end < start) {
                return new Whole();
            }
            return new Partial(new ByteRange(start, end));
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }
}
