package org.elastichadoop.kv.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;
import org.elastichadoop.kv.wire.Frames;
import org.elastichadoop.kv.wire.Message;
import org.elastichadoop.kv.wire.Response;

/**
 * Connections to nodes, a few per address, opened on first use and reopened after they drop.
 * Requests are multiplexed, so a handful of connections per node carry any number of callers.
 */
public final class ConnectionPool implements Connections {
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final int perNode;
    private final int connectTimeoutMillis;
    private final ConcurrentHashMap<InetSocketAddress, CompletableFuture<NodeConnection>[]> slots = new ConcurrentHashMap<>();

    public ConnectionPool(int perNode, int connectTimeoutMillis) {
        this(Transport.newGroup(Math.max(2, Runtime.getRuntime().availableProcessors()), "kv-client"), true,
                perNode, connectTimeoutMillis);
    }

    public ConnectionPool(EventLoopGroup group, boolean ownGroup, int perNode, int connectTimeoutMillis) {
        this.group = group;
        this.ownGroup = ownGroup;
        this.perNode = perNode;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public CompletableFuture<Response> send(InetSocketAddress node, LongFunction<Message> request, long timeoutMillis) {
        return get(node).thenCompose(conn -> conn.send(request, timeoutMillis));
    }

    /** A live connection to the address, connecting if needed. */
    public CompletableFuture<NodeConnection> get(InetSocketAddress address) {
        @SuppressWarnings("unchecked")
        CompletableFuture<NodeConnection>[] conns = slots.computeIfAbsent(address, a -> new CompletableFuture[perNode]);
        int i = perNode == 1 ? 0 : ThreadLocalRandom.current().nextInt(perNode);
        synchronized (conns) {
            CompletableFuture<NodeConnection> f = conns[i];
            if (f == null || (f.isDone() && (f.isCompletedExceptionally() || !f.join().isActive()))) {
                f = connect(address);
                conns[i] = f;
            }
            return f;
        }
    }

    private CompletableFuture<NodeConnection> connect(InetSocketAddress address) {
        NodeConnection conn = new NodeConnection(address);
        CompletableFuture<NodeConnection> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(Transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Frames.install(ch.pipeline(), Frames.DEFAULT_MAX_FRAME_BYTES, conn);
                    }
                });
        ChannelFuture cf = b.connect(address);
        cf.addListener(f -> {
            if (f.isSuccess()) {
                conn.attach(cf.channel());
                result.complete(conn);
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    @Override
    public void forget(InetSocketAddress address) {
        CompletableFuture<NodeConnection>[] conns = slots.remove(address);
        if (conns != null) {
            for (CompletableFuture<NodeConnection> f : conns) {
                if (f != null) {
                    f.thenAccept(NodeConnection::close);
                }
            }
        }
    }

    @Override
    public void close() {
        for (InetSocketAddress a : slots.keySet()) {
            forget(a);
        }
        if (ownGroup) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
