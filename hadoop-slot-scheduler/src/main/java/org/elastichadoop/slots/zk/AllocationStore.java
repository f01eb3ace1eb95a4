package org.elastichadoop.slots.zk;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.allocation.AllocationCodec;
import org.elastichadoop.slots.allocation.InvalidAllocationException;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Reads and writes allocations in ZooKeeper (one JSON znode per tracker host). */
public final class AllocationStore {
    private final CuratorFramework zk;
    private final SlotPaths paths;

    public AllocationStore(CuratorFramework zk, SlotPaths paths) {
        this.zk = zk;
        this.paths = paths;
    }

    public SlotPaths paths() {
        return paths;
    }

    /** The allocation for {@code host}, or empty if there is none; an invalid one is an {@link InvalidAllocationException}. */
    public Optional<Allocation> read(String host) throws Exception {
        try {
            byte[] data = zk.getData().forPath(paths.allocation(host));
            return Optional.of(AllocationCodec.decode(data, paths.allocation(host)));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    /** The hosts that have an allocation. */
    public List<String> hosts() throws Exception {
        try {
            return zk.getChildren().forPath(paths.allocations());
        } catch (KeeperException.NoNodeException e) {
            return Collections.emptyList();
        }
    }

    /** Creates or replaces the allocation of its tracker. */
    public void write(Allocation a) throws Exception {
        put(paths.allocation(a.tracker()), AllocationCodec.encode(a));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = org.elastichadoop.slots.allocation.StrictJson.mapper(false);

    /** The operator's override of {@code host}, if any; an unreadable one is an {@link InvalidAllocationException}. */
    public Optional<org.elastichadoop.slots.allocation.OperatorOverride> readOverride(String host) throws Exception {
        byte[] data;
        try {
            data = zk.getData().forPath(paths.override(host));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(data, org.elastichadoop.slots.allocation.OperatorOverride.class));
        } catch (java.io.IOException e) {
            throw new InvalidAllocationException(paths.override(host) + ": not an override: " + e.getMessage(), e);
        }
    }

    public void writeOverride(String host, org.elastichadoop.slots.allocation.OperatorOverride o) throws Exception {
        put(paths.override(host), JSON.writeValueAsBytes(o));
    }

    /** Removes the override of {@code host}; false if there was none. */
    public boolean release(String host) throws Exception {
        try {
            zk.delete().forPath(paths.override(host));
            return true;
        } catch (KeeperException.NoNodeException e) {
            return false;
        }
    }

    /** The policy set with slotctl (JSON), if any. */
    public Optional<byte[]> readPolicy() throws Exception {
        try {
            return Optional.of(zk.getData().forPath(paths.policy()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    public void writePolicy(byte[] json) throws Exception {
        put(paths.policy(), json);
    }

    private void put(String path, byte[] data) throws Exception {
        Znodes.put(zk, path, data);
    }

    /** The hook's report of {@code host}, if its tracker is up; an invalid one is an {@link InvalidAllocationException}. */
    public Optional<org.elastichadoop.slots.allocation.TrackerReport> readReport(String host) throws Exception {
        byte[] data;
        try {
            data = zk.getData().forPath(paths.report(host));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(data, org.elastichadoop.slots.allocation.TrackerReport.class));
        } catch (java.io.IOException e) {
            throw new InvalidAllocationException(paths.report(host) + ": not a report: " + e.getMessage(), e);
        }
    }

    /** Publishes a report as an ephemeral znode of this client's session. */
    public void writeReport(org.elastichadoop.slots.allocation.TrackerReport r) throws Exception {
        byte[] data = JSON.writeValueAsBytes(r);
        String path = paths.report(r.host);
        try {
            zk.setData().forPath(path, data);
        } catch (KeeperException.NoNodeException e) {
            zk.create().creatingParentContainersIfNeeded().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL).forPath(path, data);
        }
    }

    /**
     * The YARN applier's records of the NodeManagers named {@code tracker}: the one whose NodeId is that name, or
     * those on that host (JSON trees; their schema is the applier's, see SlotPaths).
     */
    public java.util.List<com.fasterxml.jackson.databind.JsonNode> readYarnNodes(String tracker) throws Exception {
        java.util.List<com.fasterxml.jackson.databind.JsonNode> found = new java.util.ArrayList<>();
        java.util.List<String> nodes;
        try {
            nodes = zk.getChildren().forPath(paths.yarnNodes());
        } catch (KeeperException.NoNodeException e) {
            return found;
        }
        for (String node : nodes) {
            if (!node.equals(tracker) && !node.startsWith(tracker + ":")) continue;
            try {
                found.add(JSON.readTree(zk.getData().forPath(paths.yarnNode(node))));
            } catch (KeeperException.NoNodeException gone) {
                // removed meanwhile
            } catch (java.io.IOException e) {
                throw new InvalidAllocationException(paths.yarnNode(node) + ": not a NodeManager record: " + org.elastichadoop.slots.allocation.StrictJson.firstLine(e.getMessage()), e);
            }
        }
        return found;
    }

    public void delete(String host) throws Exception {
        try {
            zk.delete().forPath(paths.allocation(host));
        } catch (KeeperException.NoNodeException e) {
            // already gone
        }
    }
}
