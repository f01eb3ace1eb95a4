package org.elastichadoop.kv.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.apache.curator.framework.CuratorFramework;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.cluster.ClusterSnapshot;
import org.elastichadoop.kv.cluster.ClusterView;
import org.elastichadoop.kv.cluster.Membership;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.cluster.Placement;
import org.elastichadoop.kv.cluster.Settings;
import org.elastichadoop.kv.cluster.Zk;
import org.elastichadoop.kv.cluster.ZkPaths;
import org.elastichadoop.kv.concurrent.Futures;
import org.elastichadoop.kv.net.BlockingConnections;
import org.elastichadoop.kv.net.ConnectionPool;
import org.elastichadoop.kv.net.Connections;
import org.elastichadoop.kv.net.PeerClient;
import org.elastichadoop.kv.wire.GetPayload;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;

/**
 * Asynchronous access to a zk-kv-store cluster. It knows the members and live nodes from ZooKeeper and sends
 * each request to the first live node among the key's replicas (the first RF members of its preference list),
 * which coordinates it: a put completes once its value is the key's value and survives the loss of any one node; a get
 * answers the key's value, or "no entry" only when enough replicas hold nothing that no put of the key can have
 * been acknowledged. If that node fails, the next one is asked.
 * Thread-safe; one client per process is enough ({@link #connect}'s connections are pooled and multiplexed).
 */
public final class KvClient implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(KvClient.class);
    public static final long DEFAULT_TIMEOUT_MILLIS = 15_000;
    /** stat and status ask every node; one that does not answer within this is reported, not waited for. */
    private static final long INSPECT_TIMEOUT_MILLIS = 3_000;
    /** Coordinators tried per request; each asks the same replicas, so more rarely helps. */
    private static final int MAX_COORDINATORS = 3;

    private final ClusterView cluster;
    private final PeerClient peers;
    private final PeerClient inspect;
    /** Closed after the peers, in this order. */
    private final List<AutoCloseable> owned;

    private KvClient(ClusterView cluster, Connections connections, long timeoutMillis, AutoCloseable... owned) {
        this.cluster = cluster;
        this.peers = new PeerClient(connections, timeoutMillis);
        this.inspect = peers.withTimeout(Math.min(timeoutMillis, INSPECT_TIMEOUT_MILLIS));
        this.owned = List.of(owned);
    }

    /** Connects to ZooKeeper and follows the default cluster. */
    public static KvClient connect(String zkConnect) throws InterruptedException {
        return connect(zkConnect, ZkPaths.DEFAULT_CLUSTER, DEFAULT_TIMEOUT_MILLIS);
    }

    /** Follows the cluster's membership in ZooKeeper as it changes, over pooled connections: for a long-lived process. */
    public static KvClient connect(String zkConnect, String cluster, long timeoutMillis) throws InterruptedException {
        CuratorFramework zk = Zk.connect(zkConnect, 15_000, 10_000);
        try {
            Membership m = new Membership(zk, new ZkPaths(cluster)).start(30_000);
            return new KvClient(m, new ConnectionPool(2, 5_000), timeoutMillis, m, zk);
        } catch (RuntimeException | InterruptedException e) {
            zk.close();
            throw e;
        }
    }

    /** Uses a Curator client the caller owns (and closes). */
    public static KvClient using(CuratorFramework zk, String cluster) throws InterruptedException {
        Membership m = new Membership(zk, new ZkPaths(cluster)).start(30_000);
        return new KvClient(m, new ConnectionPool(2, 5_000), DEFAULT_TIMEOUT_MILLIS, m);
    }

    /**
     * Reads the cluster from ZooKeeper once and sends each request over a plain socket, answered before the call
     * returns: a small fraction of {@link #connect}'s start-up, for a command that makes a request or two and
     * exits (kvctl). It does not follow membership changes.
     */
    public static KvClient once(String zkConnect, String cluster, long timeoutMillis) throws InterruptedException {
        ClusterSnapshot snapshot = ClusterSnapshot.read(zkConnect, new ZkPaths(cluster), 10_000);
        return new KvClient(snapshot, new BlockingConnections(5_000), timeoutMillis);
    }

    /** Every member, live or not. */
    public Collection<NodeInfo> members() {
        return cluster.members();
    }

    /** The live nodes. */
    public Collection<NodeInfo> nodes() {
        return cluster.liveNodes();
    }

    public Settings settings() {
        return cluster.settings();
    }

    /** The ring as this client last saw it: which nodes hold data, and any change under way. */
    public org.elastichadoop.kv.cluster.Ring ring() {
        return cluster.ring();
    }

    public static int crc32c(byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(value);
        return (int) crc.getValue();
    }

    /**
     * Stores an immutable entry. Completes once W copies are durable. Fails with {@link KvException}:
     * IMMUTABLE_KEY if the key holds other bytes, DELETED if it was deleted, UNAVAILABLE if too few nodes are up.
     * Putting the same bytes again succeeds.
     */
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        return put(key, value, 0, value.length);
    }

    /** Like {@link #put(byte[], byte[])} with the value {@code value[offset .. offset + length)}, which is not copied. */
    public CompletableFuture<Void> put(byte[] key, byte[] value, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, value.length);
        CRC32C crc = new CRC32C();
        crc.update(value, offset, length);
        int valueCrc = (int) crc.getValue();
        return coordinated(key, n -> peers.put(n.address(), true, key, valueCrc, io.netty.buffer.Unpooled.wrappedBuffer(value, offset, length)));
    }

    /** Deletes an entry (a tombstone on every replica). Deleted keys are not reused. */
    public CompletableFuture<Void> delete(byte[] key) {
        return coordinated(key, n -> peers.delete(n.address(), true, key));
    }

    /** Live nodes to ask, in order: the key's replicas first (their copies answer without a hop), then the rest. */
    private List<NodeInfo> coordinators(byte[] key) {
        int rf = cluster.settings().replicationFactor();
        org.elastichadoop.kv.cluster.Ring ring = cluster.ring();
        List<NodeInfo> ringNodes = new ArrayList<>();
        if (ring.epoch() == 0) {
            ringNodes.addAll(cluster.members());
        } else {
            ring.current().stream().map(cluster::member).filter(java.util.Objects::nonNull).forEach(ringNodes::add);
        }
        List<NodeInfo> pref = Placement.preferenceList(key, ringNodes);
        List<NodeInfo> out = new ArrayList<>();
        for (NodeInfo n : pref.subList(0, Math.min(rf, pref.size()))) {
            if (cluster.isLive(n.id())) {
                out.add(cluster.node(n.id()));
            }
        }
        for (NodeInfo n : Placement.preferenceList(key, cluster.liveNodes())) {
            if (out.stream().noneMatch(o -> o.id().equals(n.id()))) {
                out.add(n);
            }
        }
        return out;
    }

    private CompletableFuture<Void> coordinated(byte[] key, Function<NodeInfo, CompletableFuture<Response>> send) {
        return ask(key, send).thenApply(r -> null);
    }

    /** The first answer that is not a node's own failure; UNAVAILABLE when every node failed. */
    private CompletableFuture<Response> ask(byte[] key, Function<NodeInfo, CompletableFuture<Response>> send) {
        List<NodeInfo> nodes = coordinators(key);
        if (nodes.isEmpty()) {
            return CompletableFuture.failedFuture(new KvException(Status.UNAVAILABLE, "no live zk-kv-store node is registered in ZooKeeper"));
        }
        return tryCoordinator(nodes, 0, send, null);
    }

    private CompletableFuture<Response> tryCoordinator(List<NodeInfo> nodes, int i, Function<NodeInfo, CompletableFuture<Response>> send,
                                                       String lastFailure) {
        if (i >= nodes.size() || i >= MAX_COORDINATORS) {
            return CompletableFuture.failedFuture(new KvException(Status.UNAVAILABLE, "no node could coordinate the request: " + lastFailure));
        }
        NodeInfo n = nodes.get(i);
        return send.apply(n).handle((r, e) -> {
            if (e == null && (r.status() == Status.OK || r.status() == Status.NOT_FOUND)) {
                return CompletableFuture.completedFuture(r);
            }
            if (e == null && r.status() != Status.ERROR && r.status() != Status.CORRUPT) {
                // IMMUTABLE_KEY, DELETED, BAD_REQUEST are answers; so is UNAVAILABLE: the outcome is unknown, and
                // another coordinator asks the same replicas
                return CompletableFuture.<Response>failedFuture(new KvException(r.status(), r.message()));
            }
            String why = n.id() + ": " + (e != null ? Futures.cause(e).getMessage() : r.status() + " " + r.message());
            LOG.debug("Coordinator {} failed ({}); trying the next node", n.id(), why);
            return tryCoordinator(nodes, i + 1, send, why);
        }).thenCompose(Function.identity());
    }

    /** The value, or null when the key has no entry or was deleted. */
    public CompletableFuture<byte[]> get(byte[] key) {
        return read(key, n -> peers.get(n.address(), true, key), r -> {
            GetPayload p = decode(r);
            if (p == null || crc32c(p.value()) != p.valueCrc()) {
                throw new KvException(Status.CORRUPT, "the value arrived damaged (CRC mismatch)");
            }
            return p.value();
        });
    }

    /**
     * {@code length} bytes from {@code offset} of the key's value, cut at the value's end (an offset at or past the
     * end gives no bytes); a negative offset counts from the end ({@code -n}: the last n bytes, all of a shorter
     * value). Null when the key has no entry or was deleted. A replica reads only the range from its disk.
     *
     * <p>The bytes are not checked against the value's CRC32C, which covers the whole value (the answer's lengths
     * are checked: CORRUPT if they do not add up). A caller that needs parts it can trust keeps its own checksums over
     * them and, on a mismatch, falls back to {@link #get}: that checks the whole value, and a replica whose copy
     * fails the check drops it, to be repaired from the others.
     */
    public CompletableFuture<ValueRange> getRange(byte[] key, long offset, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("range length " + length + " is negative");
        }
        return read(key, n -> peers.getRange(n.address(), key, offset, length),
                r -> RangeAnswer.decode(r.payload(), length));
    }

    /** Asks a coordinator; null when the key has no entry or was deleted, else {@code found} of the answer. */
    private <T> CompletableFuture<T> read(byte[] key, Function<NodeInfo, CompletableFuture<Response>> send,
                                          Function<Response, T> found) {
        return ask(key, send).handle((r, e) -> {
            if (e != null) {
                Throwable t = Futures.cause(e);
                if (t instanceof KvException k && k.status() == Status.DELETED) {
                    return null;
                }
                throw new CompletionException(t);
            }
            return r.status() == Status.NOT_FOUND ? null : found.apply(r);
        });
    }

    private static GetPayload decode(Response r) {
        try {
            return GetPayload.decode(r.payload());
        } catch (Exception e) {
            return null;
        }
    }

    /** What each live node holds for the key, by node id, best replica first; nodes that do not answer are left out. */
    public CompletableFuture<Map<String, KeyState>> stat(byte[] key) {
        List<NodeInfo> pref = Placement.preferenceList(key, cluster.liveNodes());
        List<CompletableFuture<List<KeyState>>> asks = new ArrayList<>();
        for (NodeInfo n : pref) {
            asks.add(inspect.meta(n.address(), List.of(key)).orTimeout(INSPECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .exceptionally(e -> null));
        }
        return CompletableFuture.allOf(asks.toArray(new CompletableFuture[0])).thenApply(v -> {
            Map<String, KeyState> out = new LinkedHashMap<>();
            for (int i = 0; i < pref.size(); i++) {
                List<KeyState> s = asks.get(i).join();
                if (s != null && !s.isEmpty()) {
                    out.put(pref.get(i).id(), s.get(0));
                }
            }
            return out;
        });
    }

    /** Every live node's figures (as its STATS answer), by node id; a node that does not answer maps to an "error" entry. */
    public CompletableFuture<Map<String, Map<String, Object>>> status() {
        List<NodeInfo> nodes = new ArrayList<>(cluster.liveNodes());
        nodes.sort((a, b) -> a.id().compareTo(b.id()));
        List<CompletableFuture<Map<String, Object>>> asks = new ArrayList<>();
        for (NodeInfo n : nodes) {
            asks.add(inspect.stats(n.address()).orTimeout(INSPECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).thenApply(KvClient::parseStats)
                    .exceptionally(e -> Map.of("id", n.id(), "error", String.valueOf(Futures.cause(e).getMessage()))));
        }
        return CompletableFuture.allOf(asks.toArray(new CompletableFuture[0])).thenApply(v -> {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                out.put(nodes.get(i).id(), asks.get(i).join());
            }
            return out;
        });
    }

    private static Map<String, Object> parseStats(Response r) {
        try {
            return new ObjectMapper().readValue(r.payload(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    @Override
    public void close() throws IOException {
        peers.close();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
