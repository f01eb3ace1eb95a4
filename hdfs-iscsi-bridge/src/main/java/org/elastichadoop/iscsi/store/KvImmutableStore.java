package org.elastichadoop.iscsi.store;

import org.elastichadoop.kv.client.KvClient;
import org.elastichadoop.kv.client.KvException;
import org.elastichadoop.kv.concurrent.Futures;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link ImmutableStore} on a zk-kv-store cluster: a put completes once the key's coordinator
 * and its neighbour hold it (W copies), and the rest of its replicas follow in the background.
 * Keys are stored as UTF-8.
 */
public final class KvImmutableStore implements ImmutableStore {
    private final KvClient client;
    private final String description;
    private final boolean owned;

    private KvImmutableStore(KvClient client, String description, boolean owned) {
        this.client = client;
        this.description = description;
        this.owned = owned;
    }

    /** Connects to the cluster registered in ZooKeeper at {@code zkConnect}; closing the store closes the client. */
    public static KvImmutableStore connect(String zkConnect) throws InterruptedException {
        return new KvImmutableStore(KvClient.connect(zkConnect), "zk-kv-store at " + zkConnect, true);
    }

    /** Uses a client the caller owns and closes. */
    public static KvImmutableStore using(KvClient client, String description) {
        return new KvImmutableStore(client, description, false);
    }

    @Override
    public CompletableFuture<Void> putIfAbsent(String key, byte[] value) {
        return translate(client.put(bytes(key), value), key);
    }

    @Override
    public CompletableFuture<Void> putIfAbsent(String key, byte[] value, int length) {
        return translate(client.put(bytes(key), value, 0, length), key);
    }

    @Override
    public CompletableFuture<byte[]> get(String key) {
        return translate(client.get(bytes(key)), key);
    }

    /** Only the range leaves the replica's disk and crosses the network (zk-kv-store's ranged GET). */
    @Override
    public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
        return translate(client.getRange(bytes(key), offset, length), key).thenApply(r -> r == null ? null : r.bytes());
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        return translate(client.delete(bytes(key)), key);
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> CompletableFuture<T> translate(CompletableFuture<T> call, String key) {
        return call.exceptionallyCompose(e -> CompletableFuture.failedFuture(storeException(e, key)));
    }

    private static StoreException storeException(Throwable e, String key) {
        Throwable cause = Futures.cause(e);
        if (cause instanceof KvException kv) {
            StoreException.Reason reason = switch (kv.status()) {
                case IMMUTABLE_KEY -> StoreException.Reason.EXISTS;
                case DELETED -> StoreException.Reason.DELETED;
                case BAD_REQUEST -> StoreException.Reason.REFUSED;
                default -> StoreException.Reason.UNAVAILABLE;
            };
            return new StoreException(reason, key + ": " + kv.getMessage(), kv);
        }
        return new StoreException(StoreException.Reason.UNAVAILABLE, key + ": " + cause, cause);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (!owned) return;
        try {
            client.close();
        } catch (java.io.IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "closing " + description + ": " + e.getMessage(), e);
        }
    }
}
