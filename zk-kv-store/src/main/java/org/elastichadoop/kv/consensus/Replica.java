package org.elastichadoop.kv.consensus;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import org.elastichadoop.kv.wire.Response;

/**
 * One replica of a key as a proposer or reader sees it: this node's own store, or another node over the wire.
 * Answers are the node protocol's responses (see {@link org.elastichadoop.kv.wire.ReplicaState} for ACCEPT,
 * PREPARE, COMMIT and GET); a replica that cannot be reached fails the future.
 */
public interface Replica {
    String id();

    /** Proposes the value in the ballot. The buffer stays the caller's; it is copied before the future completes. */
    CompletableFuture<Response> accept(byte[] key, long ballot, int valueCrc, ByteBuf value);

    CompletableFuture<Response> prepare(byte[] key, long ballot);

    /** The value accepted in the ballot was chosen; with {@code durable} the answer waits until the commit is durable. */
    CompletableFuture<Response> commit(byte[] key, long ballot, int valueCrc, int valueLength, boolean durable);

    /** The replica's own copy: OK with the committed value, PROVISIONAL, NOT_FOUND, DELETED or CORRUPT. */
    CompletableFuture<Response> read(byte[] key);

    /** Stores a value known to be chosen (it replaces a provisional one). The buffer stays the caller's. */
    CompletableFuture<Response> store(byte[] key, int valueCrc, ByteBuf value);

    CompletableFuture<Response> delete(byte[] key);
}
