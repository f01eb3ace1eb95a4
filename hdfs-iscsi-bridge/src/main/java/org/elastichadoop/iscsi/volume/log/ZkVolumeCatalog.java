package org.elastichadoop.iscsi.volume.log;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.elastichadoop.kv.cluster.Zk;

/**
 * The volume catalog in ZooKeeper: one znode per volume under {@code root} holding the record as
 * JSON; the znode's data version is the record's version, so every change is a conditional
 * {@code setData}.
 */
public final class ZkVolumeCatalog implements VolumeCatalog {
    public static final String DEFAULT_ROOT = "/elastichadoop/volumes";
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_CONNECT_WAIT_MS = 15_000;

    private static final int MAX_READ_ATTEMPTS = 100;
    private static final Logger LOG = LogManager.getLogger(ZkVolumeCatalog.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String NAME_RULE = "1 to 64 characters of A-Z a-z 0-9 . _ -, and not \".\" or \"..\"";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final CuratorFramework zk;
    private final String root;
    private final boolean ownsClient;

    public ZkVolumeCatalog(CuratorFramework zk) {
        this(zk, DEFAULT_ROOT);
    }

    public ZkVolumeCatalog(CuratorFramework zk, String root) {
        this(zk, root, false);
    }

    private ZkVolumeCatalog(CuratorFramework zk, String root, boolean ownsClient) {
        if (!root.startsWith("/") || (root.length() > 1 && root.endsWith("/"))) {
            throw new IllegalArgumentException("catalog root must be an absolute znode path without a trailing /, not " + root);
        }
        this.zk = zk;
        this.root = root;
        this.ownsClient = ownsClient;
    }

    /** Connects to ZooKeeper with default timeouts; the catalog owns the client and closes it. */
    public static ZkVolumeCatalog connect(String zkConnect) {
        return connect(zkConnect, DEFAULT_SESSION_TIMEOUT_MS, DEFAULT_CONNECT_WAIT_MS);
    }

    public static ZkVolumeCatalog connect(String zkConnect, int sessionTimeoutMs, long connectWaitMs) {
        try {
            return new ZkVolumeCatalog(Zk.connect(zkConnect, sessionTimeoutMs, connectWaitMs), DEFAULT_ROOT, true);
        } catch (Zk.ZkUnreachableException e) {
            throw new CatalogException(CatalogException.Reason.UNAVAILABLE, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException(CatalogException.Reason.UNAVAILABLE, "interrupted connecting to ZooKeeper at " + zkConnect, e);
        }
    }

    /** Returns {@code name} if it is a valid volume name, else throws IllegalArgumentException. */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("bad volume name " + (name == null ? "null" : "\"" + name + "\"")
                    + ": a name is " + NAME_RULE);
        }
        return name;
    }

    @Override
    public Versioned create(VolumeRecord record) {
        String path = path(record.name());
        byte[] data = toJson(record);
        return call("create " + record.name(), () -> {
            try {
                zk.create().creatingParentsIfNeeded().forPath(path, data);
            } catch (KeeperException.NodeExistsException e) {
                throw new CatalogException(CatalogException.Reason.EXISTS, "volume " + record.name() + " already exists", e);
            }
            LOG.info("created volume {} (id {}, {} bytes)", record.name(), record.id(), record.sizeBytes());
            return new Versioned(record, 0);
        });
    }

    @Override
    public Optional<Versioned> read(String name) {
        String path = path(name);
        return call("read " + name, () -> {
            for (int attempt = 1; ; attempt++) {
                sync(path);
                Stat stat = new Stat();
                byte[] data;
                try {
                    data = zk.getData().storingStatIn(stat).forPath(path);
                } catch (KeeperException.NoNodeException e) {
                    return Optional.empty();
                }
                if (stillCurrent(path, stat.getVersion())) {
                    return Optional.of(new Versioned(fromJson(data, path), stat.getVersion()));
                }
                if (attempt == MAX_READ_ATTEMPTS) {
                    throw new CatalogException(CatalogException.Reason.UNAVAILABLE, "volume catalog: " + name
                            + " changed under each of " + attempt + " reads; too many writers at once?");
                }
            }
        });
    }

    /**
     * Whether the znode is still at {@code version}, checked by the leader. A sync alone is not
     * enough: on the leader itself a sync is a no-op and reads are served from its data tree while
     * an already acknowledged commit may still be queued, so a client connected to the leader can
     * read a value older than a write another client has seen succeed (seen with ZooKeeper 3.9.5
     * under load). A version check in a transaction goes through the leader's proposal pipeline,
     * so it fails if anything changed the znode before it.
     */
    private boolean stillCurrent(String path, int version) throws Exception {
        try {
            zk.transaction().forOperations(zk.transactionOp().check().withVersion(version).forPath(path));
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            LOG.debug("{} changed after it was read at version {}; reading again", path, version);
            return false;
        }
    }

    @Override
    public Optional<Versioned> compareAndSet(String name, int expectedVersion, VolumeRecord next) {
        String path = path(name);
        if (!name.equals(next.name())) {
            throw new IllegalArgumentException("cannot rename volume " + name + " to " + next.name() + " by compare-and-set");
        }
        byte[] data = toJson(next);
        return call("update " + name, () -> {
            try {
                Stat stat = zk.setData().withVersion(expectedVersion).forPath(path, data);
                return Optional.of(new Versioned(next, stat.getVersion()));
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
                LOG.debug("compare-and-set of {} at version {} lost: {}", name, expectedVersion, e.code());
                return Optional.empty();
            }
        });
    }

    @Override
    public List<String> list() {
        return call("list volumes", () -> {
            List<String> names;
            try {
                names = new ArrayList<>(zk.getChildren().forPath(root));
            } catch (KeeperException.NoNodeException e) {
                return List.of();
            }
            Collections.sort(names);
            return Collections.unmodifiableList(names);
        });
    }

    @Override
    public boolean delete(String name, int expectedVersion) {
        String path = path(name);
        return call("delete " + name, () -> {
            try {
                zk.delete().withVersion(expectedVersion).forPath(path);
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
                return false;
            }
            LOG.info("deleted volume {}", name);
            return true;
        });
    }

    @Override
    public void close() {
        if (ownsClient) {
            zk.close();
        }
    }

    private String path(String name) {
        return (root.equals("/") ? "" : root) + "/" + checkName(name);
    }

    /**
     * Makes the server this client talks to catch up with the leader, so the read that follows
     * sees every committed change (a follower may lag otherwise). Waits for it: a sync in flight
     * when the connection drops would otherwise leave the read unordered behind it.
     */
    private void sync(String path) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger rc = new AtomicInteger();
        zk.sync().inBackground((client, event) -> {
            rc.set(event.getResultCode());
            done.countDown();
        }).forPath(path);
        int waitMs = zk.getZookeeperClient().getConnectionTimeoutMs();
        if (!done.await(waitMs, TimeUnit.MILLISECONDS)) {
            throw new KeeperException.OperationTimeoutException();
        }
        KeeperException.Code code = KeeperException.Code.get(rc.get());
        if (code != KeeperException.Code.OK && code != KeeperException.Code.NONODE) {
            throw KeeperException.create(code, path);
        }
    }

    private interface ZkCall<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, ZkCall<T> op) {
        // Fail after one connection timeout instead of going through the whole retry policy
        // when no server is reachable at all.
        try {
            if (!zk.getZookeeperClient().blockUntilConnectedOrTimedOut()) {
                throw unavailable(what, null);
            }
            return op.run();
        } catch (CatalogException | IllegalArgumentException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException(CatalogException.Reason.UNAVAILABLE, "interrupted during " + what, e);
        } catch (Exception e) {
            throw unavailable(what, e);
        }
    }

    private CatalogException unavailable(String what, Exception cause) {
        String connect = zk.getZookeeperClient().getCurrentConnectionString();
        String detail = cause == null ? "not connected" : cause.toString();
        return new CatalogException(CatalogException.Reason.UNAVAILABLE, "volume catalog: cannot " + what + " (" + detail
                + "). Is ZooKeeper running at " + connect + " with a quorum of its servers up?", cause);
    }

    private static byte[] toJson(VolumeRecord record) {
        checkName(record.name());
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode volume record " + record.name(), e);
        }
    }

    private static VolumeRecord fromJson(byte[] data, String path) throws IOException {
        try {
            return JSON.readValue(data, VolumeRecord.class);
        } catch (IOException e) {
            throw new IOException("znode " + path + " does not hold a volume record", e);
        }
    }
}
