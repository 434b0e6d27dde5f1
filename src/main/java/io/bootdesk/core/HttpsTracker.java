package io.bootdesk.core;

import io.bootdesk.model.MacAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What BootDesk learns about HTTPS while machines boot, for the planner's loop guards:
 * <ul>
 *   <li>which iPXE binary it handed a machine (so the next DHCP request from an iPXE within a minute is that
 *       binary, and its option-175 features tell whether the binary has HTTPS: {@link LoaderCapabilities});</li>
 *   <li>when a machine was last given the stage script, and whether an HTTPS request from it followed (if not,
 *       HTTPS failed there and the next stage script must not chain again).</li>
 * </ul>
 */
public final class HttpsTracker {
    /** A DHCP request from iPXE this soon after BootDesk handed the machine an iPXE binary comes from that binary. */
    static final long CHAIN_WINDOW_MS = 60_000;

    private record Handed(String file, long at) {
    }

    private final Map<MacAddress, Handed> handed = new ConcurrentHashMap<>();
    private final Map<MacAddress, Long> stageServed = new ConcurrentHashMap<>();
    private final Map<MacAddress, Long> httpsSeen = new ConcurrentHashMap<>();

    public void loaderHanded(MacAddress mac, String file) {
        handed.put(mac, new Handed(file, System.currentTimeMillis()));
    }

    /**
     * An iPXE asked DHCP. If BootDesk handed this machine an iPXE binary within the last minute, it is that binary;
     * returns its name then (the caller records what it learned about the binary).
     */
    public Optional<String> ipxeSeen(MacAddress mac) {
        Handed h = handed.remove(mac);
        if (h == null || System.currentTimeMillis() - h.at() > CHAIN_WINDOW_MS) {
            return Optional.empty();
        }
        return Optional.of(h.file());
    }

    public void stageServed(MacAddress mac) {
        stageServed.put(mac, System.currentTimeMillis());
    }

    public void httpsSeen(MacAddress mac) {
        httpsSeen.put(mac, System.currentTimeMillis());
    }

    /** The stage script went out within the chain window and no HTTPS request from the machine followed it. */
    public boolean stageFailedRecently(MacAddress mac) {
        Long stage = stageServed.get(mac);
        if (stage == null || System.currentTimeMillis() - stage > CHAIN_WINDOW_MS) {
            return false;
        }
        Long https = httpsSeen.get(mac);
        return https == null || https < stage;
    }
}
