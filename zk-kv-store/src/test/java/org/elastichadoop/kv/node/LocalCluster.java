package org.elastichadoop.kv.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingCluster;
import org.elastichadoop.kv.client.KvClient;
import org.elastichadoop.kv.cluster.Membership;
import org.elastichadoop.kv.cluster.Zk;
import org.elastichadoop.kv.cluster.ZkPaths;
import org.elastichadoop.kv.storage.EntryMeta;
import org.elastichadoop.kv.testing.ZkEnsemble;

/**
 * A real three-server ZooKeeper ensemble and a number of real nodes in this JVM, each with its own
 * Curator session, data directory and sockets.
 */
public final class LocalCluster implements AutoCloseable {
    public final TestingCluster zk;
    private final Path base;
    private final List<KvNode> nodes = new ArrayList<>();
    private final List<CuratorFramework> sessions = new ArrayList<>();
    private final List<KvClient> clients = new ArrayList<>();

    public LocalCluster(Path base, int nodeCount) throws Exception {
        this.base = base;
        zk = ZkEnsemble.of(3);
        zk.start();
        for (int i = 0; i < nodeCount; i++) {
            startNode(i);
        }
    }

    public NodeConfig config(int i) {
        return new NodeConfig(base.resolve("node" + i)).id("node" + i).port(0).metricsPort(0)
                .requestTimeoutMillis(1_000).antiEntropyMillis(3_600_000).hintRetryMillis(500);
    }

    public KvNode startNode(int i) throws Exception {
        return startNode(config(i));
    }

    public KvNode startNode(NodeConfig cfg) throws Exception {
        CuratorFramework s = Zk.connect(zk.getConnectString(), 6_000, 20_000);
        KvNode n = KvNode.start(cfg, s);
        int i = Integer.parseInt(cfg.id().substring(4));
        while (nodes.size() <= i) {
            nodes.add(null);
            sessions.add(null);
        }
        nodes.set(i, n);
        sessions.set(i, s);
        return n;
    }

    public KvNode node(int i) {
        return nodes.get(i);
    }

    public List<KvNode> liveNodes() {
        return nodes.stream().filter(n -> n != null).toList();
    }

    public KvNode byId(String id) {
        return liveNodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    /** Stops the node and ends its ZooKeeper session, as a crash would. */
    public void stopNode(int i) {
        nodes.get(i).close();
        sessions.get(i).close();
        nodes.set(i, null);
    }

    /** Stops the node and deletes its data: a node lost for good. */
    public void loseNode(int i) throws IOException {
        stopNode(i);
        try (Stream<Path> files = Files.walk(base.resolve("node" + i))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * What an operator does with 'kvctl remove-node' once a node is lost for good: the ring change that moves its keys
     * to the others starts (and completes on its own).
     */
    public void removeMember(int i) throws Exception {
        try (CuratorFramework c = Zk.connect(zk.getConnectString(), 6_000, 20_000)) {
            await("node" + i + "'s registration to expire", 20_000, () -> {
                try {
                    return c.checkExists().forPath(new ZkPaths(ZkPaths.DEFAULT_CLUSTER).node("node" + i)) == null;
                } catch (Exception e) {
                    return false;
                }
            });
            Membership.removeMember(c, new ZkPaths(ZkPaths.DEFAULT_CLUSTER), "node" + i);
        }
    }

    /** Waits until the ring holds exactly {@code nodes} nodes and no change is under way. */
    public static void awaitStableRing(KvClient client, int nodes) throws InterruptedException {
        await("a stable ring of " + nodes + " nodes", 30_000,
                () -> !client.ring().isJoint() && client.ring().current().size() == nodes);
    }

    public KvClient client() throws Exception {
        KvClient c = KvClient.connect(zk.getConnectString(), ZkPaths.DEFAULT_CLUSTER, 10_000);
        clients.add(c);
        return c;
    }

    /** How many live nodes hold the key's value as committed. */
    public int copies(byte[] key) {
        return count(key, false);
    }

    /** How many live nodes hold a value for the key, committed or accepted in a round not yet known to be over. */
    public int heldCopies(byte[] key) {
        return count(key, true);
    }

    private int count(byte[] key, boolean provisionalToo) {
        int n = 0;
        for (KvNode node : liveNodes()) {
            EntryMeta m = node.store().meta(key);
            if (m != null && (m.state() == EntryMeta.State.PRESENT || provisionalToo && m.state() == EntryMeta.State.PROVISIONAL)) {
                n++;
            }
        }
        return n;
    }

    public static void await(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out after " + millis + " ms waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        for (KvClient c : clients) {
            c.close();
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) != null) {
                stopNode(i);
            }
        }
        zk.close();
    }
}
