package org.elastichadoop.kv.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.cluster.Membership;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.consensus.Replica;
import org.elastichadoop.kv.consensus.ReplicaSet;
import org.elastichadoop.kv.net.PeerClient;
import org.elastichadoop.kv.storage.Entry;
import org.elastichadoop.kv.storage.EntryMeta;
import org.elastichadoop.kv.storage.Key;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;

/**
 * Restores the replication factor. Each pass walks this node's entries, asks each of the key's RF replicas
 * (in batches) what it holds, and copies what is missing: committed values to replicas that lack them or hold
 * only a provisional value (the committed one is the key's value), tombstones to replicas that still have the
 * value. A key this node has held provisionally for a whole pass is settled as a read settles it (the value that
 * was chosen, if any, is committed everywhere). A node that is no longer a replica drops its copy once all the
 * replicas hold it.
 */
final class AntiEntropy {
    private static final Logger LOG = LogManager.getLogger(AntiEntropy.class);
    private static final int BATCH = 512;
    /** Copies under way at once; bounds the memory a repair of large values takes. */
    private static final int IN_FLIGHT = 16;
    private static final int IDLE_PER_BUSY = 3;

    private final String selfId;
    private final LocalStore local;
    private final Membership membership;
    private final PeerClient peers;
    private final AtomicLong underReplicated = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final Coordinator coordinator;
    /** Keys held provisionally at the end of the last pass. */
    private Set<ByteBuffer> provisional = new HashSet<>();

    AntiEntropy(String selfId, LocalStore local, Membership membership, PeerClient peers, Coordinator coordinator) {
        this.selfId = selfId;
        this.local = local;
        this.membership = membership;
        this.peers = peers;
        this.coordinator = coordinator;
    }

    /** Keys found short of a replica in the last pass. */
    long underReplicated() {
        return underReplicated.get();
    }

    long conflicts() {
        return conflicts.get();
    }

    synchronized void pass() {
        int rf = membership.settings().replicationFactor();
        Map<String, List<EntryMeta>> batches = new HashMap<>();
        Map<String, NodeInfo> nodes = new HashMap<>();
        PassCounts counts = new PassCounts();
        Set<ByteBuffer> stillProvisional = new HashSet<>();
        local.store().forEachMeta(m -> {
            if (m.state() == EntryMeta.State.PROVISIONAL) {
                ByteBuffer k = ByteBuffer.wrap(m.key());
                (provisional.contains(k) ? counts.settle : stillProvisional).add(k);
                return;
            }
            ReplicaSet set = coordinator.replicasOf(m.key());
            if (set.configs().stream().anyMatch(c -> c.size() < rf)) {
                counts.short_++;
                return;
            }
            if (set.configs().size() == 1 && m.state() == EntryMeta.State.PRESENT
                    && set.replicas().stream().noneMatch(r -> r.id().equals(selfId))) {
                counts.extras.put(ByteBuffer.wrap(m.key()), 0);
            }
            for (Replica replica : set.replicas()) {
                NodeInfo n = membership.node(replica.id());
                if (replica.id().equals(selfId)) {
                    continue;
                }
                if (n == null) {
                    counts.short_++; // a replica that is down: its copy is checked once it is back
                    continue;
                }
                nodes.put(n.id(), n);
                List<EntryMeta> batch = batches.computeIfAbsent(n.id(), id -> new ArrayList<>());
                batch.add(m);
                if (batch.size() >= BATCH) {
                    reconcile(n, batch, counts);
                    batch.clear();
                }
            }
        });
        batches.forEach((id, batch) -> {
            if (!batch.isEmpty()) {
                reconcile(nodes.get(id), batch, counts);
            }
        });
        handOff(counts, rf);
        settle(counts.settle);
        provisional = stillProvisional;
        underReplicated.set(counts.short_ + counts.repaired);
        if (counts.repaired > 0 || counts.failed > 0) {
            LOG.info("Anti-entropy: copied {} missing replicas, {} could not be checked (will retry)", counts.repaired, counts.failed);
        }
    }

    private static final class PassCounts {
        long short_;
        long repaired;
        long failed;
        /** Entries held here though this node is not one of their replicas, with how many replicas confirmed them. */
        final Map<ByteBuffer, Integer> extras = new HashMap<>();
        /** Keys held provisionally since the last pass: their proposer stopped before it told this replica. */
        final List<ByteBuffer> settle = new ArrayList<>();
    }

    /** Reads each key as a client would, which commits the chosen value on its replicas (or finds none chosen). */
    private void settle(List<ByteBuffer> keys) {
        int settled = 0;
        for (ByteBuffer k : keys) {
            try {
                Response r = coordinator.get(0, k.array()).get(30, TimeUnit.SECONDS);
                settled += r.status() == Status.OK || r.status() == Status.NOT_FOUND ? 1 : 0;
            } catch (Exception e) {
                LOG.debug("Anti-entropy could not settle key {}: {}", Key.render(k.array()), e.toString());
            }
        }
        if (settled > 0) {
            LOG.info("Anti-entropy: settled {} keys whose proposer stopped before telling every replica", settled);
        }
    }

    /**
     * An entry this node holds without being one of its RF replicas (it stood in for a failed neighbour, or a
     * node joined and took its place) is dropped once every replica confirmed the same bytes in this pass.
     */
    private void handOff(PassCounts counts, int rf) {
        int dropped = 0;
        for (Map.Entry<ByteBuffer, Integer> e : counts.extras.entrySet()) {
            try {
                if (e.getValue() >= rf && local.store().evict(e.getKey().array())) {
                    dropped++;
                }
            } catch (IOException ex) {
                LOG.warn("Could not drop a handed-off entry: {}", ex.getMessage());
            }
        }
        if (dropped > 0) {
            LOG.info("Anti-entropy: handed off {} entries that this node no longer replicates", dropped);
        }
    }

    /**
     * Checks one batch with one replica, then rests three times as long as that took: a pass uses at most a
     * quarter of a core, so the requests being served do not queue behind repair work.
     */
    private void reconcile(NodeInfo node, List<EntryMeta> batch, PassCounts counts) {
        long start = System.nanoTime();
        reconcileBatch(node, batch, counts);
        long restMillis = (System.nanoTime() - start) * IDLE_PER_BUSY / 1_000_000;
        if (restMillis > 0) {
            try {
                Thread.sleep(Math.min(restMillis, 5_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void reconcileBatch(NodeInfo node, List<EntryMeta> batch, PassCounts counts) {
        List<byte[]> keys = new ArrayList<>(batch.size());
        batch.forEach(m -> keys.add(m.key()));
        List<KeyState> theirs;
        try {
            theirs = peers.meta(node.address(), keys).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            counts.failed += batch.size();
            LOG.debug("Anti-entropy could not ask {}: {}", node.id(), e.toString());
            return;
        }
        List<CompletableFuture<?>> copies = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            EntryMeta mine = batch.get(i);
            KeyState their = theirs.get(i);
            if (their.state() == KeyState.State.PRESENT && their.valueCrc() == mine.valueCrc()) {
                counts.extras.computeIfPresent(ByteBuffer.wrap(mine.key()), (k, confirmed) -> confirmed + 1);
            }
            try {
                CompletableFuture<?> copy = repair(node, mine, their);
                if (copy != null) {
                    copies.add(copy);
                }
                if (copies.size() >= IN_FLIGHT) {
                    drain(node, copies, counts);
                }
            } catch (Exception e) {
                counts.failed++;
                LOG.debug("Anti-entropy could not read a local entry: {}", e.toString());
            }
        }
        drain(node, copies, counts);
    }

    private static void drain(NodeInfo node, List<CompletableFuture<?>> copies, PassCounts counts) {
        for (CompletableFuture<?> copy : copies) {
            try {
                copy.get(30, TimeUnit.SECONDS);
                counts.repaired++;
            } catch (Exception e) {
                counts.failed++;
                LOG.debug("Anti-entropy copy to {} failed: {}", node.id(), e.toString());
            }
        }
        copies.clear();
    }

    /** Starts what makes the two copies agree; null when they already do. */
    private CompletableFuture<?> repair(NodeInfo node, EntryMeta mine, KeyState their) throws Exception {
        if (mine.state() == EntryMeta.State.TOMBSTONE) {
            return their.state() == KeyState.State.TOMBSTONE ? null : peers.delete(node.address(), false, mine.key());
        }
        if (their.state() == KeyState.State.TOMBSTONE) {
            local.delete(mine.key()); // a delete this node missed
            return null;
        }
        if (their.state() == KeyState.State.ABSENT || their.state() == KeyState.State.PROVISIONAL) {
            // a committed value is the key's value: it replaces a provisional one (or commits the same bytes)
            Entry e = local.store().get(mine.key());
            return e == null ? null : peers.put(node.address(), false, e.key(), e.valueCrc(), e.value());
        }
        if (their.valueCrc() != mine.valueCrc() || their.valueLength() != mine.valueLength()) {
            conflicts.incrementAndGet();
            LOG.error("Replicas hold different committed values for key {} (here CRC {}, on {} CRC {}). The protocol "
                            + "cannot produce this: the data predates it or a disk was copied between nodes. Neither copy "
                            + "is changed; see kvctl stat {}",
                    Key.render(mine.key()), Integer.toHexString(mine.valueCrc()), node.id(), Integer.toHexString(their.valueCrc()),
                    Key.render(mine.key()));
        }
        return null;
    }
}
