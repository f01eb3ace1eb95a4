package org.elastichadoop.iscsi.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.elastichadoop.kv.procs.KvCluster;
import org.elastichadoop.kv.procs.RunningProgram;

/**
 * The store under the log volumes: bin/zookeeper and three bin/kvnode processes (RF 3, W 2) with their data in
 * DIR/log, on the ports of --log-zk-port and --log-kv-port (metrics on +2000), each logging to DIR/logs/log-NAME.log.
 * Started by the first log-volume target that needs it, stopped after the last.
 */
final class LogStore implements AutoCloseable {
    static final int NODES = 3;
    private final BenchConfig cfg;
    private final CommandLog commands;
    private KvCluster cluster;

    LogStore(BenchConfig cfg, CommandLog commands) {
        this.cfg = cfg;
        this.commands = commands;
    }

    Path data() {
        return cfg.dir().resolve("log");
    }

    /** Starts ZooKeeper and the nodes in a fresh DIR/log, once; waits until each is ready. */
    synchronized KvCluster start() throws IOException, InterruptedException {
        if (cluster != null) return cluster;
        Path data = data();
        deleteTree(data);
        Files.createDirectories(data);
        Path bin = cfg.root().resolve("bin");
        cluster = KvCluster.builder(data).binScripts(bin).nodes(NODES).zooKeeperPort(cfg.logZkPort())
                .nodePorts(i -> cfg.logKvPort() + i).metricsPorts(i -> cfg.logKvPort() + 2000 + i)
                .logDir(cfg.logDir()).logPrefix("log-").ownSessions().freshLogs()
                .startTimeout(cfg.startTimeout()).stopGrace(RunningProgram.DEFAULT_STOP_GRACE).build();
        Progress.log("log: starting ZooKeeper on " + cluster.zkConnect() + " and " + NODES + " KV nodes (logs " + cfg.logDir().resolve("log-*.log") + ")");
        try {
            cluster.start();
        } finally {
            for (RunningProgram p : cluster.running()) {
                Map<String, String> env = p == cluster.zooKeeper() ? Map.of()
                        : Map.of("KV_JAVA_OPTS", System.getenv().getOrDefault("KV_JAVA_OPTS", ""));
                commands.record("log start", env, p.program().command());
            }
        }
        return cluster;
    }

    String zk() {
        return cluster.zkConnect();
    }

    /** A fresh log volume of the LUN size in the store. */
    void createVolume(String name) throws IOException, InterruptedException {
        createVolume(name, cfg.size(), cfg.blockSize());
    }

    /** A fresh log volume of {@code size} (e.g. "1T") with {@code blockSize}-byte blocks. */
    void createVolume(String name, String size, int blockSize) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(cfg.bridgeCmd());
        cmd.addAll(List.of("volume", "create", name, "--size", size, "--block-size", Integer.toString(blockSize), "--zk", zk()));
        commands.record("log setup", cmd);
        commands.run(cmd, cfg.logDir().resolve("log-volume.log"));
    }

    List<RunningProgram> nodes() {
        List<RunningProgram> nodes = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            nodes.add(cluster.node(i));
        }
        return nodes;
    }

    RunningProgram zooKeeper() {
        return cluster.zooKeeper();
    }

    @Override
    public synchronized void close() {
        if (cluster == null) return;
        Progress.log("log: stopping the KV nodes and ZooKeeper");
        cluster.close();
        cluster = null;
    }

    /** Reads every file under {@code dir} once (into the page cache); returns the bytes read. */
    static long readAll(Path dir) throws IOException {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(1 << 20);
        long total = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
                    for (int n; (n = ch.read(buffer.clear())) > 0; ) total += n;
                } catch (java.nio.file.NoSuchFileException gone) {
                    // compacted away meanwhile
                }
            }
        }
        return total;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
