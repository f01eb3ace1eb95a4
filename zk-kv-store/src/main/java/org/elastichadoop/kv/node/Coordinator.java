package org.elastichadoop.kv.node;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.cluster.Membership;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.cluster.Placement;
import org.elastichadoop.kv.cluster.Ring;
import org.elastichadoop.kv.cluster.Settings;
import org.elastichadoop.kv.consensus.Choice;
import org.elastichadoop.kv.consensus.Outcome;
import org.elastichadoop.kv.consensus.Proposer;
import org.elastichadoop.kv.consensus.Reader;
import org.elastichadoop.kv.consensus.Delays;
import org.elastichadoop.kv.consensus.RemoteReplica;
import org.elastichadoop.kv.consensus.Replica;
import org.elastichadoop.kv.consensus.ReplicaSet;
import org.elastichadoop.kv.consensus.Tombstones;
import org.elastichadoop.kv.net.PeerClient;
import org.elastichadoop.kv.storage.Key;
import org.elastichadoop.kv.storage.RangeBounds;
import org.elastichadoop.kv.wire.GetPayload;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.Op;
import org.elastichadoop.kv.wire.RangePayload;
import org.elastichadoop.kv.wire.ReplicaState;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;

/**
 * Client requests this node coordinates. A key's replicas are the first RF nodes of its preference list over
 * the ring (not the live nodes: a node that is down or paused keeps its place, so every coordinator asks the
 * same RF replicas; while a node joins or leaves, the key's next replicas too). Puts are decided by a {@link Proposer}, reads by a {@link Reader},
 * deletes by {@link Tombstones}; a copy a replica could not take is recorded as a hint.
 */
final class Coordinator {
    private static final Logger LOG = LogManager.getLogger(Coordinator.class);

    private final String selfId;
    private final Membership membership;
    private final Acceptor self;
    private final PeerClient peers;
    private final HintLog hints;
    private final long timeoutMillis;

    Coordinator(String selfId, Membership membership, Acceptor self, PeerClient peers, HintLog hints, long timeoutMillis) {
        this.selfId = selfId;
        this.membership = membership;
        this.self = self;
        this.peers = peers;
        this.hints = hints;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The key's replicas under the ring as this node last saw it: the first RF of the ring's nodes by preference,
     * and while a node joins or leaves also the first RF of the next ring's. Before any ring exists (a cluster from
     * before rings), every member.
     */
    ReplicaSet replicasOf(byte[] key) {
        Ring ring = membership.ring();
        if (ring.epoch() == 0) {
            return ReplicaSet.of(top(key, membership.members(), 0));
        }
        List<Replica> current = top(key, nodes(ring.current()), ring.epoch());
        if (!ring.isJoint()) {
            return ReplicaSet.of(current);
        }
        // a node leaving the ring was removed by an operator as lost for good (kvctl remove-node refuses live nodes)
        java.util.Set<String> gone = new java.util.HashSet<>(ring.current());
        gone.removeAll(ring.next());
        return ReplicaSet.joint(current, top(key, nodes(ring.next()), ring.epoch())).withGone(gone);
    }

    private List<NodeInfo> nodes(List<String> ids) {
        List<NodeInfo> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            NodeInfo n = membership.member(id);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    private List<Replica> top(byte[] key, java.util.Collection<NodeInfo> nodes, long epoch) {
        int rf = membership.settings().replicationFactor();
        List<NodeInfo> pref = Placement.preferenceList(key, nodes);
        List<Replica> out = new ArrayList<>(rf);
        for (NodeInfo n : pref.subList(0, Math.min(rf, pref.size()))) {
            out.add(n.id().equals(selfId) ? self : new RemoteReplica(n, peers, epoch));
        }
        return out;
    }

    /** Whether every replica set of the key has its RF replicas (a young cluster may have fewer nodes). */
    private boolean complete(ReplicaSet set, Settings settings) {
        return set.configs().stream().allMatch(c -> c.size() >= settings.replicationFactor());
    }

    /** The value's buffer is retained for as long as it is needed; the caller may release its own reference on return. */
    CompletableFuture<Response> put(long requestId, byte[] key, int valueCrc, ByteBuf value) {
        ReplicaState held = self.state(key, false);
        if (held.state() == KeyState.State.PRESENT && !held.holds(valueCrc, value.readableBytes())) {
            return done(Response.error(Op.PUT, requestId, Status.IMMUTABLE_KEY, "immutable key " + Key.render(key) + ": it holds other bytes"));
        }
        Settings settings = membership.settings();
        if (!complete(replicasOf(key), settings)) {
            return done(unavailable(Op.PUT, requestId, settings));
        }
        value.retain(); // a round planned again under a newer ring sends it after the request's own reference is gone
        return planned(set -> Proposer.propose(set, choice(settings), key, valueCrc, value, timeoutMillis, owed(Op.PUT, key)),
                key, System.nanoTime())
                .whenComplete((o, e) -> value.release())
                .thenApply(o -> switch (o.kind()) {
                    case CHOSEN -> Response.ok(Op.PUT, requestId);
                    case OTHER_CHOSEN -> Response.error(Op.PUT, requestId, Status.IMMUTABLE_KEY,
                            "immutable key " + Key.render(key) + ": it holds other bytes");
                    case DELETED -> Response.error(Op.PUT, requestId, Status.DELETED,
                            "key " + Key.render(key) + " was deleted; deleted keys are not reused");
                    case BAD_REQUEST -> Response.error(Op.PUT, requestId, Status.BAD_REQUEST, o.message());
                    case NOTHING, UNKNOWN, STALE_RING -> Response.error(Op.PUT, requestId, Status.UNAVAILABLE,
                            "not acknowledged, and it may still take effect: " + o.message());
                });
    }

    /**
     * Runs a decision on the key's replicas as the ring stands; a replica that knows a newer ring refuses it, and the
     * decision is planned again once this node has caught up (until the request timeout).
     */
    private CompletableFuture<Outcome> planned(Function<ReplicaSet, CompletableFuture<Outcome>> run, byte[] key, long startNanos) {
        long epoch = membership.ring().epoch();
        return run.apply(replicasOf(key)).thenCompose(o -> {
            if (o.kind() != Outcome.Kind.STALE_RING || System.nanoTime() - startNanos > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
                return CompletableFuture.completedFuture(o);
            }
            return newerRingThan(epoch).thenCompose(x -> planned(run, key, startNanos));
        });
    }

    /** Completes once this node sees a ring newer than {@code epoch}, or after a second. */
    private CompletableFuture<Void> newerRingThan(long epoch) {
        CompletableFuture<Void> seen = new CompletableFuture<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (membership.ring().epoch() > epoch || System.nanoTime() > until) {
                seen.complete(null);
            } else {
                Delays.schedule(check[0], 20, TimeUnit.MILLISECONDS);
            }
        };
        check[0].run();
        return seen;
    }

    CompletableFuture<Response> get(long requestId, byte[] key) {
        return read(requestId, key, () -> self.readNow(key), v -> new GetPayload(v.valueCrc(), 0, v.value()).encode());
    }

    /**
     * Part of the key's value, as a {@link RangePayload}: from this node's committed copy when it is a replica that
     * holds one (only the range is read from disk), otherwise sliced from the whole value read as {@link #get} does.
     */
    CompletableFuture<Response> getRange(long requestId, byte[] key, long offset, int length) {
        return read(requestId, key, () -> self.readRangeNow(key, offset, length), v -> {
            RangeBounds r = RangeBounds.of(offset, length, v.value().length);
            return new RangePayload(v.value().length, v.valueCrc(), 0, r.offset(),
                    Arrays.copyOfRange(v.value(), r.offset(), r.end())).encode();
        });
    }

    /**
     * Answers from {@code local} (this node's own copy) if this node is a replica and it holds the committed value
     * or a tombstone; otherwise reads the key from its replicas, and {@code found} makes the answer's payload from
     * the value they chose.
     */
    private CompletableFuture<Response> read(long requestId, byte[] key, Supplier<Response> local,
                                             Function<ReplicaState, byte[]> found) {
        Settings settings = membership.settings();
        ReplicaSet replicas = replicasOf(key);
        if (replicas.contains(self)) {
            Response mine = local.get();
            if (mine.status() == Status.OK || mine.status() == Status.DELETED) {
                return done(mine.withId(requestId));
            }
        }
        if (!complete(replicas, settings)) {
            return done(unavailable(Op.GET, requestId, settings));
        }
        return planned(set -> Reader.read(set, choice(settings), key, timeoutMillis, owed(Op.PUT, key)), key, System.nanoTime())
                .thenApply(o -> switch (o.kind()) {
            case CHOSEN, OTHER_CHOSEN -> Response.ok(Op.GET, requestId, found.apply(o.value()));
            case NOTHING -> Response.of(Op.GET, requestId, Status.NOT_FOUND);
            case DELETED -> Response.of(Op.GET, requestId, Status.DELETED);
            case BAD_REQUEST, UNKNOWN, STALE_RING -> Response.error(Op.GET, requestId, Status.UNAVAILABLE,
                    "too few replicas answered to tell the key's value: " + o.message());
        });
    }

    CompletableFuture<Response> delete(long requestId, byte[] key) {
        Settings settings = membership.settings();
        if (!complete(replicasOf(key), settings)) {
            return done(unavailable(Op.DELETE, requestId, settings));
        }
        return planned(set -> Tombstones.delete(set, choice(settings), key, owed(Op.DELETE, key)), key, System.nanoTime()).thenApply(o ->
                o.kind() == Outcome.Kind.CHOSEN ? Response.ok(Op.DELETE, requestId)
                        : Response.error(Op.DELETE, requestId, Status.UNAVAILABLE, o.message()));
    }

    private static Choice choice(Settings s) {
        return new Choice(s.replicationFactor(), s.syncCopies());
    }

    private Response unavailable(Op op, long requestId, Settings settings) {
        return Response.error(op, requestId, Status.UNAVAILABLE, "RF=" + settings.replicationFactor()
                + " replicas are needed but the ring has " + membership.ring().current().size() + " nodes");
    }

    /** A replica that could not take its copy is owed one: a durable hint, delivered when it is back. */
    private Consumer<Replica> owed(Op op, byte[] key) {
        return r -> {
            if (r == self) {
                return;
            }
            hints.add(r.id(), op, key).exceptionally(e -> {
                LOG.warn("Could not record a hint for {} ({}); anti-entropy will copy the entry instead", r.id(), e.getMessage());
                return null;
            });
        };
    }

    private static CompletableFuture<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }
}
