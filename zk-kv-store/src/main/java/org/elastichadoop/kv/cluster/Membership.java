package org.elastichadoop.kv.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The cluster as ZooKeeper sees it, followed with a CuratorCache: its members (persistent znodes, kept until
 * an operator removes one with {@link #removeMember}), its live nodes (ephemeral znodes) and its settings.
 * Nodes also {@link #register} themselves; Curator's PersistentNode puts the live znode back after a session
 * expires. Clients only watch.
 */
public final class Membership implements ClusterView, AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Membership.class);

    private final CuratorFramework zk;
    private final ZkPaths paths;
    private final CuratorCache cache;
    private final Map<String, NodeInfo> members = new ConcurrentHashMap<>();
    private final Map<String, NodeInfo> live = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private volatile Settings settings = Settings.DEFAULT;
    private volatile Ring ring = Ring.NONE;
    private volatile int ringVersion = -1;
    private PersistentNode registration;
    private PersistentNode progressNode;

    public Membership(CuratorFramework zk, ZkPaths paths) {
        this.zk = zk;
        this.paths = paths;
        this.cache = CuratorCache.build(zk, paths.root());
    }

    /** Starts following ZooKeeper; returns once the first full view has loaded (or the timeout passed). */
    public Membership start(long timeoutMillis) throws InterruptedException {
        CountDownLatch loaded = new CountDownLatch(1);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldData, data) -> onChange(data != null ? data : oldData, data == null))
                .forInitialized(loaded::countDown)
                .build());
        zk.getConnectionStateListenable().addListener((client, state) -> {
            switch (state) {
                case SUSPENDED -> LOG.warn("Lost the connection to ZooKeeper; the membership view may be stale until it returns");
                case LOST -> LOG.error("ZooKeeper session lost; this process re-registers when ZooKeeper is reachable again. "
                        + "Check the ensemble and the network if this repeats.");
                case RECONNECTED -> LOG.info("Reconnected to ZooKeeper");
                default -> { }
            }
        });
        cache.start();
        if (!loaded.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("no answer from ZooKeeper within " + timeoutMillis
                    + " ms: check that it runs and that the connect string is right");
        }
        return this;
    }

    private void onChange(ChildData data, boolean removed) {
        String path = data.getPath();
        if (path.equals(paths.settings())) {
            settings = removed || data.getData() == null || data.getData().length == 0 ? Settings.DEFAULT : parseSettings(data.getData());
        } else if (path.startsWith(paths.nodes() + "/")) {
            String id = path.substring(paths.nodes().length() + 1);
            if (removed) {
                if (live.remove(id) != null) {
                    LOG.info("Node {} left the cluster", id);
                }
            } else {
                NodeInfo info = ClusterJson.parse(data.getData(), path, NodeInfo.class);
                if (info != null && live.put(id, info) == null) {
                    LOG.info("Node {} joined at {}:{}", id, info.host(), info.port());
                }
            }
        } else if (path.equals(paths.ring())) {
            if (removed || data.getData() == null) {
                ring = Ring.NONE;
                ringVersion = -1;
            } else {
                Ring r = ClusterJson.parse(data.getData(), path, Ring.class);
                if (r != null) {
                    ring = r;
                    ringVersion = data.getStat().getVersion();
                    LOG.info("Ring epoch {}: {}{}", r.epoch(), r.current(), r.isJoint() ? " -> " + r.next() : "");
                }
            }
        } else if (path.startsWith(paths.progress() + "/")) {
            String id = path.substring(paths.progress().length() + 1);
            Progress p = removed ? null : ClusterJson.parse(data.getData(), path, Progress.class);
            if (p == null) {
                progress.remove(id);
            } else {
                progress.put(id, p);
            }
        } else if (path.startsWith(paths.members() + "/")) {
            String id = path.substring(paths.members().length() + 1);
            if (removed) {
                if (members.remove(id) != null) {
                    LOG.info("Node {} is no longer a member of cluster {}", id, paths.cluster());
                }
            } else {
                NodeInfo info = ClusterJson.parse(data.getData(), path, NodeInfo.class);
                if (info != null) {
                    members.put(id, info);
                }
            }
        } else {
            return;
        }
        listeners.forEach(Runnable::run);
    }

    private Settings parseSettings(byte[] json) {
        Settings parsed = ClusterJson.parse(json, paths.settings(), Settings.class);
        if (parsed == null) {
            LOG.error("Cluster settings at {} are not valid; keeping {}. Fix them with 'kvctl config'.", paths.settings(), settings);
            return settings;
        }
        return parsed;
    }

    /**
     * Makes this node a member if it is not one yet, then announces it as live; the live znode lasts as long as
     * the session, and comes back after an expiry.
     */
    public void register(NodeInfo self) throws Exception {
        byte[] data = ClusterJson.write(self);
        recordMember(self, data);
        registration = new PersistentNode(zk, CreateMode.EPHEMERAL, false, paths.node(self.id()), data);
        registration.start();
        if (!registration.waitForInitialCreate(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not register " + paths.node(self.id()) + " in ZooKeeper within 30 s");
        }
    }

    /** Keeps this node's member record as it announces itself: created once, rewritten when it changed (a new address). */
    private void recordMember(NodeInfo self, byte[] data) throws Exception {
        String path = paths.member(self.id());
        try {
            zk.create().creatingParentsIfNeeded().forPath(path, data);
            LOG.info("Node {} became a member of cluster {}", self.id(), paths.cluster());
        } catch (KeeperException.NodeExistsException member) {
            if (!self.equals(ClusterJson.parse(zk.getData().forPath(path), path, NodeInfo.class))) {
                zk.setData().forPath(path, data);
            }
        }
    }

    /** Runs on every change of members, live nodes or settings (on Curator's thread: keep it short). */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public Collection<NodeInfo> liveNodes() {
        return new ArrayList<>(live.values());
    }

    @Override
    public NodeInfo node(String id) {
        return live.get(id);
    }

    /** Every member, live or not, as it last registered. */
    @Override
    public Collection<NodeInfo> members() {
        return new ArrayList<>(members.values());
    }

    @Override
    public NodeInfo member(String id) {
        return members.get(id);
    }

    @Override
    public boolean isLive(String id) {
        return live.containsKey(id);
    }

    @Override
    public Settings settings() {
        return settings;
    }

    /** The ring as last seen; {@link Ring#NONE} before any node created it. */
    @Override
    public Ring ring() {
        return ring;
    }

    /** The znode version of {@link #ring()}, for {@link #casRing}; -1 when there is none. */
    public int ringVersion() {
        return ringVersion;
    }

    /** A live node's report of the ring change, or null. */
    public Progress progress(String id) {
        return progress.get(id);
    }

    /**
     * Publishes this node's {@link Progress}; the znode lasts as long as the session and comes back after an expiry.
     *
     * @return false when the znode is still being created and cannot take new data yet: publish again later
     */
    public synchronized boolean publishProgress(String selfId, Progress p) throws Exception {
        byte[] data = ClusterJson.write(p);
        if (progressNode == null) {
            progressNode = new PersistentNode(zk, CreateMode.EPHEMERAL, false, paths.progress(selfId), data);
            progressNode.start();
            return true;
        }
        if (progressNode.getActualPath() == null) {
            return false;
        }
        progressNode.setData(data);
        return true;
    }

    /**
     * Replaces the ring if it is still at {@code expectedVersion} (-1: creates it). False when someone else changed
     * it first.
     */
    public static boolean casRing(CuratorFramework zk, ZkPaths paths, Ring next, int expectedVersion) throws Exception {
        byte[] data = ClusterJson.write(next);
        try {
            if (expectedVersion < 0) {
                zk.create().creatingParentsIfNeeded().forPath(paths.ring(), data);
            } else {
                zk.setData().withVersion(expectedVersion).forPath(paths.ring(), data);
            }
            return true;
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException | KeeperException.NoNodeException raced) {
            return false;
        }
    }

    public CuratorFramework curator() {
        return zk;
    }

    public ZkPaths paths() {
        return paths;
    }

    /** Writes new cluster settings, creating the znode if needed. */
    public static void writeSettings(CuratorFramework zk, ZkPaths paths, Settings settings) throws Exception {
        byte[] data = ClusterJson.write(settings);
        Stat stat = zk.checkExists().forPath(paths.settings());
        if (stat == null) {
            try {
                zk.create().creatingParentsIfNeeded().forPath(paths.settings(), data);
                return;
            } catch (KeeperException.NodeExistsException raced) {
                // someone created it meanwhile: fall through and overwrite
            }
        }
        zk.setData().forPath(paths.settings(), data);
    }

    /**
     * Takes a node that is gone for good out of the cluster. Refused while the node is live (its registration must
     * have ended: a stopped node's at once, a crashed node's when its ZooKeeper session times out). If the ring names
     * it, this starts the ring change that moves its keys to other nodes, and the nodes forget the member when the
     * change completes; a node the ring does not name is forgotten at once.
     *
     * @return true if a ring change was started, false if the member was simply forgotten
     */
    public static boolean removeMember(CuratorFramework zk, ZkPaths paths, String id) throws Exception {
        if (zk.checkExists().forPath(paths.node(id)) != null) {
            throw new IllegalStateException("node " + id + " is live (" + paths.node(id) + " exists): stop it first; "
                    + "a node that crashed stays live until its ZooKeeper session times out");
        }
        Stat stat = new Stat();
        byte[] data = zk.checkExists().forPath(paths.ring()) == null ? null : zk.getData().storingStatIn(stat).forPath(paths.ring());
        Ring ring = data == null ? null : ClusterJson.parse(data, paths.ring(), Ring.class);
        if (ring != null && ring.all().contains(id)) {
            if (ring.isJoint()) {
                throw new IllegalStateException("a ring change is under way (epoch " + ring.epoch() + ": " + ring.current()
                        + " -> " + ring.next() + "); remove " + id + " once it completes ('kvctl status' shows it)");
            }
            if (!casRing(zk, paths, ring.changing(id, false), stat.getVersion())) {
                throw new IllegalStateException("the ring changed while removing " + id + "; try again");
            }
            return true;
        }
        try {
            zk.delete().forPath(paths.member(id));
            return false;
        } catch (KeeperException.NoNodeException e) {
            throw new IllegalArgumentException("node " + id + " is not a member of cluster " + paths.cluster()
                    + " (no " + paths.member(id) + "); 'kvctl status' lists the members");
        }
    }

    /** Forgets a member's record once the ring no longer names it (the node completing a ring change does this). */
    public void forget(String id) throws Exception {
        try {
            zk.delete().forPath(paths.member(id));
        } catch (KeeperException.NoNodeException alreadyGone) {
            // another node completed the same change
        }
    }

    @Override
    public void close() throws IOException {
        if (progressNode != null) {
            progressNode.close();
        }
        if (registration != null) {
            registration.close();
        }
        cache.close();
    }
}
