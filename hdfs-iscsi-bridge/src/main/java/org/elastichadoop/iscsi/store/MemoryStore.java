package org.elastichadoop.iscsi.store;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** An {@link ImmutableStore} in this JVM's memory, for tests and what-if runs; nothing survives it. */
public final class MemoryStore implements ImmutableStore {
    private static final byte[] DELETED = new byte[0];

    private final Map<String, byte[]> entries = new ConcurrentHashMap<>();
    private final AtomicLong storedBytes = new AtomicLong();
    private final AtomicLong gets = new AtomicLong();
    private final java.util.Map<String, AtomicLong> getsByKind = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, AtomicLong> rangesByKind = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, AtomicLong> bytesReadByKind = new java.util.concurrent.ConcurrentHashMap<>();
    private final long getLatencyMillis;

    public MemoryStore() {
        this(0);
    }

    /** A store whose gets answer after {@code getLatencyMillis}, on another thread, as a remote store would. */
    public MemoryStore(long getLatencyMillis) {
        this.getLatencyMillis = getLatencyMillis;
    }

    @Override
    public CompletableFuture<Void> putIfAbsent(String key, byte[] value) {
        if (key.isEmpty()) return CompletableFuture.failedFuture(new StoreException(StoreException.Reason.REFUSED, "empty key"));
        byte[] copy = value.clone();
        byte[] before = entries.putIfAbsent(key, copy);
        if (before == null) {
            storedBytes.addAndGet(copy.length);
            return CompletableFuture.completedFuture(null);
        }
        if (before == DELETED) {
            return CompletableFuture.failedFuture(new StoreException(StoreException.Reason.DELETED, key + " was deleted"));
        }
        if (!Arrays.equals(before, value)) {
            return CompletableFuture.failedFuture(new StoreException(StoreException.Reason.EXISTS, key + " holds other bytes"));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<byte[]> get(String key) {
        gets.incrementAndGet();
        getsByKind.computeIfAbsent(kind(key), k -> new AtomicLong()).incrementAndGet();
        if (getLatencyMillis > 0) {
            return CompletableFuture.supplyAsync(() -> read(key),
                    CompletableFuture.delayedExecutor(getLatencyMillis, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        return CompletableFuture.completedFuture(read(key));
    }

    /** Reads only the part asked for (counted apart from whole gets), as a store that reads ranges would. */
    @Override
    public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
        rangesByKind.computeIfAbsent(kind(key), k -> new AtomicLong()).incrementAndGet();
        if (getLatencyMillis > 0) {
            return CompletableFuture.supplyAsync(() -> readRange(key, offset, length),
                    CompletableFuture.delayedExecutor(getLatencyMillis, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        return CompletableFuture.completedFuture(readRange(key, offset, length));
    }

    private byte[] readRange(String key, long offset, int length) {
        byte[] value = entries.get(key);
        if (value == null || value == DELETED) return null;
        byte[] part = ImmutableStore.slice(value, offset, length);
        bytesReadByKind.computeIfAbsent(kind(key), k -> new AtomicLong()).addAndGet(part.length);
        return part;
    }

    private byte[] read(String key) {
        byte[] value = entries.get(key);
        if (value == null || value == DELETED) return null;
        bytesReadByKind.computeIfAbsent(kind(key), k -> new AtomicLong()).addAndGet(value.length);
        return value.clone();
    }

    /** Gets asked of this store so far. */
    public long gets() {
        return gets.get();
    }

    /** Gets of keys of one kind: the path element after the first, e.g. "s" for a volume's segments ("ID/s/..."). */
    public long gets(String kind) {
        AtomicLong n = getsByKind.get(kind);
        return n == null ? 0 : n.get();
    }

    /** Ranged gets of keys of one kind (see {@link #gets(String)}). */
    public long ranges(String kind) {
        AtomicLong n = rangesByKind.get(kind);
        return n == null ? 0 : n.get();
    }

    /** Value bytes that gets and ranged gets of keys of one kind have returned so far. */
    public long bytesRead(String kind) {
        AtomicLong n = bytesReadByKind.get(kind);
        return n == null ? 0 : n.get();
    }

    private static String kind(String key) {
        String[] parts = key.split("/", 3);
        return parts.length > 1 ? parts[1] : "";
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        byte[] before = entries.put(key, DELETED);
        if (before != null && before != DELETED) storedBytes.addAndGet(-before.length);
        return CompletableFuture.completedFuture(null);
    }

    /** Bytes held by live entries. */
    public long storedBytes() {
        return storedBytes.get();
    }

    /** Keys of the live entries, sorted. */
    public java.util.SortedSet<String> keys() {
        java.util.SortedSet<String> keys = new java.util.TreeSet<>();
        entries.forEach((k, v) -> {
            if (v != DELETED) keys.add(k);
        });
        return keys;
    }

    /** Live entries. */
    public long entryCount() {
        return entries.values().stream().filter(v -> v != DELETED).count();
    }

    @Override
    public String describe() {
        return "memory store";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
