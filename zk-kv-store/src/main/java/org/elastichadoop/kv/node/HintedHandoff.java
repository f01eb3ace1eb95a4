package org.elastichadoop.kv.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.cluster.Membership;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.net.PeerClient;
import org.elastichadoop.kv.storage.Entry;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.Op;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;

/** Delivers the copies that hints say are owed, once their target is back. One round per call. */
final class HintedHandoff {
    private static final Logger LOG = LogManager.getLogger(HintedHandoff.class);

    private final HintLog hints;
    private final LocalStore local;
    private final Membership membership;
    private final PeerClient peers;
    private final long ttlMillis;

    HintedHandoff(HintLog hints, LocalStore local, Membership membership, PeerClient peers, long ttlMillis) {
        this.hints = hints;
        this.local = local;
        this.membership = membership;
        this.peers = peers;
        this.ttlMillis = ttlMillis;
    }

    void round() {
        List<HintLog.Hint> due = new ArrayList<>();
        hints.forEach(due::add);
        int delivered = 0;
        for (HintLog.Hint h : due) {
            NodeInfo target = membership.node(h.target());
            if (target == null) {
                if (System.currentTimeMillis() - h.createdAt() > ttlMillis) {
                    LOG.info("Dropping a hint for {}, gone for over {} ms; anti-entropy restores its copies", h.target(), ttlMillis);
                    hints.done(h);
                }
                continue;
            }
            try {
                if (deliver(h, target).get(30, TimeUnit.SECONDS)) {
                    hints.done(h).get(30, TimeUnit.SECONDS);
                    delivered++;
                }
            } catch (Exception e) {
                LOG.debug("Hint for {} not delivered yet: {}", h.target(), e.toString());
            }
        }
        if (delivered > 0) {
            LOG.info("Delivered {} hinted copies", delivered);
        }
    }

    /** True when the target now holds what the hint asked for (or the hint no longer applies). */
    private CompletableFuture<Boolean> deliver(HintLog.Hint h, NodeInfo target) throws Exception {
        KeyState mine = local.state(h.key());
        if (mine.state() == KeyState.State.TOMBSTONE || h.op() == Op.DELETE) {
            return peers.delete(target.address(), false, h.key()).thenApply(r -> r.status() == Status.OK);
        }
        Entry e = local.store().get(h.key());
        if (e == null) {
            return CompletableFuture.completedFuture(true); // nothing left to hand over
        }
        return peers.put(target.address(), false, h.key(), e.valueCrc(), e.value())
                .thenApply(Response::status)
                .thenApply(s -> s == Status.OK || s == Status.IMMUTABLE_KEY || s == Status.DELETED);
    }
}
