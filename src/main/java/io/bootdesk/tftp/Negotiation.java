package io.bootdesk.tftp;

import io.bootdesk.tftp.TftpPacket.ReadRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a read transfer runs with once the request's options are weighed (RFC 2347): blksize (RFC 2348, 8..65464,
 * larger requests are lowered), timeout and tsize (RFC 2349; tsize only in octet mode, where the file size is the
 * transfer size), windowsize (RFC 7440, lowered to {@link #MAX_WINDOW}). Unknown options and values out of range
 * are left out of the OACK, which RFC 2347 allows; no OACK at all when nothing was accepted.
 *
 * @param blksize         bytes per DATA block
 * @param windowsize      DATA blocks sent before waiting for an ACK
 * @param timeoutSeconds  retransmission timeout the client asked for, 0 for the server's default
 * @param acknowledged    the OACK's options, named as the client named them, in the client's order
 */
record Negotiation(int blksize, int windowsize, int timeoutSeconds, Map<String, String> acknowledged) {
    static final int DEFAULT_BLKSIZE = 512;
    static final int MIN_BLKSIZE = 8;
    static final int MAX_BLKSIZE = 65_464;
    /** The largest window the server agrees to: 64 blocks keeps a window of big blocks within socket buffers. */
    static final int MAX_WINDOW = 64;

    Negotiation {
        acknowledged = Collections.unmodifiableMap(new LinkedHashMap<>(acknowledged));
    }

    /**
     * @param tsize the file size to report for tsize, or -1 when the transfer size is not known up front (netascii)
     */
    static Negotiation of(ReadRequest request, long tsize) {
        int blksize = DEFAULT_BLKSIZE;
        int windowsize = 1;
        int timeout = 0;
        Map<String, String> ack = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : request.options().entrySet()) {
            long v = number(e.getValue());
            switch (OptionNames.fold(e.getKey())) {
                case "blksize" -> {
                    if (v >= MIN_BLKSIZE) {
                        blksize = (int) Math.min(v, MAX_BLKSIZE);
                        ack.put(e.getKey(), Integer.toString(blksize));
                    }
                }
                case "windowsize" -> {
                    if (v >= 1 && v <= 65_535) {
                        windowsize = (int) Math.min(v, MAX_WINDOW);
                        ack.put(e.getKey(), Integer.toString(windowsize));
                    }
                }
                case "timeout" -> {
                    if (v >= 1 && v <= 255) {
                        timeout = (int) v;
                        ack.put(e.getKey(), Long.toString(v));
                    }
                }
                case "tsize" -> {
                    if (v >= 0 && tsize >= 0) {
                        ack.put(e.getKey(), Long.toString(tsize));
                    }
                }
                default -> {
                    // not ours (RFC 2347: ignored)
                }
            }
        }
        return new Negotiation(blksize, windowsize, timeout, ack);
    }

    boolean sendsOack() {
        return !acknowledged.isEmpty();
    }

    /** "blksize 1468, windowsize 16, tsize" or "no options". */
    String describe() {
        List<String> parts = new ArrayList<>();
        acknowledged.forEach((k, v) -> parts.add(OptionNames.fold(k).equals("tsize") ? "tsize" : OptionNames.fold(k) + " " + v
                + (OptionNames.fold(k).equals("timeout") ? "s" : "")));
        return parts.isEmpty() ? "no options" : String.join(", ", parts);
    }

    /** A decimal number of at most 18 digits, or -1. */
    private static long number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
