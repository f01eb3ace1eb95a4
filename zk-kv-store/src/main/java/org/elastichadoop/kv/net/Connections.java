package org.elastichadoop.kv.net;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.elastichadoop.kv.wire.Message;
import org.elastichadoop.kv.wire.Response;

/**
 * How requests reach nodes: {@link ConnectionPool} multiplexes many callers over pooled Netty connections in a
 * long-lived process; {@link BlockingConnections} sends one request at a time over plain sockets, for a command
 * that makes a request or two and exits.
 */
public interface Connections extends AutoCloseable {
    /** Sends the request built for a fresh id; the future fails on timeout or when the connection drops. */
    CompletableFuture<Response> send(InetSocketAddress node, LongFunction<Message> request, long timeoutMillis);

    /** Drops the connections to an address (a node that left). */
    void forget(InetSocketAddress node);

    @Override
    void close();
}
