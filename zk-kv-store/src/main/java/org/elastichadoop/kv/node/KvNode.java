package org.elastichadoop.kv.node;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.cluster.Membership;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.cluster.ZkPaths;
import org.elastichadoop.kv.metrics.MetricsHttpServer;
import org.elastichadoop.kv.metrics.NodeMetrics;
import org.elastichadoop.kv.net.ConnectionPool;
import org.elastichadoop.kv.net.PeerClient;
import org.elastichadoop.kv.net.Transport;
import org.elastichadoop.kv.storage.LogStore;
import org.elastichadoop.kv.storage.StoreOptions;
import org.elastichadoop.kv.storage.StoreStats;
import org.elastichadoop.kv.wire.Frames;

/**
 * A storage node: its store, the server for the node protocol, its place in the cluster (registered in
 * ZooKeeper), and the background work that keeps replicas complete (hinted handoff, anti-entropy).
 */
public final class KvNode implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(KvNode.class);
    private static final long MEMBERSHIP_SETTLE_MILLIS = 3_000;

    private final NodeConfig config;
    private final String id;
    private final LogStore store;
    private final HintLog hints;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final PeerClient peers;
    private final Membership membership;
    private final NodeMetrics metrics;
    private final AntiEntropy antiEntropy;
    private final HintedHandoff handoff;
    private static final long RING_TICK_MILLIS = 500;
    private static final long RING_JOIN_WAIT_MILLIS = 10_000;
    private final ScheduledExecutorService background;
    /** Ring upkeep: ticks on one thread, handovers on another, so a long handover never delays a tick. */
    private final ScheduledExecutorService ringTicks;
    private final java.util.concurrent.ExecutorService handovers;
    private final RingKeeper ringKeeper;
    private final AtomicBoolean repairQueued = new AtomicBoolean();
    private MetricsHttpServer metricsServer;
    private Channel serverChannel;
    private NodeInfo self;

    private KvNode(NodeConfig config, CuratorFramework zk) throws IOException {
        this.config = config;
        Files.createDirectories(config.dataDir());
        this.id = config.id() != null ? config.id() : storedId(config.dataDir());
        this.store = LogStore.open(config.dataDir().resolve("data"), config.storeOptions());
        this.hints = new HintLog(LogStore.open(config.dataDir().resolve("hints"),
                StoreOptions.builder().segmentBytes(4 << 20).compactionIntervalMillis(60_000).build()));
        this.boss = Transport.newGroup(1, "kv-accept-" + id);
        this.workers = Transport.newGroup(config.ioThreads(), "kv-io-" + id);
        this.peers = new PeerClient(new ConnectionPool(workers, false, 2, (int) config.requestTimeoutMillis()),
                config.requestTimeoutMillis());
        this.membership = new Membership(zk, new ZkPaths(config.cluster()));
        LocalStore local = new LocalStore(store);
        Acceptor acceptor = new Acceptor(id, local, () -> membership.ring().epoch());
        Coordinator coordinator = new Coordinator(id, membership, acceptor, peers, hints, config.requestTimeoutMillis());
        this.antiEntropy = new AntiEntropy(id, local, membership, peers, coordinator);
        this.handoff = new HintedHandoff(hints, local, membership, peers, config.hintTtlMillis());
        this.metrics = new NodeMetrics(id, () -> store.stats().entries(), () -> store.stats().totalBytes(),
                hints::pending, antiEntropy::underReplicated, antiEntropy::conflicts, () -> store.stats().syncs());
        RequestHandler handler = new RequestHandler(local, acceptor, coordinator, metrics, this::stats);
        this.background = Executors.newScheduledThreadPool(2, daemon("kv-repair-" + id));
        this.ringTicks = Executors.newSingleThreadScheduledExecutor(daemon("kv-ring-" + id));
        this.handovers = Executors.newSingleThreadExecutor(daemon("kv-handover-" + id));
        this.ringKeeper = new RingKeeper(id, membership, coordinator, local, handovers);
        this.serverChannel = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Frames.install(ch.pipeline(), Frames.DEFAULT_MAX_FRAME_BYTES, handler);
                    }
                })
                .bind(config.host(), config.port()).syncUninterruptibly().channel();
    }

    /** Opens the store (recovering it), serves, and joins the cluster. */
    public static KvNode start(NodeConfig config, CuratorFramework zk) throws Exception {
        KvNode node = new KvNode(config, zk);
        try {
            node.join();
        } catch (Exception e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void join() throws Exception {
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        int metricsPort = -1;
        if (config.metricsPort() >= 0) {
            metricsServer = new MetricsHttpServer(config.host(), config.metricsPort(), metrics::prometheusText);
            metricsPort = metricsServer.port();
        }
        metrics.registerJmx();
        membership.start(30_000);
        long capacity = Files.getFileStore(config.dataDir()).getUsableSpace();
        self = new NodeInfo(id, config.host(), port, metricsPort, capacity, System.currentTimeMillis());
        membership.register(self);
        background.scheduleWithFixedDelay(guard("hinted handoff", handoff::round),
                config.hintRetryMillis(), config.hintRetryMillis(), TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(guard("anti-entropy", antiEntropy::pass),
                config.antiEntropyMillis(), config.antiEntropyMillis(), TimeUnit.MILLISECONDS);
        // a node that left, joined or came back changes replica sets: repair soon, once membership settles
        membership.addListener(this::repairSoon);
        repairSoon();
        ringTicks.scheduleWithFixedDelay(guard("ring upkeep", ringKeeper::tick), 0, RING_TICK_MILLIS, TimeUnit.MILLISECONDS);
        membership.addListener(() -> {
            try {
                ringTicks.execute(guard("ring upkeep", ringKeeper::tick));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the node is closing
            }
        });
        awaitRing();
        StoreStats s = store.stats();
        LOG.info("Node {} serving on {}:{} (metrics {}), {} entries, {} bytes in {}",
                id, config.host(), port, metricsPort < 0 ? "off" : "on port " + metricsPort, s.entries(), s.totalBytes(), config.dataDir());
    }

    /** Waits (a few seconds at most) until the ring names this node, so that "serving" means it holds data. */
    private void awaitRing() throws InterruptedException {
        long until = System.currentTimeMillis() + RING_JOIN_WAIT_MILLIS;
        while (!membership.ring().all().contains(id)) {
            if (System.currentTimeMillis() > until) {
                LOG.warn("Node {} is not in the ring yet (epoch {}: {}); it serves as a coordinator and joins once the "
                        + "change under way completes", id, membership.ring().epoch(), membership.ring().current());
                return;
            }
            Thread.sleep(20);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void repairSoon() {
        if (repairQueued.compareAndSet(false, true)) {
            background.schedule(guard("anti-entropy", () -> {
                repairQueued.set(false);
                antiEntropy.pass();
            }), MEMBERSHIP_SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private static Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{} round failed; it runs again at its next interval", what, e);
            }
        };
    }

    private static String storedId(Path dataDir) throws IOException {
        Path f = dataDir.resolve("node-id");
        if (Files.exists(f)) {
            return Files.readString(f, StandardCharsets.UTF_8).trim();
        }
        String id = "node-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(f, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    public String id() {
        return id;
    }

    public NodeInfo info() {
        return self;
    }

    public LogStore store() {
        return store;
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    /** Runs one anti-entropy pass now (tests and operators; the node also runs them on its own). */
    public void repairNow() {
        antiEntropy.pass();
    }

    /** Delivers pending hints now. */
    public void deliverHintsNow() {
        handoff.round();
    }

    public long hintsPending() {
        return hints.pending();
    }

    /** The figures a STATS request returns. */
    public Map<String, Object> stats() {
        StoreStats s = store.stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("address", config.host() + ":" + (self != null ? self.port() : config.port()));
        m.put("entries", s.entries());
        m.put("tombstones", s.tombstones());
        m.put("liveBytes", s.liveBytes());
        m.put("storedBytes", s.totalBytes());
        m.put("segments", s.segments());
        m.put("hintsPending", hints.pending());
        m.put("underReplicated", antiEntropy.underReplicated());
        m.put("conflicts", antiEntropy.conflicts());
        m.putAll(metrics.snapshot());
        return m;
    }

    @Override
    public void close() {
        ringTicks.shutdownNow();
        handovers.shutdownNow();
        background.shutdownNow();
        // Leave first, so clients stop sending here; a ZooKeeper that does not answer must not hold the stop
        // (the registration is ephemeral: it ends with the session anyway)
        within(LEAVE_WAIT_MILLIS, "leaving the cluster in ZooKeeper", membership::close);
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        metrics.unregisterJmx();
        peers.close();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        quietly(hints::close);
        quietly(store::close);
        LOG.info("Node {} stopped", id);
    }

    private interface Closer {
        void close() throws Exception;
    }

    /** How long a stopping node waits for ZooKeeper to take its leave. */
    static final long LEAVE_WAIT_MILLIS = 1_000;

    /** Runs {@code c} on a thread of its own and waits for it at most {@code millis}; past that it goes on alone. */
    private static void within(long millis, String what, Closer c) {
        Thread t = new Thread(() -> quietly(c), "stopping: " + what);
        t.setDaemon(true);
        t.start();
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("Stopping: {} did not finish within {} ms (is ZooKeeper reachable?); going on without it", what, millis);
        }
    }

    private static void quietly(Closer c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("While stopping: {}", e.toString());
        }
    }
}
