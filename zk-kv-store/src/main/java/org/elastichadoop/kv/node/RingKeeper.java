package org.elastichadoop.kv.node;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.cluster.Membership;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.cluster.Progress;
import org.elastichadoop.kv.cluster.Ring;
import org.elastichadoop.kv.consensus.Replica;
import org.elastichadoop.kv.consensus.ReplicaSet;
import org.elastichadoop.kv.storage.Key;
import org.elastichadoop.kv.wire.GetPayload;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;

/**
 * This node's part in the ring (see {@link Ring}). On every change it sees, and once a second: it creates the ring
 * in a cluster that has none; asks for this node to join when it is not in it; reports the epoch it applied; once
 * every live node has applied a joint ring, hands over the keys it holds whose replicas change (each settled by a
 * read under the joint ring and copied to W of its next replicas); and completes the change when every live node
 * of the ring has handed over. Any node may complete it: the ring's compare-and-set lets one win.
 *
 * <p>A young ring with fewer than RF nodes has never stored anything (puts need RF replicas), so a node joins it
 * directly, without a joint phase.
 */
final class RingKeeper {
    private static final Logger LOG = LogManager.getLogger(RingKeeper.class);

    private final String selfId;
    private final Membership membership;
    private final Coordinator coordinator;
    private final LocalStore local;
    private final ExecutorService worker;
    private final AtomicBoolean handingOver = new AtomicBoolean();
    /** Keys a handover already reported as holding it up, so each is logged once per change. */
    private final Set<String> stuckOn = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile long handedOver;
    private Progress published;

    RingKeeper(String selfId, Membership membership, Coordinator coordinator, LocalStore local, ExecutorService worker) {
        this.selfId = selfId;
        this.membership = membership;
        this.coordinator = coordinator;
        this.local = local;
        this.worker = worker;
    }

    synchronized void tick() {
        try {
            Ring ring = membership.ring();
            publish(new Progress(ring.epoch(), handedOver));
            int rf = membership.settings().replicationFactor();
            if (ring.epoch() == 0) {
                Set<String> ids = new TreeSet<>();
                membership.members().forEach(m -> ids.add(m.id()));
                ids.add(selfId);
                if (Membership.casRing(membership.curator(), membership.paths(), new Ring(1, new ArrayList<>(ids), null), -1)) {
                    LOG.info("Created the ring with {}", ids);
                }
                return;
            }
            if (!ring.all().contains(selfId) && !ring.isJoint()) {
                Ring next = ring.current().size() < rf
                        ? new Ring(ring.epoch() + 1, append(ring.current(), selfId), null)
                        : ring.changing(selfId, true);
                if (Membership.casRing(membership.curator(), membership.paths(), next, membership.ringVersion())) {
                    LOG.info("Asked to join the ring (epoch {}: {})", next.epoch(), next.isJoint() ? "joint, keys move to this node" : "young ring");
                }
                return;
            }
            if (ring.isJoint()) {
                if (handedOver < ring.epoch() && applied(ring) && ring.all().contains(selfId) && handingOver.compareAndSet(false, true)) {
                    worker.execute(() -> handOver(ring));
                }
                if (handedOverEverywhere(ring)) {
                    complete(ring);
                }
            }
        } catch (Exception e) {
            LOG.warn("Ring upkeep failed ({}); trying again in a second", e.toString());
        }
    }

    private static List<String> append(List<String> ids, String id) {
        List<String> out = new ArrayList<>(ids);
        out.add(id);
        return out;
    }

    private void publish(Progress p) throws Exception {
        if (!p.equals(published) && membership.publishProgress(selfId, p)) {
            published = p;
        }
    }

    /**
     * Every live node reports the ring's epoch, and at most W - 1 of the ring's nodes are not live: a coordinator
     * still on the previous ring can then no longer gather W replicas that accept it.
     */
    private boolean applied(Ring ring) {
        for (NodeInfo n : membership.liveNodes()) {
            Progress p = membership.progress(n.id());
            if (p == null || p.epoch() < ring.epoch()) {
                return false;
            }
        }
        long down = ring.all().stream().filter(id -> !membership.isLive(id)).count();
        return down <= membership.settings().syncCopies() - 1;
    }

    private boolean handedOverEverywhere(Ring ring) {
        if (!applied(ring)) {
            return false;
        }
        for (String id : ring.all()) {
            Progress p = membership.progress(id);
            if (membership.isLive(id) && (p == null || p.handedOver() < ring.epoch())) {
                return false;
            }
        }
        return true;
    }

    private void complete(Ring ring) throws Exception {
        if (!Membership.casRing(membership.curator(), membership.paths(), ring.completed(), membership.ringVersion())) {
            return;
        }
        LOG.info("Ring change complete, epoch {}: {}", ring.epoch() + 1, ring.next());
        for (String id : ring.current()) {
            if (!ring.next().contains(id) && !membership.isLive(id)) {
                membership.forget(id);
                LOG.info("Node {} left the ring and is no longer a member", id);
            }
        }
    }

    /** Copies every key this node holds whose replicas change to W of its next replicas, settled first. */
    private void handOver(Ring ring) {
        try {
            List<byte[]> keys = new ArrayList<>();
            local.store().forEachMeta(m -> keys.add(m.key()));
            int moved = 0;
            for (byte[] key : keys) {
                if (membership.ring().epoch() != ring.epoch()) {
                    return; // the ring moved on; the next tick starts over
                }
                ReplicaSet set = coordinator.replicasOf(key);
                if (set.configs().size() < 2) {
                    continue;
                }
                String problem = handOver(key, set);
                if (problem != null) {
                    if (stuckOn.add(Key.render(key) + "@" + ring.epoch())) {
                        LOG.warn("Ring change to epoch {} waits on key {}: {}. It is tried again every second; if a node "
                                + "being removed held the deciding copy, the key stays undecided (see docs/operations.md)",
                                ring.epoch() + 1, Key.render(key), problem);
                    }
                    return;
                }
                moved++;
            }
            handedOver = ring.epoch();
            LOG.info("Handed over {} keys for ring epoch {}", moved, ring.epoch());
        } catch (Exception e) {
            LOG.warn("Handover for ring epoch {} failed ({}); trying again", ring.epoch(), e.toString());
        } finally {
            handingOver.set(false);
        }
    }

    /** Null once the key's value (or its absence) is on W of its next replicas; else what stands in the way. */
    private String handOver(byte[] key, ReplicaSet set) throws Exception {
        Response r = coordinator.get(0, key).get(30, TimeUnit.SECONDS);
        if (r.status() == Status.NOT_FOUND) {
            return null;
        }
        if (r.status() != Status.OK && r.status() != Status.DELETED) {
            return "reading it answered " + r.status() + " (" + r.message() + ")";
        }
        GetPayload value = r.status() == Status.OK ? GetPayload.decode(r.payload()) : null;
        Set<String> next = set.configs().get(1);
        List<CompletableFuture<Response>> copies = new ArrayList<>();
        for (Replica replica : set.replicas()) {
            if (next.contains(replica.id())) {
                copies.add(value == null ? replica.delete(key)
                        : replica.store(key, value.valueCrc(), Unpooled.wrappedBuffer(value.value())));
            }
        }
        int ok = 0;
        for (CompletableFuture<Response> c : copies) {
            try {
                ok += c.get(30, TimeUnit.SECONDS).status() == Status.OK ? 1 : 0;
            } catch (Exception e) {
                LOG.debug("A handover copy failed: {}", e.toString());
            }
        }
        return ok >= membership.settings().syncCopies() ? null
                : "only " + ok + " of its next replicas took the copy; W=" + membership.settings().syncCopies() + " must";
    }
}
