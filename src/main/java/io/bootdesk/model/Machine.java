package io.bootdesk.model;

import java.time.Instant;

/**
 * One row of the machine table: everything BootDesk learned about a machine from its boot traffic.
 *
 * @param ip          the address it has or was last given (null before any)
 * @param vendorClass DHCP option 60 as sent
 * @param uuid        SMBIOS UUID in canonical byte order (option 97, un-mangled), or null
 * @param userAgent   last HTTP User-Agent (e.g. iPXE/1.21.1)
 * @param detail      a short sentence about the last step ("kernel 14.2 MB of 14.2 MB", "waiting for an image")
 * @param progress    0..1 of the current download, or -1 when nothing is being downloaded
 */
public record Machine(MacAddress mac, String ip, String vendorClass, ClientArch arch, ClientKind kind,
                      String uuid, BootStage stage, String detail, double progress, String userAgent,
                      Instant firstSeen, Instant lastSeen) {

    public Firmware firmware() {
        return arch == null ? Firmware.UNKNOWN : arch.firmware();
    }
}
