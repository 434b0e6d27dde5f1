package io.bootdesk.model;

import java.time.Instant;

/**
 * One row of the machine table: everything BootDesk learned about a machine from its boot traffic, and the name the
 * operator gave it.
 *
 * @param ip          the address it has or was last given (null before any)
 * @param vendorClass DHCP option 60 as sent
 * @param uuid        SMBIOS UUID in canonical byte order (option 97, un-mangled), or null
 * @param userAgent   last HTTP User-Agent (e.g. iPXE/1.21.1)
 * @param detail      a short sentence about the last step ("kernel 14.2 MB of 14.2 MB", "waiting for an image")
 * @param progress    0..1 of the current download, or -1 when nothing is being downloaded
 * @param name        the operator's name for it ("rack 3 left"), or null
 * @param ipxeHttps   whether the iPXE it last ran has HTTPS (DHCP option 175 feature 0x14, or an HTTPS request
 *                    from it); null when not known (it never ran iPXE, or did not say)
 */
public record Machine(MacAddress mac, String ip, String vendorClass, ClientArch arch, ClientKind kind,
                      String uuid, BootStage stage, String detail, double progress, String userAgent,
                      Instant firstSeen, Instant lastSeen, String name, Boolean ipxeHttps) {

    /** The longest name a machine may have (characters). */
    public static final int MAX_NAME_LENGTH = 64;

    public Firmware firmware() {
        return arch == null ? Firmware.UNKNOWN : arch.firmware();
    }

    public Machine withName(String newName) {
        return new Machine(mac, ip, vendorClass, arch, kind, uuid, stage, detail, progress, userAgent, firstSeen,
                lastSeen, newName, ipxeHttps);
    }

    /**
     * A name as stored: trimmed, control characters made spaces; null for an empty one (no name).
     *
     * @throws IllegalArgumentException if it is longer than {@link #MAX_NAME_LENGTH} characters
     */
    public static String normalizeName(String name) {
        String n = name == null ? "" : name.replaceAll("\\p{Cntrl}", " ").strip();
        if (n.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a machine name has at most " + MAX_NAME_LENGTH + " characters ("
                    + n.length() + " given)");
        }
        return n.isEmpty() ? null : n;
    }
}
