package org.elastichadoop.kv.node;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.cluster.Membership;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.cluster.Placement;
import org.elastichadoop.kv.cluster.Settings;
import org.elastichadoop.kv.consensus.Choice;
import org.elastichadoop.kv.consensus.Outcome;
import org.elastichadoop.kv.consensus.Proposer;
import org.elastichadoop.kv.consensus.Reader;
import org.elastichadoop.kv.consensus.RemoteReplica;
import org.elastichadoop.kv.consensus.Replica;
import org.elastichadoop.kv.consensus.Tombstones;
import org.elastichadoop.kv.net.PeerClient;
import org.elastichadoop.kv.storage.Key;
import org.elastichadoop.kv.wire.GetPayload;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.Op;
import org.elastichadoop.kv.wire.ReplicaState;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;

/**
 * Client requests this node coordinates. A key's replicas are the first RF members of its preference list over
 * the cluster's members (not its live nodes: a node that is down or paused keeps its place, so every
 * coordinator asks the same RF replicas). Puts are decided by a {@link Proposer}, reads by a {@link Reader},
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

    /** The key's RF replicas, best first; fewer when the cluster has fewer members. */
    List<Replica> replicasOf(byte[] key) {
        int rf = membership.settings().replicationFactor();
        List<NodeInfo> pref = Placement.preferenceList(key, membership.members());
        List<Replica> out = new ArrayList<>(rf);
        for (NodeInfo n : pref.subList(0, Math.min(rf, pref.size()))) {
            out.add(n.id().equals(selfId) ? self : new RemoteReplica(n, peers));
        }
        return out;
    }

    /** The value's bytes are copied before this returns; the caller may release the buffer then. */
    CompletableFuture<Response> put(long requestId, byte[] key, int valueCrc, ByteBuf value) {
        ReplicaState held = self.state(key, false);
        if (held.state() == KeyState.State.PRESENT && !held.holds(valueCrc, value.readableBytes())) {
            return done(Response.error(Op.PUT, requestId, Status.IMMUTABLE_KEY, "immutable key " + Key.render(key) + ": it holds other bytes"));
        }
        Settings settings = membership.settings();
        List<Replica> replicas = replicasOf(key);
        if (replicas.size() < settings.replicationFactor()) {
            return done(unavailable(Op.PUT, requestId, settings));
        }
        return Proposer.propose(replicas, choice(settings), key, valueCrc, value, timeoutMillis, owed(Op.PUT, key))
                .thenApply(o -> switch (o.kind()) {
                    case CHOSEN -> Response.ok(Op.PUT, requestId);
                    case OTHER_CHOSEN -> Response.error(Op.PUT, requestId, Status.IMMUTABLE_KEY,
                            "immutable key " + Key.render(key) + ": it holds other bytes");
                    case DELETED -> Response.error(Op.PUT, requestId, Status.DELETED,
                            "key " + Key.render(key) + " was deleted; deleted keys are not reused");
                    case BAD_REQUEST -> Response.error(Op.PUT, requestId, Status.BAD_REQUEST, o.message());
                    case NOTHING, UNKNOWN -> Response.error(Op.PUT, requestId, Status.UNAVAILABLE,
                            "not acknowledged, and it may still take effect: " + o.message());
                });
    }

    CompletableFuture<Response> get(long requestId, byte[] key) {
        Settings settings = membership.settings();
        List<Replica> replicas = replicasOf(key);
        if (replicas.contains(self)) {
            Response local = self.readNow(key);
            if (local.status() == Status.OK || local.status() == Status.DELETED) {
                return done(local.withId(requestId));
            }
        }
        if (replicas.size() < settings.replicationFactor()) {
            return done(unavailable(Op.GET, requestId, settings));
        }
        return Reader.read(replicas, choice(settings), key, timeoutMillis, owed(Op.PUT, key)).thenApply(o -> switch (o.kind()) {
            case CHOSEN, OTHER_CHOSEN -> Response.ok(Op.GET, requestId, new GetPayload(o.value().valueCrc(), 0, o.value().value()).encode());
            case NOTHING -> Response.of(Op.GET, requestId, Status.NOT_FOUND);
            case DELETED -> Response.of(Op.GET, requestId, Status.DELETED);
            case BAD_REQUEST, UNKNOWN -> Response.error(Op.GET, requestId, Status.UNAVAILABLE,
                    "too few replicas answered to tell the key's value: " + o.message());
        });
    }

    CompletableFuture<Response> delete(long requestId, byte[] key) {
        Settings settings = membership.settings();
        List<Replica> replicas = replicasOf(key);
        if (replicas.size() < settings.replicationFactor()) {
            return done(unavailable(Op.DELETE, requestId, settings));
        }
        return Tombstones.delete(replicas, choice(settings), key, owed(Op.DELETE, key)).thenApply(o ->
                o.kind() == Outcome.Kind.CHOSEN ? Response.ok(Op.DELETE, requestId)
                        : Response.error(Op.DELETE, requestId, Status.UNAVAILABLE, o.message()));
    }

    private static Choice choice(Settings s) {
        return new Choice(s.replicationFactor(), s.syncCopies());
    }

    private Response unavailable(Op op, long requestId, Settings settings) {
        return Response.error(op, requestId, Status.UNAVAILABLE, "RF=" + settings.replicationFactor()
                + " replicas are needed but the cluster has " + membership.members().size() + " members");
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
