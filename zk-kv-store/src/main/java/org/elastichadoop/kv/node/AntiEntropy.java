package org.elastichadoop.kv.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.cluster.Membership;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.cluster.Placement;
import org.elastichadoop.kv.net.PeerClient;
import org.elastichadoop.kv.storage.Entry;
import org.elastichadoop.kv.storage.EntryMeta;
import org.elastichadoop.kv.storage.Key;
import org.elastichadoop.kv.wire.KeyState;

/**
 * Restores the replication factor. Each pass walks this node's entries, asks each of the key's current RF
 * replicas (in batches) what it holds, and copies what is missing: values to nodes that lack them,
 * tombstones to nodes that still have the value. A node lost for good, or one that joins, changes the
 * replica sets, and the next pass moves the copies accordingly: the new replicas get them, and a node that
 * is no longer a replica drops its copy once all the replicas hold it.
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

    AntiEntropy(String selfId, LocalStore local, Membership membership, PeerClient peers) {
        this.selfId = selfId;
        this.local = local;
        this.membership = membership;
        this.peers = peers;
    }

    /** Keys found short of a replica in the last pass. */
    long underReplicated() {
        return underReplicated.get();
    }

    long conflicts() {
        return conflicts.get();
    }

    synchronized void pass() {
        Collection<NodeInfo> live = membership.liveNodes();
        int rf = membership.settings().replicationFactor();
        Map<String, List<EntryMeta>> batches = new HashMap<>();
        Map<String, NodeInfo> nodes = new HashMap<>();
        PassCounts counts = new PassCounts();
        local.store().forEachMeta(m -> {
            List<NodeInfo> replicas = Placement.preferenceList(m.key(), live);
            if (replicas.size() < rf) {
                counts.short_++;
            }
            List<NodeInfo> top = replicas.subList(0, Math.min(rf, replicas.size()));
            if (replicas.size() >= rf && m.state() == EntryMeta.State.PRESENT && top.stream().noneMatch(n -> n.id().equals(selfId))) {
                counts.extras.put(ByteBuffer.wrap(m.key()), 0);
            }
            for (NodeInfo n : top) {
                if (n.id().equals(selfId)) {
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
        if (their.state() == KeyState.State.ABSENT) {
            Entry e = local.store().get(mine.key());
            return e == null ? null : peers.put(node.address(), false, e.key(), e.valueCrc(), e.value());
        }
        if (their.valueCrc() != mine.valueCrc()) {
            conflicts.incrementAndGet();
            LOG.error("Replicas disagree on the bytes of key {} (here CRC {}, on {} CRC {}): two different puts of one key raced"
                            + " (issue 10); neither copy is changed. See kvctl stat {}",
                    Key.render(mine.key()), Integer.toHexString(mine.valueCrc()), node.id(), Integer.toHexString(their.valueCrc()),
                    Key.render(mine.key()));
        }
        return null;
    }
}
