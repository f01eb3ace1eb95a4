package org.elastichadoop.kv.node;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.concurrent.Futures;
import org.elastichadoop.kv.storage.CorruptRecordException;
import org.elastichadoop.kv.storage.CorruptValueException;
import org.elastichadoop.kv.storage.DeletedKeyException;
import org.elastichadoop.kv.storage.Entry;
import org.elastichadoop.kv.storage.EntryMeta;
import org.elastichadoop.kv.storage.ImmutableKeyException;
import org.elastichadoop.kv.storage.LogStore;
import org.elastichadoop.kv.wire.GetPayload;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.Op;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;

/** This node's own copy of the data: the store's operations, answered as protocol responses. */
final class LocalStore {
    private static final Logger LOG = LogManager.getLogger(LocalStore.class);

    private final LogStore store;

    LocalStore(LogStore store) {
        this.store = store;
    }

    LogStore store() {
        return store;
    }

    /**
     * Stores the entry durably; OK also when the same bytes were already here. The store has copied the value
     * when this returns, so the caller may release it then.
     */
    CompletableFuture<Status> put(byte[] key, int valueCrc, ByteBuf value) {
        try {
            return store.put(key, value.nioBuffer(), valueCrc)
                    .handle((outcome, error) -> error == null ? Status.OK : statusOf(error));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(statusOf(e));
        }
    }

    CompletableFuture<Status> delete(byte[] key) {
        try {
            return store.delete(key).handle((v, error) -> error == null ? Status.OK : statusOf(error));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(statusOf(e));
        }
    }

    KeyState state(byte[] key) {
        EntryMeta m = store.meta(key);
        if (m == null) {
            return KeyState.ABSENT;
        }
        KeyState.State s = switch (m.state()) {
            case PRESENT -> KeyState.State.PRESENT;
            case TOMBSTONE -> KeyState.State.TOMBSTONE;
            case PROVISIONAL -> KeyState.State.PROVISIONAL;
        };
        return new KeyState(s, m.valueCrc(), m.valueLength(), m.timestamp());
    }

    List<KeyState> states(List<byte[]> keys) {
        List<KeyState> out = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            out.add(state(k));
        }
        return out;
    }

    static Status statusOf(Throwable error) {
        Throwable e = Futures.cause(error);
        if (e instanceof ImmutableKeyException) {
            return Status.IMMUTABLE_KEY;
        }
        if (e instanceof DeletedKeyException) {
            return Status.DELETED;
        }
        if (e instanceof CorruptValueException || e instanceof IllegalArgumentException) {
            return Status.BAD_REQUEST;
        }
        LOG.error("Store operation failed: {}", e.toString());
        return Status.ERROR;
    }
}
