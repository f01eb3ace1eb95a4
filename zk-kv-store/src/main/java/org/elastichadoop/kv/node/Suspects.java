package org.elastichadoop.kv.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.elastichadoop.kv.cluster.NodeInfo;

/**
 * Nodes that recently failed or stalled on a copy. They go to the back of the line for a while, so one
 * slow node does not cost every put a timeout; they are still tried when nobody else is left.
 */
final class Suspects {
    private final long penaltyMillis;
    private final Map<String, Long> until = new ConcurrentHashMap<>();

    Suspects(long penaltyMillis) {
        this.penaltyMillis = penaltyMillis;
    }

    void failed(String nodeId) {
        until.put(nodeId, System.currentTimeMillis() + penaltyMillis);
    }

    void succeeded(String nodeId) {
        until.remove(nodeId);
    }

    boolean isSuspect(String nodeId) {
        Long t = until.get(nodeId);
        return t != null && t > System.currentTimeMillis();
    }

    /** The same nodes, healthy ones first, each group in its original order. */
    List<NodeInfo> healthyFirst(List<NodeInfo> nodes) {
        List<NodeInfo> out = new ArrayList<>(nodes.size());
        List<NodeInfo> late = new ArrayList<>();
        for (NodeInfo n : nodes) {
            (isSuspect(n.id()) ? late : out).add(n);
        }
        out.addAll(late);
        return out;
    }
}
