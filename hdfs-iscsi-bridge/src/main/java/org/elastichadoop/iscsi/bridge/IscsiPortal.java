package org.elastichadoop.iscsi.bridge;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.fullfeature.FullFeatureHandler;
import org.elastichadoop.iscsi.login.LoginHandler;
import org.elastichadoop.iscsi.session.Connection;
import org.elastichadoop.iscsi.session.Session;
import org.elastichadoop.iscsi.session.SessionRegistry;
import org.elastichadoop.iscsi.session.TargetDirectory;
import org.elastichadoop.iscsi.session.TargetSettings;
import org.elastichadoop.iscsi.wire.DigestSettings;
import org.elastichadoop.iscsi.wire.PduDecoder;
import org.elastichadoop.iscsi.wire.PduEncoder;

import java.net.InetSocketAddress;

/**
 * The TCP listener: each accepted connection gets a PDU decoder and encoder, starts in the login
 * phase and moves to the full feature phase once login succeeds.
 */
final class IscsiPortal implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(IscsiPortal.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;

    IscsiPortal(InetSocketAddress address, TargetDirectory directory, SessionRegistry sessions,
                TargetSettings settings, int loginTimeoutSeconds, int eventLoops) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        boss = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(eventLoops, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerSocketChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(type)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 << 20, 16 << 20))
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        DigestSettings digests = new DigestSettings();
                        PduDecoder decoder = new PduDecoder(digests);
                        ch.pipeline().addLast("flush", new FlushConsolidationHandler(64, true));
                        ch.pipeline().addLast("decoder", decoder);
                        ch.pipeline().addLast("encoder", new PduEncoder(digests));
                        ch.pipeline().addLast("login", new LoginHandler(directory, sessions, settings, digests, decoder,
                                (ChannelHandlerContext ctx, Session session, Connection connection) ->
                                        ctx.pipeline().replace("login", "full-feature",
                                                new FullFeatureHandler(session, connection, sessions, directory, settings)),
                                loginTimeoutSeconds));
                    }
                });
        try {
            server = bootstrap.bind(address).sync().channel();
        } catch (Exception e) {
            close();
            throw new PortalException("cannot listen on " + address + ": " + e.getMessage()
                    + " (is another target using the port? choose another with --port or 'portal' in the config)", e);
        }
        LOG.info("iSCSI portal listening on {} ({})", server.localAddress(), epoll ? "epoll" : "nio");
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        if (server != null) server.close().syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
