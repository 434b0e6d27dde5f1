package io.bootdesk.model;

import java.util.Locale;

/** How a machine got (or will get) the private key of its client certificate; BootDesk generates the keys. */
public enum KeyDelivery {
    /** Not handed out yet: only BootDesk has it. */
    NONE("not delivered"),
    /** {@code set cert}/{@code set privkey} in a script fetched over server-authenticated HTTPS. */
    SCRIPT("boot script"),
    /** An {@code autoexec.ipxe} on a per-machine boot medium (FAT image). */
    BOOT_MEDIUM("boot medium"),
    /** {@code CERT=}/{@code PRIVKEY=} of a custom iPXE build (the build recipe). */
    IPXE_BUILD("iPXE build"),
    /** Exported to a file by the operator. */
    FILE("exported file");

    private final String label;

    KeyDelivery(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static KeyDelivery parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
