package io.bootdesk.tftp;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/** Logs a complaint about a peer at most once a minute per source address, so a flood cannot flood the log. */
final class RateLimitedLog {
    private static final long INTERVAL_NANOS = 60_000_000_000L;
    private static final int MAX_TRACKED = 10_000;

    private final Logger log;
    private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

    RateLimitedLog(Logger log) {
        this.log = log;
    }

    /** Logs {@code message} unless something about this peer's address was logged within the last minute. */
    void warn(InetSocketAddress from, String message) {
        String key = from.getAddress() == null ? from.getHostString() : from.getAddress().getHostAddress();
        long now = System.nanoTime();
        Long prior = last.get(key);
        if (prior != null && now - prior < INTERVAL_NANOS) {
            return;
        }
        if (last.size() > MAX_TRACKED) {
            last.clear();
        }
        last.put(key, now);
        log.warn("{} (no more such warnings about {} for a minute)", message, key);
    }
}
