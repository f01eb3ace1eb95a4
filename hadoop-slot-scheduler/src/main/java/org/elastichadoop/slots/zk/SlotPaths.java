package org.elastichadoop.slots.zk;

/**
 * Where elastic slots live in ZooKeeper, under one root per cluster:
 * <pre>
 * ROOT/allocations/HOST   the controller's allocation for the tracker on HOST (JSON, persistent)
 * ROOT/controller         the controllers' leader latch: one publishes, the others stand by
 * ROOT/overrides/HOST     an operator's pin or drain of that tracker (slotctl), published instead of the policy
 * ROOT/policy             policy settings set with slotctl, overriding the controller's file
 * ROOT/reports/HOST       the TaskTracker hook's report of its node (ephemeral)
 * ROOT/yarn/applier       the leader latch of the 'slotctl yarn' services: one applies, the others stand by
 * ROOT/yarn/nodes/NODE    per NodeManager (NodeId host:port): its configured resources and what was applied (JSON)
 * </pre>
 */
public final class SlotPaths {
    public static final String DEFAULT_ROOT = "/elastichadoop/slots";

    private final String root;

    public SlotPaths(String root) {
        if (!root.startsWith("/") || root.endsWith("/")) throw new IllegalArgumentException("a ZooKeeper root is like /a/b, not '" + root + "'");
        this.root = root;
    }

    public static SlotPaths defaults() {
        return new SlotPaths(DEFAULT_ROOT);
    }

    public String root() { return root; }
    public String allocations() { return root + "/allocations"; }
    public String controllerLatch() { return root + "/controller"; }
    public String overrides() { return root + "/overrides"; }
    public String policy() { return root + "/policy"; }
    public String reports() { return root + "/reports"; }

    public String yarnApplierLatch() { return root + "/yarn/applier"; }
    public String yarnNodes() { return root + "/yarn/nodes"; }

    public String yarnNode(String nodeId) {
        if (nodeId.isEmpty() || nodeId.contains("/")) throw new IllegalArgumentException("not a NodeManager id: '" + nodeId + "'");
        return yarnNodes() + "/" + nodeId;
    }

    public String report(String host) {
        if (host.isEmpty() || host.contains("/")) throw new IllegalArgumentException("not a tracker host name: '" + host + "'");
        return reports() + "/" + host;
    }

    public String override(String host) {
        if (host.isEmpty() || host.contains("/")) throw new IllegalArgumentException("not a tracker host name: '" + host + "'");
        return overrides() + "/" + host;
    }

    public String allocation(String host) {
        if (host.isEmpty() || host.contains("/")) throw new IllegalArgumentException("not a tracker host name: '" + host + "'");
        return allocations() + "/" + host;
    }

    /** The host a path under {@link #allocations()} is for. */
    public static String hostOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
