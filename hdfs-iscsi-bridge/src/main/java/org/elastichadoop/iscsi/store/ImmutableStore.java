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
 *   <li>{@link #getRange}: part of them. The backend cannot vouch for a part (its checksum covers the whole
 *   value): callers keep their own checksums over the parts and {@link #get} the whole on a mismatch.</li>
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

    /**
     * Bytes {@code [offset, offset + length)} of the value, cut at its end; a negative {@code offset} asks for its
     * last {@code -offset} bytes. Null when the key was never stored or was deleted. This default reads the whole
     * value; a backend that can read part of one overrides it.
     */
    default CompletableFuture<byte[]> getRange(String key, long offset, int length) {
        return get(key).thenApply(value -> value == null ? null : slice(value, offset, length));
    }

    /** The part of {@code value} that {@link #getRange} describes. */
    static byte[] slice(byte[] value, long offset, int length) {
        if (length < 0) throw new IllegalArgumentException("negative length " + length);
        long start = offset < 0 ? Math.max(0, value.length + offset) : Math.min(offset, value.length);
        long end = Math.min(value.length, start + length);
        return java.util.Arrays.copyOfRange(value, (int) start, (int) end);
    }

    CompletableFuture<Void> delete(String key);

    /**
     * Called by a new writer of the entries under {@code prefix + "/"} (a volume's new epoch) before it reads or
     * stores any: a backend whose writers need it (HDFS: one writer per pack directory) fences earlier ones and reads
     * what they stored. Blocks; failures are {@link StoreException}s. The default does nothing.
     */
    default void claim(String prefix) {
    }

    /**
     * Called once every entry under {@code prefix + "/"} was deleted and none will be stored again (a volume deleted):
     * a backend that keeps such entries together removes what holds them. Blocks. The default does nothing.
     */
    default void retire(String prefix) {
    }

    /** For logs and status output, e.g. "zk-kv-store at 127.0.0.1:2181". */
    String describe();

    @Override
    void close();
}
