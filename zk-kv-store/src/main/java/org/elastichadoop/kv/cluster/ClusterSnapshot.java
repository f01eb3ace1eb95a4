package org.elastichadoop.kv.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * The cluster read once from ZooKeeper with the plain client: members, live nodes, ring and settings as they were
 * at that moment. For a command that makes a request or two and exits, where following changes with Curator's
 * cache would cost more than the request itself; a long-lived client uses {@link Membership}.
 */
public final class ClusterSnapshot implements ClusterView {
    private final Map<String, NodeInfo> members;
    private final Map<String, NodeInfo> live;
    private final Ring ring;
    private final Settings settings;

    private ClusterSnapshot(Map<String, NodeInfo> members, Map<String, NodeInfo> live, Ring ring, Settings settings) {
        this.members = members;
        this.live = live;
        this.ring = ring;
        this.settings = settings;
    }

    /** Connects, reads and closes the session; fails with {@link Zk.ZkUnreachableException} when ZooKeeper does not answer. */
    public static ClusterSnapshot read(String connectString, ZkPaths paths, long waitMillis) throws InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        Watcher watcher = (WatchedEvent e) -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        };
        ZooKeeper zk;
        try {
            zk = new ZooKeeper(connectString, (int) Math.max(waitMillis, 4_000), watcher);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use ZooKeeper connect string '" + connectString + "': " + e.getMessage(), e);
        }
        try {
            if (!connected.await(waitMillis, TimeUnit.MILLISECONDS)) {
                throw Zk.unreachable(connectString, waitMillis);
            }
            Settings settings = ClusterJson.parse(dataOf(zk, paths.settings()), paths.settings(), Settings.class);
            Ring ring = ClusterJson.parse(dataOf(zk, paths.ring()), paths.ring(), Ring.class);
            return new ClusterSnapshot(nodesUnder(zk, paths.members()), nodesUnder(zk, paths.nodes()),
                    ring != null ? ring : Ring.NONE, settings != null ? settings : Settings.DEFAULT);
        } catch (KeeperException e) {
            throw new IllegalStateException("reading cluster " + paths.cluster() + " from ZooKeeper at " + connectString
                    + " failed: " + e.getMessage(), e);
        } finally {
            closeInBackground(zk);
        }
    }

    /**
     * Ends the session without waiting for the client's threads to wind down: ZooKeeper's client sleeps 100 ms in
     * its socket clean-up, a fifth of a command's budget. The close request leaves at once; if the process exits
     * before the server answers it, the server still ends the session when it reads the request.
     */
    private static void closeInBackground(ZooKeeper zk) {
        Thread closer = new Thread(() -> {
            try {
                zk.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "zk-close");
        closer.setDaemon(true);
        closer.start();
    }

    private static byte[] dataOf(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
        try {
            return zk.getData(path, false, null);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    /** The node records under a parent, by id; one that vanishes between the listing and its read is left out. */
    private static Map<String, NodeInfo> nodesUnder(ZooKeeper zk, String parent) throws KeeperException, InterruptedException {
        List<String> ids;
        try {
            ids = zk.getChildren(parent, false);
        } catch (KeeperException.NoNodeException e) {
            return Map.of();
        }
        Map<String, NodeInfo> out = new TreeMap<>();
        for (String id : ids) {
            NodeInfo info = ClusterJson.parse(dataOf(zk, parent + "/" + id), parent + "/" + id, NodeInfo.class);
            if (info != null) {
                out.put(id, info);
            }
        }
        return out;
    }

    @Override
    public Collection<NodeInfo> members() {
        return new ArrayList<>(members.values());
    }

    @Override
    public NodeInfo member(String id) {
        return members.get(id);
    }

    @Override
    public Collection<NodeInfo> liveNodes() {
        return new ArrayList<>(live.values());
    }

    @Override
    public NodeInfo node(String id) {
        return live.get(id);
    }

    @Override
    public boolean isLive(String id) {
        return live.containsKey(id);
    }

    @Override
    public Ring ring() {
        return ring;
    }

    @Override
    public Settings settings() {
        return settings;
    }
}
