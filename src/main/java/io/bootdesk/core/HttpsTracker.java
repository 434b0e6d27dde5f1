package io.bootdesk.core;

import io.bootdesk.model.MacAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What BootDesk learns about HTTPS while machines boot, for the planner's loop guards:
 * <ul>
 *   <li>which iPXE binary it handed a machine, in which DHCP exchange (transaction id): a DHCP request from an iPXE
 *       of the same machine within a minute <em>in another exchange</em> comes from that binary, and its
 *       option-175 features tell whether the binary has HTTPS ({@link LoaderCapabilities}); the REQUEST that
 *       completes the exchange the binary was offered in is still the firmware that was offered it;</li>
 *   <li>how many stage scripts a machine fetched since its last HTTPS request: the first may chain an iPXE that
 *       trusts BootDesk, the second (from that iPXE) tries HTTPS once more and then boots over plain HTTP, so a
 *       machine never chains in a loop.</li>
 * </ul>
 */
public final class HttpsTracker {
    /** A DHCP request from iPXE this soon after BootDesk handed the machine an iPXE binary comes from that binary. */
    static final long CHAIN_WINDOW_MS = 60_000;

    private record Handed(String file, int exchange, long at) {
    }

    private record Stages(int count, long last) {
    }

    private final Map<MacAddress, Handed> handed = new ConcurrentHashMap<>();
    private final Map<MacAddress, Stages> stages = new ConcurrentHashMap<>();

    /** BootDesk offered {@code file} to the machine in the DHCP exchange {@code exchange} (its transaction id). */
    public void loaderHanded(MacAddress mac, String file, int exchange) {
        handed.put(mac, new Handed(file, exchange, System.currentTimeMillis()));
    }

    /**
     * An iPXE asked DHCP in exchange {@code exchange}. If BootDesk handed this machine an iPXE binary within the last
     * minute in another exchange, it is that binary; returns its name then (the caller records what it learned).
     */
    public Optional<String> ipxeSeen(MacAddress mac, int exchange) {
        Handed h = handed.get(mac);
        if (h == null || h.exchange() == exchange) {
            return Optional.empty();
        }
        handed.remove(mac, h);
        if (System.currentTimeMillis() - h.at() > CHAIN_WINDOW_MS) {
            return Optional.empty();
        }
        return Optional.of(h.file());
    }

    /** Counts a stage script served; returns how many the machine fetched in a row without an HTTPS request. */
    public int stageServed(MacAddress mac) {
        long now = System.currentTimeMillis();
        return stages.merge(mac, new Stages(1, now), (old, one) ->
                now - old.last() > CHAIN_WINDOW_MS ? one : new Stages(old.count() + 1, now)).count();
    }

    public void httpsSeen(MacAddress mac) {
        stages.remove(mac);
    }
}
