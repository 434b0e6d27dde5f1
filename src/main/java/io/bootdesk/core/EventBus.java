package io.bootdesk.core;

import io.bootdesk.model.BootEvent;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process fan-out of boot events to subscribers (the GUI, tests). Listeners are called on the publishing
 * thread, which may be a Netty I/O thread: they must only hand the event on (the GUI coalesces on its own
 * thread). A listener that throws is logged and does not disturb the others.
 */
public final class EventBus {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private final CopyOnWriteArrayList<Consumer<BootEvent>> listeners = new CopyOnWriteArrayList<>();

    /** Subscribes; close the returned handle to unsubscribe. */
    public AutoCloseable subscribe(Consumer<BootEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void publish(BootEvent event) {
        for (Consumer<BootEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                log.warn("an event listener failed on {}: {}", event.type(), e.toString());
            }
        }
    }
}
