package org.elastichadoop.slots.yarn.applier;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.elastichadoop.slots.allocation.InvalidAllocationException;
import org.elastichadoop.slots.allocation.StrictJson;
import org.elastichadoop.slots.zk.SlotPaths;
import org.elastichadoop.slots.zk.Znodes;

/** The applier's per-NodeManager records in ZooKeeper (ROOT/yarn/nodes/NODE, JSON). */
public final class NodeRecords {
    private static final ObjectMapper JSON = StrictJson.mapper(false);

    private final CuratorFramework zk;
    private final SlotPaths paths;

    public NodeRecords(CuratorFramework zk, SlotPaths paths) {
        this.zk = zk;
        this.paths = paths;
    }

    public Optional<NodeRecord> read(String nodeId) throws Exception {
        byte[] data;
        try {
            data = zk.getData().forPath(paths.yarnNode(nodeId));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(data, NodeRecord.class));
        } catch (IOException e) {
            throw new InvalidAllocationException(paths.yarnNode(nodeId) + ": not a NodeManager record: "
                    + StrictJson.firstLine(e.getMessage()), e);
        }
    }

    public void write(NodeRecord r) throws Exception {
        Znodes.put(zk, paths.yarnNode(r.node), JSON.writeValueAsBytes(r));
    }

    /**
     * Writes records whose znodes exist, all requests in flight at once (a pass that changes 1,000 NodeManagers
     * waits for one round trip, not 1,000); any that fails is written again on its own.
     */
    public void writeAll(Collection<NodeRecord> records) throws Exception {
        Map<NodeRecord, CompletableFuture<Integer>> sent = new LinkedHashMap<>();
        for (NodeRecord r : records) {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            zk.setData().inBackground((client, event) -> done.complete(event.getResultCode()))
                    .forPath(paths.yarnNode(r.node), JSON.writeValueAsBytes(r));
            sent.put(r, done);
        }
        for (Map.Entry<NodeRecord, CompletableFuture<Integer>> e : sent.entrySet()) {
            Integer rc = e.getValue().get(30, TimeUnit.SECONDS);
            if (rc != KeeperException.Code.OK.intValue()) write(e.getKey());
        }
    }
}
