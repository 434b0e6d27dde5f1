package io.bootdesk.model;

import java.util.HexFormat;
import java.util.Locale;

/** A 48-bit Ethernet address. Parses "52:54:00:aa:bb:cc", "52-54-00-AA-BB-CC" and "525400aabbcc". */
public record MacAddress(long bits) implements Comparable<MacAddress> {

    public MacAddress {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits");
        }
    }

    public static MacAddress of(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[offset + i] & 0xFF);
        }
        return new MacAddress(v);
    }

    public static MacAddress parse(String text) {
        String hex = text.trim().replace(":", "").replace("-", "").replace(".", "");
        if (hex.length() != 12 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "' (expected e.g. 52:54:00:12:34:56)");
        }
        return new MacAddress(Long.parseLong(hex, 16));
    }

    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return b;
    }

    /** iPXE's {@code ${mac:hexhyp}} form, used in URLs: 52-54-00-12-34-56. */
    public String hyphenated() {
        return HexFormat.ofDelimiter("-").formatHex(bytes());
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes()).toLowerCase(Locale.ROOT);
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(bits, o.bits);
    }
}
