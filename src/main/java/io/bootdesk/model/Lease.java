package io.bootdesk.model;

import java.time.Instant;

/** An address lease of the full-mode DHCP server. A DECLINEd address is kept with {@code declined} set. */
public record Lease(String ip, MacAddress mac, Instant expires, boolean declined) {
}
