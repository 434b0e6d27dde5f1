package io.bootdesk.ui.model;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Transfer rates per machine, from the engine's transfer events (bytes so far with their times). Not thread-safe:
 * fed and read on one thread (the UI's).
 */
public final class TransferMeter {
    private record Sample(long bytes, long millis, double rate) {
    }

    private final Map<MacAddress, Sample> last = new HashMap<>();

    /** Takes one event; returns true if the machine's rate changed. */
    public boolean accept(BootEvent e) {
        if (e.mac() == null) {
            return false;
        }
        long t = e.time().toEpochMilli();
        switch (e.type()) {
            case HTTP_FILE_START, TFTP_START -> {
                last.put(e.mac(), new Sample(0, t, 0));
                return true;
            }
            case HTTP_FILE_PROGRESS -> {
                Sample s = last.get(e.mac());
                double rate = 0;
                if (s != null && t > s.millis() && e.bytes() >= s.bytes()) {
                    rate = (e.bytes() - s.bytes()) * 1000.0 / (t - s.millis());
                }
                last.put(e.mac(), new Sample(e.bytes(), t, rate));
                return true;
            }
            case HTTP_FILE_DONE, TFTP_DONE -> {
                Sample s = last.get(e.mac());
                double rate = s == null ? 0 : s.rate();
                if (s != null && s.bytes() == 0 && t > s.millis()) {
                    rate = e.bytes() * 1000.0 / (t - s.millis());
                }
                last.put(e.mac(), new Sample(e.bytes(), t, rate));
                return true;
            }
            case BOOTED, HTTP_FAILED, TFTP_FAILED -> {
                return last.remove(e.mac()) != null;
            }
            default -> {
                return false;
            }
        }
    }

    /** Bytes per second of the machine's current or last transfer, 0 when unknown. */
    public double rate(MacAddress mac) {
        Sample s = last.get(mac);
        return s == null ? 0 : s.rate();
    }

    public void forget(MacAddress mac) {
        last.remove(mac);
    }
}
