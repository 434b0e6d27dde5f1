package io.bootdesk.model;

import java.time.Instant;

/** The operator's decision that a machine boots an image; {@code once} reverts it after one successful boot. */
public record Assignment(MacAddress mac, String image, boolean once, Instant created) {
}
