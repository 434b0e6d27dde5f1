package io.bootdesk.http;

import io.bootdesk.core.BootPlanner;
import io.bootdesk.core.BootTracker;
import io.bootdesk.core.Catalog;
import io.bootdesk.core.EventLog;
import io.bootdesk.core.ImageLibrary;
import io.bootdesk.core.Loaders;
import io.bootdesk.net.PortBinding;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP boot server: per-machine iPXE scripts at {@code /boot/<mac>.ipxe}, image files at
 * {@code /images/<name>/<file>} and iPXE binaries at {@code /ipxe/<file>} (for UEFI HTTP Boot), on the boot
 * interface's address only. Plain HTTP files go out with zero-copy (sendfile).
 */
public final class HttpBootServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpBootServer.class);
    /** A connection nobody uses for this long is closed; transfers in progress are never idle. */
    static final int IDLE_SECONDS = 300;

    private final String bindIp;
    private final int port;
    private final BootHttpHandler.Shared shared;
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    private Channel server;
    private AutoCloseable catalogListener;

    public HttpBootServer(String bindIp, int port, BootPlanner planner, Catalog catalog, ImageLibrary images,
                          Loaders loaders, EventLog events, BootTracker tracker) {
        this.bindIp = bindIp;
        this.port = port;
        this.shared = new BootHttpHandler.Shared(planner, catalog, images, loaders, events, tracker);
    }

    public void start() throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec(8192, 16384, 8192))
                                .addLast(new BootHttpHandler(shared));
                    }
                });
        try {
            server = b.bind(new InetSocketAddress(bindIp, port)).syncUninterruptibly().channel();
        } catch (Exception e) {
            close();
            throw PortBinding.explain("the HTTP boot server", "TCP", bindIp, port, e);
        }
        catalogListener = shared.catalog().onChange(shared::assignmentsChanged);
        log.info("HTTP on {}:{}", bindIp, port);
    }

    /** The bound port (useful when started with port 0). */
    public int port() {
        return server == null ? port : ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (catalogListener != null) {
            try {
                catalogListener.close();
            } catch (Exception ignored) {
                // listener removal cannot fail
            }
        }
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
