package org.elastichadoop.kv.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.elastichadoop.kv.wire.BallotRequest;
import org.elastichadoop.kv.wire.Flags;
import org.elastichadoop.kv.wire.KeyRequest;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.MalformedFrameException;
import org.elastichadoop.kv.wire.Message;
import org.elastichadoop.kv.wire.MetaPayload;
import org.elastichadoop.kv.wire.MetaRequest;
import org.elastichadoop.kv.wire.Op;
import org.elastichadoop.kv.wire.PutRequest;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.StatsRequest;
import org.elastichadoop.kv.wire.Status;

/** The node protocol's requests, one method each, over {@link Connections}. Used by clients and by nodes. */
public final class PeerClient implements AutoCloseable {
    private final Connections connections;
    private final long timeoutMillis;

    public PeerClient(Connections connections, long timeoutMillis) {
        this.connections = connections;
        this.timeoutMillis = timeoutMillis;
    }

    /** The same connections with another timeout per request (answers a person waits for: status, inspection). */
    public PeerClient withTimeout(long millis) {
        return new PeerClient(connections, millis);
    }

    public CompletableFuture<Response> put(InetSocketAddress node, boolean coordinate, byte[] key, int valueCrc, byte[] value) {
        return put(node, coordinate, key, valueCrc, Unpooled.wrappedBuffer(value));
    }

    /** The value's bytes are copied out when the request is written; the caller keeps ownership of the buffer. */
    public CompletableFuture<Response> put(InetSocketAddress node, boolean coordinate, byte[] key, int valueCrc, ByteBuf value) {
        byte flags = coordinate ? Flags.COORDINATE : 0;
        return send(node, id -> new PutRequest(id, flags, key, valueCrc, value));
    }

    /**
     * A coordinated read ({@code coordinate}: the node asks the key's replicas and answers with the key's value)
     * or the node's own copy (answers PROVISIONAL with a {@link org.elastichadoop.kv.wire.ReplicaState} for a
     * value not yet known to be chosen).
     */
    public CompletableFuture<Response> get(InetSocketAddress node, boolean coordinate, byte[] key) {
        byte flags = coordinate ? Flags.COORDINATE : 0;
        return send(node, id -> new KeyRequest(Op.GET, id, flags, key, 0));
    }

    /**
     * A coordinated read of {@code length} bytes from {@code offset} of the key's value (negative: from its end),
     * answered with a {@link org.elastichadoop.kv.wire.RangePayload}.
     */
    public CompletableFuture<Response> getRange(InetSocketAddress node, byte[] key, long offset, int length) {
        return send(node, id -> KeyRequest.range(id, key, offset, length));
    }

    /** The value as the node's replica holds it, without asking others; {@code epoch} is the asking node's ring epoch. */
    public CompletableFuture<Response> get(InetSocketAddress node, byte[] key, long epoch) {
        return send(node, id -> new KeyRequest(Op.GET, id, (byte) 0, key, epoch));
    }

    /** The value as the node's replica holds it (asked with no ring epoch: fine for inspection, refused by no one). */
    public CompletableFuture<Response> get(InetSocketAddress node, byte[] key) {
        return get(node, key, 0);
    }

    /** A proposal of {@code value} for the key in {@code ballot}; the buffer stays the caller's. */
    public CompletableFuture<Response> accept(InetSocketAddress node, byte[] key, long ballot, long epoch, int valueCrc, ByteBuf value) {
        return send(node, id -> PutRequest.accept(id, key, ballot, epoch, valueCrc, value));
    }

    public CompletableFuture<Response> prepare(InetSocketAddress node, byte[] key, long ballot, long epoch) {
        return send(node, id -> new BallotRequest(Op.PREPARE, id, (byte) 0, key, ballot, epoch, 0, 0));
    }

    public CompletableFuture<Response> commit(InetSocketAddress node, byte[] key, long ballot, long epoch, int valueCrc, int valueLength,
                                              boolean durable) {
        byte flags = durable ? Flags.DURABLE : 0;
        return send(node, id -> new BallotRequest(Op.COMMIT, id, flags, key, ballot, epoch, valueCrc, valueLength));
    }

    public CompletableFuture<Response> delete(InetSocketAddress node, boolean coordinate, byte[] key) {
        byte flags = coordinate ? Flags.COORDINATE : 0;
        return send(node, id -> new KeyRequest(Op.DELETE, id, flags, key));
    }

    /** What the node holds for each key, in the order asked. */
    public CompletableFuture<List<KeyState>> meta(InetSocketAddress node, List<byte[]> keys) {
        return send(node, id -> new MetaRequest(id, keys)).thenApply(r -> {
            if (r.status() != Status.OK) {
                throw new IllegalStateException("META to " + node + " answered " + r.status() + ": " + r.message());
            }
            try {
                return MetaPayload.decode(r.payload());
            } catch (MalformedFrameException e) {
                throw new IllegalStateException("META answer from " + node + " malformed: " + e.getMessage(), e);
            }
        });
    }

    /** The node's figures as JSON. */
    public CompletableFuture<Response> stats(InetSocketAddress node) {
        return send(node, StatsRequest::new);
    }

    private CompletableFuture<Response> send(InetSocketAddress node, LongFunction<Message> request) {
        return connections.send(node, request, timeoutMillis);
    }

    public void forget(InetSocketAddress node) {
        connections.forget(node);
    }

    @Override
    public void close() {
        connections.close();
    }
}
