package org.elastichadoop.kv.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.wire.Message;
import org.elastichadoop.kv.wire.Response;

/**
 * One TCP connection to a node, carrying many requests at once: each request gets an id, and the
 * response with that id completes its future. A closed connection fails everything pending on it.
 */
public final class NodeConnection extends SimpleChannelInboundHandler<Response> {
    private static final Logger LOG = LogManager.getLogger(NodeConnection.class);

    private final InetSocketAddress address;
    private final ConcurrentHashMap<Long, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile Channel channel;

    NodeConnection(InetSocketAddress address) {
        this.address = address;
    }

    void attach(Channel channel) {
        this.channel = channel;
    }

    public InetSocketAddress address() {
        return address;
    }

    public boolean isActive() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    /** Sends the request built for a fresh id; the future fails on timeout or when the connection drops. */
    public CompletableFuture<Response> send(LongFunction<Message> request, long timeoutMillis) {
        long id = nextId.getAndIncrement();
        CompletableFuture<Response> future = new CompletableFuture<>();
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            future.completeExceptionally(new IOException("no connection to " + address));
            return future;
        }
        pending.put(id, future);
        Message message = request.apply(id);
        // write and arm the timeout in one task on the channel's event loop: one wake-up per request, and the
        // timeout runs even when a stalled peer never lets the write complete
        Runnable sendTask = () -> {
            ch.writeAndFlush(message).addListener(f -> {
                if (!f.isSuccess()) {
                    fail(id, new IOException("write to " + address + " failed", f.cause()));
                }
            });
            ch.eventLoop().schedule(() -> {
                if (pending.containsKey(id)) {
                    fail(id, new TimeoutException("no answer from " + address + " within " + timeoutMillis + " ms"));
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        };
        if (ch.eventLoop().inEventLoop()) {
            sendTask.run();
        } else {
            ch.eventLoop().execute(sendTask);
        }
        return future;
    }

    private void fail(long id, Throwable cause) {
        CompletableFuture<Response> f = pending.remove(id);
        if (f != null) {
            f.completeExceptionally(cause);
        }
    }

    public void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Response response) {
        CompletableFuture<Response> f = pending.remove(response.requestId());
        if (f != null) {
            f.complete(response);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        IOException closed = new IOException("connection to " + address + " closed");
        pending.keySet().forEach(id -> fail(id, closed));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("Connection to {} failed: {}; closing it, the next request reconnects", address, cause.toString());
        ctx.close();
    }
}
