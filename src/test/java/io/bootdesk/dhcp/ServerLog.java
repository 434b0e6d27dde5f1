package io.bootdesk.dhcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures what DhcpServer logs (to see whether anything was thrown inside its handler) instead of printing it, and
 * quiets the per-event boot log while many datagrams go through.
 */
final class ServerLog implements AutoCloseable {
    private final Logger server = (Logger) LoggerFactory.getLogger(DhcpServer.class);
    private final Logger boot = (Logger) LoggerFactory.getLogger("io.bootdesk.boot");
    private final Level bootLevel = boot.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    ServerLog() {
        appender.start();
        server.addAppender(appender);
        server.setAdditive(false); // to the list only, not to the console
        boot.setLevel(Level.WARN);
    }

    List<String> messages() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Lines saying the handler caught something thrown while answering: decoding errors are not among them. */
    List<String> failures() {
        return appender.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> !m.startsWith("malformed DHCP datagram"))
                .toList();
    }

    void clear() {
        appender.list.clear();
    }

    @Override
    public void close() {
        server.detachAppender(appender);
        server.setAdditive(true);
        boot.setLevel(bootLevel);
    }
}
