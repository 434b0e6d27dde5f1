package io.bootdesk.http;

import io.bootdesk.core.BootPlanner;
import io.bootdesk.core.BootTracker;
import io.bootdesk.core.Catalog;
import io.bootdesk.core.EventLog;
import io.bootdesk.core.ImageLibrary;
import io.bootdesk.core.Loaders;
import java.io.IOException;

/** HTTP boot server. Skeleton: being implemented. */
public final class HttpBootServer implements AutoCloseable {
    public HttpBootServer(String bindIp, int port, BootPlanner planner, Catalog catalog, ImageLibrary images,
                          Loaders loaders, EventLog events, BootTracker tracker) {
    }

    public void start() throws IOException {
        org.slf4j.LoggerFactory.getLogger(getClass()).warn("HTTP server not implemented yet (development skeleton)");
    }

    @Override
    public void close() {
    }
}
