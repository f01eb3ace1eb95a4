package org.elastichadoop.iscsi.store;

import java.util.concurrent.CompletableFuture;

/**
 * Where a log-structured volume keeps its segments and checkpoints: immutable entries by key.
 *
 * <ul>
 *   <li>{@link #putIfAbsent}: stores the bytes under a new key. Putting the same bytes again is
 *   harmless (a retry); other bytes under an existing key fail with {@link StoreException.Reason#EXISTS}.
 *   A completed put is durable as the backend defines it (zk-kv-store: on the coordinator and its
 *   neighbour).</li>
 *   <li>{@link #get}: the bytes, or null when the key was never stored or was deleted.</li>
 *   <li>{@link #delete}: removes the entry for good; the key cannot be stored again
 *   ({@link StoreException.Reason#DELETED}).</li>
 * </ul>
 * Every call is asynchronous; failures arrive as a {@link StoreException} in the future.
 */
public interface ImmutableStore extends AutoCloseable {

    CompletableFuture<Void> putIfAbsent(String key, byte[] value);

    /** {@link #putIfAbsent(String, byte[])} of the first {@code length} bytes of {@code value}. */
    default CompletableFuture<Void> putIfAbsent(String key, byte[] value, int length) {
        return putIfAbsent(key, length == value.length ? value : java.util.Arrays.copyOf(value, length));
    }

    CompletableFuture<byte[]> get(String key);

    CompletableFuture<Void> delete(String key);

    /** For logs and status output, e.g. "zk-kv-store at 127.0.0.1:2181". */
    String describe();

    @Override
    void close();
}
