package io.bootdesk.tftp;

import io.bootdesk.core.EventLog;
import io.bootdesk.core.Loaders;
import java.io.IOException;

/** Read-only TFTP server (RFC 1350, 2347-2349, 7440). Skeleton: being implemented. */
public final class TftpServer implements AutoCloseable {
    public TftpServer(String bindIp, int port, Loaders files, EventLog events) {
    }

    public void start() throws IOException {
        org.slf4j.LoggerFactory.getLogger(getClass()).warn("TFTP server not implemented yet (development skeleton)");
    }

    @Override
    public void close() {
    }
}
