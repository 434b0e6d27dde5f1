package io.bootdesk.pki;

import java.util.Arrays;

/**
 * A passphrase for the root key's PKCS#12 keystore and where it came from (for messages; never the value).
 * {@link #toString()} does not show the value.
 */
public final class Passphrase {
    private final char[] chars;
    private final String origin;

    public Passphrase(char[] chars, String origin) {
        this.chars = chars.clone();
        this.origin = origin;
    }

    public char[] chars() {
        return chars.clone();
    }

    /** Where it came from, e.g. "BOOTDESK_CA_PASSPHRASE_FILE (/run/credentials/ca)". */
    public String origin() {
        return origin;
    }

    public int length() {
        return chars.length;
    }

    /** Overwrites the characters held here. */
    public void wipe() {
        Arrays.fill(chars, '\0');
    }

    @Override
    public String toString() {
        return "passphrase from " + origin;
    }
}
