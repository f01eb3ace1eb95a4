package org.elastichadoop.kv.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.elastichadoop.kv.storage.EntryMeta;
import org.elastichadoop.kv.storage.LogStore;
import org.elastichadoop.kv.wire.Op;

/**
 * Durable notes of copies still owed to other nodes ("hinted handoff"), kept in a store of their own.
 * A hint is an empty entry whose key names the target node, the operation and the entry's key; the value
 * itself stays in the main store. A delivered hint is deleted.
 */
final class HintLog implements AutoCloseable {
    record Hint(byte[] hintKey, String target, Op op, byte[] key, long createdAt) {
    }

    private static final int EMPTY_CRC = 0; // CRC32C of no bytes

    private final LogStore store;
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);

    HintLog(LogStore store) {
        this.store = store;
    }

    CompletableFuture<Void> add(String target, Op op, byte[] key) {
        byte[] t = target.getBytes(StandardCharsets.UTF_8);
        ByteBuffer k = ByteBuffer.allocate(1 + t.length + 1 + 8 + key.length);
        k.put((byte) t.length).put(t).put(op.code()).putLong(sequence.incrementAndGet()).put(key);
        return store.put(k.array(), ByteBuffer.allocate(0), EMPTY_CRC).thenApply(o -> null);
    }

    void forEach(Consumer<Hint> action) {
        store.forEachMeta(m -> {
            if (m.state() == EntryMeta.State.PRESENT) {
                Hint h = parse(m.key(), m.timestamp());
                if (h != null) {
                    action.accept(h);
                }
            }
        });
    }

    private static Hint parse(byte[] hintKey, long createdAt) {
        ByteBuffer b = ByteBuffer.wrap(hintKey);
        int tlen = b.get() & 0xff;
        if (b.remaining() < tlen + 9) {
            return null;
        }
        byte[] t = new byte[tlen];
        b.get(t);
        Op op;
        try {
            op = Op.of(b.get());
        } catch (Exception e) {
            return null;
        }
        b.getLong();
        byte[] key = new byte[b.remaining()];
        b.get(key);
        return new Hint(hintKey, new String(t, StandardCharsets.UTF_8), op, key, createdAt);
    }

    CompletableFuture<Void> done(Hint h) {
        return store.delete(h.hintKey());
    }

    long pending() {
        return store.stats().entries();
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
