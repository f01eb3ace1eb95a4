package org.elastichadoop.kv.node;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.cluster.Membership;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.cluster.Placement;
import org.elastichadoop.kv.cluster.Settings;
import org.elastichadoop.kv.net.PeerClient;
import org.elastichadoop.kv.storage.Key;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.Op;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;

/**
 * The write path. The coordinator stores the entry on itself and, in parallel, on W-1 neighbours taken
 * down the key's preference list (a neighbour that fails or stalls is replaced by the next node). Only
 * when all of those copies are durable does it acknowledge; then it pushes the entry to the rest of the
 * key's RF replicas in the background, leaving a durable hint for any push that fails.
 */
final class Coordinator {
    private static final Logger LOG = LogManager.getLogger(Coordinator.class);

    private final String selfId;
    private final Membership membership;
    private final LocalStore local;
    private final PeerClient peers;
    private final HintLog hints;
    private final Suspects suspects;

    Coordinator(String selfId, Membership membership, LocalStore local, PeerClient peers, HintLog hints, Suspects suspects) {
        this.selfId = selfId;
        this.membership = membership;
        this.local = local;
        this.peers = peers;
        this.hints = hints;
        this.suspects = suspects;
    }

    /** The value's CRC is checked by every store that takes a copy; a damaged value is refused as BAD_REQUEST. */
    CompletableFuture<Response> put(long requestId, byte[] key, int valueCrc, ByteBuf value) {
        KeyState mine = local.state(key);
        if (mine.state() == KeyState.State.TOMBSTONE) {
            return done(Response.error(Op.PUT, requestId, Status.DELETED, "key " + Key.render(key) + " was deleted; deleted keys are not reused"));
        }
        if (mine.state() == KeyState.State.PRESENT && (mine.valueCrc() != valueCrc || mine.valueLength() != value.readableBytes())) {
            return done(Response.error(Op.PUT, requestId, Status.IMMUTABLE_KEY, "immutable key " + Key.render(key) + ": it holds other bytes"));
        }
        // held until the answer: a neighbour that fails is replaced later, and that copy needs the value too
        value.retain();
        return coordinate(Op.PUT, requestId, key,
                () -> local.put(key, valueCrc, value),
                n -> {
                    // each copy holds the value until its answer; the background pushes outlive the request
                    value.retain();
                    return peers.put(n.address(), false, key, valueCrc, value)
                            .whenComplete((r, e) -> value.release())
                            .thenApply(Response::status);
                }).whenComplete((r, e) -> value.release());
    }

    CompletableFuture<Response> delete(long requestId, byte[] key) {
        return coordinate(Op.DELETE, requestId, key,
                () -> local.delete(key),
                n -> peers.delete(n.address(), false, key).thenApply(Response::status));
    }

    private CompletableFuture<Response> coordinate(Op op, long requestId, byte[] key, Supplier<CompletableFuture<Status>> localWrite,
                                                   Function<NodeInfo, CompletableFuture<Status>> remoteWrite) {
        Settings settings = membership.settings();
        List<NodeInfo> pref = Placement.preferenceList(key, membership.liveNodes());
        List<NodeInfo> others = new ArrayList<>(pref.size());
        for (NodeInfo n : pref) {
            if (!n.id().equals(selfId)) {
                others.add(n);
            }
        }
        int neighbours = settings.syncCopies() - 1;
        if (others.size() < neighbours) {
            return done(Response.error(op, requestId, Status.UNAVAILABLE, "W=" + settings.syncCopies()
                    + " copies are needed but only " + (others.size() + 1) + " nodes are live"));
        }
        CompletableFuture<Status> mine = localWrite.get();
        CompletableFuture<List<NodeInfo>> theirs = SyncCopies.run(suspects.healthyFirst(others), neighbours,
                n -> remoteWrite.apply(n).whenComplete((s, e) -> {
                    if (e != null) {
                        suspects.failed(n.id());
                    } else {
                        suspects.succeeded(n.id());
                    }
                }));
        CompletableFuture<Status> local = mine.exceptionally(LocalStore::statusOf);
        return local.thenCombine(theirs.handle(Neighbours::new), (status, copies) -> {
            if (status != Status.OK) {
                return Response.error(op, requestId, status, "the coordinator could not store it: " + status);
            }
            if (copies.error() != null) {
                Throwable e = copies.error() instanceof CompletionException c && c.getCause() != null ? c.getCause() : copies.error();
                Status s = e instanceof ReplicationException r ? r.status() : Status.ERROR;
                return Response.error(op, requestId, s, e.getMessage());
            }
            pushToOtherReplicas(op, key, pref, settings.replicationFactor(), copies.acked(), remoteWrite);
            return Response.ok(op, requestId);
        });
    }

    private record Neighbours(List<NodeInfo> acked, Throwable error) {
    }

    /** After the acknowledgement: the key's other RF replicas get their copy; a failed push leaves a hint. */
    private void pushToOtherReplicas(Op op, byte[] key, List<NodeInfo> pref, int rf, List<NodeInfo> acked,
                                     Function<NodeInfo, CompletableFuture<Status>> remoteWrite) {
        Set<String> have = new HashSet<>();
        have.add(selfId);
        acked.forEach(n -> have.add(n.id()));
        for (NodeInfo n : pref.subList(0, Math.min(rf, pref.size()))) {
            if (have.contains(n.id())) {
                continue;
            }
            remoteWrite.apply(n).whenComplete((status, error) -> {
                if (error == null && status == Status.OK) {
                    return;
                }
                if (status == Status.IMMUTABLE_KEY) {
                    LOG.error("Replica {} holds other bytes for a key this node stored: a conflicting put raced; "
                            + "see the conflicts reported by anti-entropy", n.id());
                    return;
                }
                LOG.debug("Push of {} to {} failed ({}); leaving a hint", op, n.id(), error != null ? error.getMessage() : status);
                hints.add(n.id(), op, key).exceptionally(e -> {
                    LOG.warn("Could not record a hint for {} ({}); anti-entropy will copy the entry instead", n.id(), e.getMessage());
                    return null;
                });
            });
        }
    }

    private static CompletableFuture<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }
}
