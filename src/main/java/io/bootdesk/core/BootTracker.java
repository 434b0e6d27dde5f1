package io.bootdesk.core;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Knows which files a machine still has to fetch to boot its image, and declares the boot done when the last one
 * was delivered completely: the machine becomes BOOTED and a one-time assignment ends.
 */
public final class BootTracker {

    private record Pending(BootImage image, Set<String> files) {
    }

    private final Map<MacAddress, Pending> pending = new ConcurrentHashMap<>();
    private final Catalog catalog;
    private final EventLog events;
    private final Executor background;

    /** @param background runs the database write that ends a one-time assignment (never an I/O thread) */
    public BootTracker(Catalog catalog, EventLog events, Executor background) {
        this.catalog = catalog;
        this.events = events;
        this.background = background;
    }

    /** The machine was told to boot {@code image} (script served, or EFI URL handed out). */
    public void expect(MacAddress mac, BootImage image, String ip) {
        Set<String> files = new HashSet<>(image.files());
        if (files.isEmpty()) {
            pending.remove(mac);
            booted(mac, image, ip);
        } else {
            pending.put(mac, new Pending(image, ConcurrentHashMap.newKeySet()));
            pending.get(mac).files().addAll(files);
        }
    }

    /** A file of {@code imageName} was delivered to the machine completely. */
    public void delivered(MacAddress mac, String imageName, String file, String ip) {
        Pending p = pending.get(mac);
        if (p == null || !p.image().name().equals(imageName)) {
            return;
        }
        p.files().remove(file);
        if (p.files().isEmpty() && pending.remove(mac, p)) {
            booted(mac, p.image(), ip);
        }
    }

    private void booted(MacAddress mac, BootImage image, String ip) {
        events.record(BootEvent.of(mac, ip, EventType.BOOTED, "booted " + image.name() + ": every file delivered"));
        catalog.assignment(mac)
                .filter(a -> a.once() && a.image().equals(image.name()))
                .ifPresent(a -> background.execute(() -> {
                    catalog.completeOnce(a);
                    events.record(BootEvent.of(mac, ip, EventType.ASSIGNMENT,
                            "one-time assignment of " + image.name() + " ended after this boot"), null);
                }));
    }
}
