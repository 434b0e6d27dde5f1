package io.bootdesk.http;

import io.bootdesk.core.BootPlanner;
import io.bootdesk.core.BootTracker;
import io.bootdesk.core.Catalog;
import io.bootdesk.core.Channel;
import io.bootdesk.core.EventLog;
import io.bootdesk.core.ImageLibrary;
import io.bootdesk.core.Loaders;
import io.bootdesk.net.PortBinding;
import io.bootdesk.pki.CertificateAuthority;
import io.bootdesk.pki.ServerIdentity;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP boot server: per-machine iPXE scripts at {@code /boot/<mac>.ipxe}, image files at
 * {@code /images/<name>/<file>}, iPXE binaries at {@code /ipxe/<file>} (for UEFI HTTP Boot) and the CA's
 * {@code /ca/} endpoints (CRL, OCSP, crosscert, the root certificate), on the boot interface's address only; on up
 * to three listeners: plain HTTP, server-authenticated HTTPS and mutual TLS. Plain HTTP files go out with zero-copy
 * (sendfile), HTTPS files in large chunks.
 */
public final class HttpBootServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpBootServer.class);
    /** A connection nobody uses for this long is closed; transfers in progress are never idle. */
    static final int IDLE_SECONDS = 300;
    /** The largest request body accepted (OCSP requests are a few hundred bytes). */
    static final int MAX_BODY = 64 * 1024;

    private final HttpConfig config;
    private final BootHttpHandler.Shared shared;
    private final CertificateAuthority ca;
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    /** Concurrent: {@link #listening} is read without the lock (the window asks from its UI thread). */
    private final Map<Channel, io.netty.channel.Channel> listeners = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each listener's open connections, so stopping one listener ends its transfers too. */
    private final Map<Channel, ChannelGroup> connections = new EnumMap<>(Channel.class);
    private final Map<Channel, Integer> bound = new EnumMap<>(Channel.class);
    private volatile SslContext httpsContext;
    private volatile SslContext mtlsContext;
    private AutoCloseable catalogListener;

    /** Plain HTTP only. */
    public HttpBootServer(String bindIp, int port, BootPlanner planner, Catalog catalog, ImageLibrary images,
                          Loaders loaders, EventLog events, BootTracker tracker) {
        this(HttpConfig.plain(bindIp, port), planner, catalog, images, loaders, events, tracker, null, null);
    }

    /**
     * @param ca       the certificate authority (mTLS verification, /ca/ endpoints); null when TLS is off
     * @param identity the server certificate for the TLS listeners; null when TLS is off
     */
    public HttpBootServer(HttpConfig config, BootPlanner planner, Catalog catalog, ImageLibrary images, Loaders loaders,
                          EventLog events, BootTracker tracker, CertificateAuthority ca, ServerIdentity identity) {
        this.config = config;
        this.ca = ca;
        this.shared = new BootHttpHandler.Shared(planner, catalog, images, loaders, events, tracker, ca,
                ca == null ? null : new ClientVerifier(ca, events::certificateVerified));
        if (config.tls()) {
            if (ca == null || identity == null) {
                throw new IllegalArgumentException("HTTPS needs the certificate authority and a server certificate");
            }
            if (config.legacyRsa()) {
                TlsContexts.enableLegacyRsa();
            }
            useIdentity(identity);
        }
    }

    /** Presents a new server certificate to new connections (after the boot interface's addresses changed). */
    public void useIdentity(ServerIdentity identity) {
        try {
            httpsContext = TlsContexts.server(identity, config.legacyRsa());
            mtlsContext = TlsContexts.mutual(identity, ca.root(), config.legacyRsa());
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS context from " + identity + ": " + e.getMessage(), e);
        }
    }

    public void start() throws IOException {
        try {
            for (Channel c : configured()) {
                listen(c, configuredPort(c));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        catalogListener = shared.catalog().onChange(shared::assignmentsChanged);
    }

    /** The listeners this server was configured with: plain HTTP, and HTTPS and mutual TLS when they have a port. */
    public java.util.Set<Channel> configured() {
        java.util.Set<Channel> s = java.util.EnumSet.of(Channel.HTTP);
        if (config.httpsPort() > 0) {
            s.add(Channel.HTTPS);
        }
        if (config.mtlsPort() > 0) {
            s.add(Channel.MTLS);
        }
        return s;
    }

    private int configuredPort(Channel c) {
        return switch (c) {
            case HTTP -> config.httpPort();
            case HTTPS -> config.httpsPort();
            case MTLS -> config.mtlsPort();
        };
    }

    /** Whether {@code channel}'s listener is bound now. */
    public boolean listening(Channel channel) {
        return listeners.containsKey(channel);
    }

    /**
     * Closes one listener and its open connections (transfers on it end); the others keep serving. The port is free
     * when this returns. Does nothing when it is not listening.
     */
    public synchronized void stop(Channel channel) {
        io.netty.channel.Channel l = listeners.remove(channel);
        if (l == null) {
            return;
        }
        l.close().syncUninterruptibly();
        ChannelGroup open = connections.remove(channel);
        if (open != null) {
            open.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        log.info("{} stopped (port {})", describe(channel), bound.get(channel));
    }

    /** Binds one configured listener again on the port it had (or its configured port); nothing if it listens. */
    public synchronized void start(Channel channel) throws IOException {
        if (!configured().contains(channel)) {
            throw new IllegalStateException(describe(channel) + " is not configured on this server");
        }
        if (listeners.containsKey(channel)) {
            return;
        }
        int port = configuredPort(channel);
        listen(channel, port == 0 ? bound.getOrDefault(channel, 0) : port);
    }

    private static String describe(Channel channel) {
        return switch (channel) {
            case HTTP -> "HTTP";
            case HTTPS -> "HTTPS";
            case MTLS -> "HTTPS with client certificates (mutual TLS)";
        };
    }

    private synchronized void listen(Channel channel, int port) throws IOException {
        ChannelGroup open = new DefaultChannelGroup(channel.name().toLowerCase(java.util.Locale.ROOT) + "-connections",
                GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        open.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (channel == Channel.HTTPS) {
                            p.addLast(httpsContext.newHandler(ch.alloc()));
                        } else if (channel == Channel.MTLS) {
                            p.addLast(mtlsContext.newHandler(ch.alloc()));
                        }
                        p.addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec(8192, 16384, 8192))
                                .addLast(new HttpObjectAggregator(MAX_BODY))
                                .addLast(new ChunkedWriteHandler())
                                .addLast(new BootHttpHandler(shared, channel));
                    }
                });
        try {
            io.netty.channel.Channel server = b.bind(new InetSocketAddress(config.bindIp(), port)).syncUninterruptibly().channel();
            listeners.put(channel, server);
            connections.put(channel, open);
            bound.put(channel, ((InetSocketAddress) server.localAddress()).getPort());
            log.info("{} on {}:{}", describe(channel), config.bindIp(), bound.get(channel));
        } catch (Exception e) {
            throw PortBinding.explain("the " + channel.name() + " boot server", "TCP", config.bindIp(), port, e);
        }
    }

    /** The bound port of the plain HTTP listener (useful when started with port 0). */
    public int port() {
        return port(Channel.HTTP);
    }

    public int port(Channel channel) {
        return bound.getOrDefault(channel, 0);
    }

    @Override
    public synchronized void close() {
        if (catalogListener != null) {
            try {
                catalogListener.close();
            } catch (Exception ignored) {
                // listener removal cannot fail
            }
        }
        for (io.netty.channel.Channel l : listeners.values()) {
            l.close().syncUninterruptibly();
        }
        listeners.clear();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
