package io.bootdesk.engine;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.ConsoleBindingStore;
import io.bootdesk.console.ConsoleException;
import io.bootdesk.console.ConsoleListener;
import io.bootdesk.console.ConsoleLogs;
import io.bootdesk.console.ConsoleSocket;
import io.bootdesk.console.SerialSession;
import io.bootdesk.core.EventLog;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.store.Database;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serve's serial consoles: attaches every bound serial console at start and follows binding changes from any
 * process (polls {@code console_meta.rev}); journals CONSOLE events (attached, detached, error) for the machine. A
 * port that failed or went away is tried again every {@link #RETRY_MS} without journaling the same error twice.
 */
public final class Consoles implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Consoles.class);
    static final long RETRY_MS = 5_000;

    private final Path dataDir;
    private final ConsoleBindingStore store;
    private final EventLog events;
    private final Map<MacAddress, SerialSession> sessions = new ConcurrentHashMap<>();
    private final Map<MacAddress, ConsoleSocket> sockets = new ConcurrentHashMap<>();
    private final Map<MacAddress, ConsoleBinding.Serial> bound = new HashMap<>();
    private final Map<MacAddress, String> lastError = new HashMap<>();
    private final Map<MacAddress, Long> retryAt = new HashMap<>();
    private long seenRevision = -1;
    private boolean closed;

    Consoles(Path dataDir, Database db, EventLog events) {
        this.dataDir = dataDir;
        this.store = new ConsoleBindingStore(db);
        this.events = events;
    }

    /** The open serial session of a machine, to write keys to or listen on. */
    public Optional<SerialSession> session(MacAddress mac) {
        return Optional.ofNullable(sessions.get(mac));
    }

    /** Why a bound serial console is not attached (one sentence, e.g. permission denied), if it failed. */
    public synchronized Optional<String> error(MacAddress mac) {
        return sessions.containsKey(mac) ? Optional.empty() : Optional.ofNullable(lastError.get(mac));
    }

    /** Applies binding changes and retries failed ports; called on the engine's background thread. */
    synchronized void refresh() {
        if (closed) {
            return;
        }
        long rev = store.revision();
        if (rev != seenRevision) {
            seenRevision = rev;
            Map<MacAddress, ConsoleBinding.Serial> now = new HashMap<>();
            store.all().forEach((mac, b) -> {
                if (b instanceof ConsoleBinding.Serial s) {
                    now.put(mac, s);
                }
            });
            for (MacAddress mac : Map.copyOf(bound).keySet()) {
                if (!bound.get(mac).equals(now.get(mac))) {
                    bound.remove(mac);
                    lastError.remove(mac);
                    retryAt.remove(mac);
                    detach(mac, "console detached: binding " + (now.containsKey(mac) ? "changed" : "removed"));
                }
            }
            now.forEach((mac, s) -> {
                if (!s.equals(bound.get(mac))) {
                    bound.put(mac, s);
                    retryAt.put(mac, 0L);
                }
            });
        }
        long t = System.currentTimeMillis();
        bound.forEach((mac, s) -> {
            if (!sessions.containsKey(mac) && retryAt.getOrDefault(mac, 0L) <= t) {
                attach(mac, s);
            }
        });
    }

    private void attach(MacAddress mac, ConsoleBinding.Serial s) {
        try {
            SerialSession session = SerialSession.open(s, ConsoleLogs.file(dataDir, mac), new ConsoleListener() {
                @Override
                public void received(byte[] data) {
                }

                @Override
                public void ended(String error) {
                    Consoles.this.ended(mac, s, error);
                }
            });
            sessions.put(mac, session);
            try {
                sockets.put(mac, ConsoleSocket.open(ConsoleSocket.path(dataDir, mac), session));
            } catch (java.io.IOException e) {
                log.warn("console of {}: no socket for 'bootdesk console send': {}", mac, e.toString());
            }
            lastError.remove(mac);
            journal(mac, "console attached: " + s.describe());
        } catch (ConsoleException e) {
            retryAt.put(mac, System.currentTimeMillis() + RETRY_MS);
            if (!e.getMessage().equals(lastError.put(mac, e.getMessage()))) {
                journal(mac, "console error: " + e.getMessage());
                log.warn("console of {}: {}", mac, e.getMessage());
            }
        }
    }

    private void ended(MacAddress mac, ConsoleBinding.Serial s, String error) {
        if (error != null) { // null: closed on purpose, and detach() journals
            lostPort(mac, s, error);
        }
    }

    private synchronized void lostPort(MacAddress mac, ConsoleBinding.Serial s, String error) {
        SerialSession gone = sessions.get(mac);
        if (gone != null && gone.binding().equals(s)) {
            sessions.remove(mac);
            closeSocket(mac);
            retryAt.put(mac, System.currentTimeMillis() + RETRY_MS);
            lastError.put(mac, error);
            journal(mac, "console detached: " + error);
        }
    }

    private void closeSocket(MacAddress mac) {
        ConsoleSocket k = sockets.remove(mac);
        if (k != null) {
            k.close();
        }
    }

    private void detach(MacAddress mac, String why) {
        closeSocket(mac);
        SerialSession s = sessions.remove(mac);
        if (s != null) {
            s.close();
            journal(mac, why);
        }
    }

    private void journal(MacAddress mac, String message) {
        events.record(BootEvent.of(mac, null, EventType.CONSOLE, message), null);
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (MacAddress mac : Map.copyOf(sessions).keySet()) {
            detach(mac, "console detached: BootDesk stopped");
        }
    }
}
