package io.bootdesk.core;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every boot step goes: one log line, the machine's stage, the journal (SQLite, batched) and the event bus.
 * Protocol handlers call {@link #record}; it never blocks on the database.
 */
public final class EventLog {
    private static final Logger log = LoggerFactory.getLogger("io.bootdesk.boot");

    private final Inventory inventory;
    private final Journal journal;
    private final EventBus bus;

    public EventLog(Inventory inventory, Journal journal, EventBus bus) {
        this.inventory = inventory;
        this.journal = journal;
        this.bus = bus;
    }

    /** Records an event; the machine's stage follows from its type. */
    public void record(BootEvent e) {
        record(e, stageOf(e));
    }

    /** Records an event and sets the machine's stage explicitly (null: leave it). */
    public void record(BootEvent e, BootStage stage) {
        if (log.isInfoEnabled()) {
            log.info("{} {} {}", e.mac() == null ? "-" : e.mac(), e.type(), e.message());
        }
        if (e.mac() != null && stage != null) {
            double progress = stage == BootStage.DOWNLOADING ? 0 : -1;
            inventory.stage(e.mac(), stage, e.message(), progress);
        }
        journal.event(e);
        bus.publish(e);
    }

    /**
     * A machine presented its client certificate {@code serial} over mutual TLS and BootDesk accepted it: recorded
     * (at most once a minute per certificate) as the certificate's last verification. Never blocks.
     */
    public void certificateVerified(MacAddress mac, String serial) {
        journal.certificateVerified(serial, java.time.Instant.now());
    }

    public Inventory inventory() {
        return inventory;
    }

    public EventBus bus() {
        return bus;
    }

    static BootStage stageOf(BootEvent e) {
        return switch (e.type()) {
            case DHCP_DISCOVER, DHCP_OFFER, DHCP_REQUEST, DHCP_INFORM, PROXY_OFFER -> BootStage.DISCOVERED;
            case DHCP_ACK, PROXY_ACK -> BootStage.ADDRESSED;
            case TFTP_START, TFTP_DONE -> BootStage.LOADER;
            case HTTP_SCRIPT -> BootStage.SCRIPT;
            case HTTP_WAITING -> BootStage.WAITING;
            case HTTP_FILE_START, HTTP_FILE_PROGRESS -> BootStage.DOWNLOADING;
            case BOOTED -> BootStage.BOOTED;
            case TFTP_FAILED, HTTP_FAILED, DHCP_NAK -> BootStage.FAILED;
            case HTTP_FILE_DONE, DHCP_RELEASE, DHCP_DECLINE, DHCP_IGNORED, HTTP_REFUSED, ASSIGNMENT, NOTICE, MACHINE_RENAMED,
                 MACHINE_FORGOTTEN, CONSOLE -> null;
        };
    }
}
