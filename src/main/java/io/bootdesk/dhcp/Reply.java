package io.bootdesk.dhcp;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A message to send, where, from which local port, and (for an ACK of a new lease) after what: the lease must be
 * on disk before the client is told it has it.
 */
public record Reply(DhcpMessage message, InetSocketAddress to, int fromPort, CompletableFuture<Void> after) {

    public Reply(DhcpMessage message, InetSocketAddress to, int fromPort) {
        this(message, to, fromPort, CompletableFuture.completedFuture(null));
    }
}
