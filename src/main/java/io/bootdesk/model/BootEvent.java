package io.bootdesk.model;

import java.time.Instant;

/**
 * One boot step, as journaled and shown. {@code message} says what happened and why, in words
 * ("offered 10.99.0.100 with undionly.kpxe by TFTP: PXE ROM, BIOS"). Never carries secrets.
 *
 * @param mac   null for events not tied to one machine
 * @param bytes bytes moved by this step (transfers), else 0
 */
public record BootEvent(Instant time, MacAddress mac, String ip, EventType type, String message, long bytes) {

    public static BootEvent of(MacAddress mac, String ip, EventType type, String message) {
        return new BootEvent(Instant.now(), mac, ip, type, message, 0);
    }

    public static BootEvent of(MacAddress mac, String ip, EventType type, String message, long bytes) {
        return new BootEvent(Instant.now(), mac, ip, type, message, bytes);
    }
}
