package org.elastichadoop.kv.node;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.concurrent.Futures;
import org.elastichadoop.kv.consensus.Replica;
import org.elastichadoop.kv.storage.AcceptorState;
import org.elastichadoop.kv.storage.CorruptRecordException;
import org.elastichadoop.kv.storage.DeletedKeyException;
import org.elastichadoop.kv.storage.Entry;
import org.elastichadoop.kv.storage.EntryMeta;
import org.elastichadoop.kv.storage.LogStore;
import org.elastichadoop.kv.storage.ValueRange;
import org.elastichadoop.kv.wire.GetPayload;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.Op;
import org.elastichadoop.kv.wire.RangePayload;
import org.elastichadoop.kv.wire.ReplicaState;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;

/**
 * This node as a replica: the store's consensus rules (see {@link LogStore#accept}) answered as protocol
 * responses, for requests from other nodes and for this node's own proposers alike.
 */
final class Acceptor implements Replica {
    private static final Logger LOG = LogManager.getLogger(Acceptor.class);

    private final String id;
    private final LocalStore local;
    private final java.util.function.LongSupplier ringEpoch;

    Acceptor(String id, LocalStore local, java.util.function.LongSupplier ringEpoch) {
        this.id = id;
        this.local = local;
        this.ringEpoch = ringEpoch;
    }

    /**
     * Whether a request planned under an older ring must be refused: a node joined or left since, so the asking
     * node may not be counting this key's replicas as they are now.
     */
    Response staleRing(Op op, long requestEpoch) {
        long mine = ringEpoch.getAsLong();
        return requestEpoch < mine ? Response.error(op, 0, Status.STALE_RING, "the asking node is on ring epoch "
                + requestEpoch + ", this node on " + mine + "; it retries once it has caught up") : null;
    }

    @Override
    public String id() {
        return id;
    }

    private LogStore store() {
        return local.store();
    }

    @Override
    public CompletableFuture<Response> accept(byte[] key, long ballot, int valueCrc, ByteBuf value) {
        try {
            return store().accept(key, ballot, value.nioBuffer(), valueCrc).handle((vote, error) -> {
                if (error != null) {
                    return failure(Op.ACCEPT, error);
                }
                boolean refused = vote == LogStore.Vote.REFUSED;
                ReplicaState now = state(key, refused);
                return new Response(Op.ACCEPT, 0, refused ? Status.REFUSED : Status.OK, now.encode());
            });
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(Op.ACCEPT, e));
        }
    }

    @Override
    public CompletableFuture<Response> prepare(byte[] key, long ballot) {
        try {
            return store().promise(key, ballot).handle((promised, error) -> error != null ? failure(Op.PREPARE, error)
                    : new Response(Op.PREPARE, 0, promised ? Status.OK : Status.REFUSED, state(key, true).encode()));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(Op.PREPARE, e));
        }
    }

    @Override
    public CompletableFuture<Response> commit(byte[] key, long ballot, int valueCrc, int valueLength, boolean durable) {
        try {
            return store().commit(key, ballot, valueCrc, valueLength, durable).handle((done, error) -> error != null
                    ? failure(Op.COMMIT, error)
                    : new Response(Op.COMMIT, 0, done ? Status.OK : Status.REFUSED, state(key, false).encode()));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(Op.COMMIT, e));
        }
    }

    @Override
    public CompletableFuture<Response> read(byte[] key) {
        return CompletableFuture.completedFuture(readNow(key));
    }

    Response readNow(byte[] key) {
        return readLocally(key, true, () -> {
            Entry e = store().get(key);
            return e == null ? null : new GetPayload(e.valueCrc(), e.timestamp(), e.value()).encode();
        });
    }

    /**
     * Part of this replica's committed value, as a {@link RangePayload}; anything else is answered as by
     * {@link #readNow} (a provisional value without its bytes). The part is not checked against the value's CRC
     * (see {@link LogStore#getRange}); a damaged header is, and answers CORRUPT.
     */
    Response readRangeNow(byte[] key, long offset, int length) {
        return readLocally(key, false, () -> {
            ValueRange r = store().getRange(key, offset, length);
            return r == null ? null
                    : new RangePayload(r.valueLength(), r.valueCrc(), r.timestamp(), r.offset(), r.bytes()).encode();
        });
    }

    /** Reads the committed value's answer, or null when this replica holds no committed value. */
    @FunctionalInterface
    private interface CommittedRead {
        byte[] payload() throws IOException;
    }

    /**
     * OK with what {@code read} found, or what this replica holds instead: PROVISIONAL with its state (the value's
     * bytes too if {@code provisionalBytes}), DELETED or NOT_FOUND.
     */
    private Response readLocally(byte[] key, boolean provisionalBytes, CommittedRead read) {
        try {
            byte[] found = read.payload();
            if (found != null) {
                return Response.ok(Op.GET, 0, found);
            }
            ReplicaState s = state(key, provisionalBytes);
            return switch (s.state()) {
                case PROVISIONAL -> new Response(Op.GET, 0, Status.PROVISIONAL, s.encode());
                case TOMBSTONE -> Response.of(Op.GET, 0, Status.DELETED);
                case PRESENT -> readLocally(key, provisionalBytes, read); // committed between the two looks
                case ABSENT -> Response.of(Op.GET, 0, Status.NOT_FOUND);
            };
        } catch (CorruptRecordException e) {
            LOG.error("Corrupt copy of a key on disk ({}); it is dropped here and will be repaired from a replica", e.getMessage());
            return Response.error(Op.GET, 0, Status.CORRUPT, e.getMessage());
        } catch (Exception e) {
            LOG.error("Read failed: {}", e.toString());
            return Response.error(Op.GET, 0, Status.ERROR, e.toString());
        }
    }

    @Override
    public CompletableFuture<Response> store(byte[] key, int valueCrc, ByteBuf value) {
        return local.put(key, valueCrc, value).thenApply(s -> status(Op.PUT, s));
    }

    @Override
    public CompletableFuture<Response> delete(byte[] key) {
        return local.delete(key).thenApply(s -> status(Op.DELETE, s));
    }

    /** What this replica holds now, with the value's bytes if {@code withValue} and it holds one. */
    ReplicaState state(byte[] key, boolean withValue) {
        AcceptorState a = store().acceptorState(key);
        EntryMeta held = a.held();
        if (held == null) {
            return new ReplicaState(KeyState.State.ABSENT, 0, a.promised(), 0, 0, null);
        }
        KeyState.State s = switch (held.state()) {
            case PRESENT -> KeyState.State.PRESENT;
            case TOMBSTONE -> KeyState.State.TOMBSTONE;
            case PROVISIONAL -> KeyState.State.PROVISIONAL;
        };
        long ballot = s == KeyState.State.PROVISIONAL ? held.timestamp() : 0;
        byte[] value = null;
        if (withValue && s != KeyState.State.TOMBSTONE) {
            try {
                Entry e = store().getHeld(key);
                if (e != null && e.valueCrc() == held.valueCrc() && e.value().length == held.valueLength()) {
                    value = e.value();
                }
            } catch (Exception e) {
                LOG.warn("Could not read the value held for a key ({}); answering without it", e.toString());
            }
        }
        return new ReplicaState(s, ballot, a.promised(), held.valueCrc(), held.valueLength(), value);
    }

    static Response status(Op op, Status s) {
        return s == Status.OK ? Response.ok(op, 0) : Response.error(op, 0, s, s.name());
    }

    private static Response failure(Op op, Throwable error) {
        Throwable e = Futures.cause(error);
        if (e instanceof DeletedKeyException) {
            return Response.error(op, 0, Status.DELETED, e.getMessage());
        }
        Status s = LocalStore.statusOf(e);
        return Response.error(op, 0, s, String.valueOf(e.getMessage()));
    }
}
