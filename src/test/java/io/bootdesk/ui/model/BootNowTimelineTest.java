package io.bootdesk.ui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Boot now's CONSOLE steps start a new boot in the timeline, titled "boot now", failures marked failed. */
class BootNowTimelineTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:00:0b:02");
    final Instant t0 = Instant.parse("2026-11-22T10:00:00Z");

    BootEvent at(int s, EventType type, String msg) {
        return new BootEvent(t0.plusSeconds(s), MAC, null, type, msg, 0);
    }

    @Test
    void bootNowStartsANewBootAndItsStepsShow() {
        List<BootTimeline.Step> steps = BootTimeline.latestBoot(List.of(
                at(0, EventType.DHCP_OFFER, "offer"), at(1, EventType.BOOTED, "booted deb"),
                at(30, EventType.CONSOLE, "boot now: started through pikvm kvm1"),
                at(31, EventType.CONSOLE, "boot now: reset (reset_hard; the machine was on)"),
                at(32, EventType.CONSOLE, "boot now: pressing F12 (1/20)"),
                at(40, EventType.DHCP_OFFER, "offer again"),
                at(41, EventType.CONSOLE, "power off failed: The KVM at x refused."),
                at(42, EventType.CONSOLE, "console attached: serial /dev/ttyS0")));
        assertThat(steps).extracting(BootTimeline.Step::title)
                .containsExactly("boot now", "boot now", "boot now", "DHCP offer", "power", "console");
        assertThat(steps.get(1).why()).isEqualTo("reset (reset_hard; the machine was on)");
        assertThat(steps.get(4).why()).isEqualTo("power off failed: The KVM at x refused.");
        assertThat(steps.get(3).offsetText()).isEqualTo("+10.0 s");
        assertThat(steps.get(4).status()).isEqualTo(BootTimeline.Status.FAILED);
        assertThat(steps.get(2).status()).isEqualTo(BootTimeline.Status.OK);
    }
}
