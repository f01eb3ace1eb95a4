package org.elastichadoop.iscsi.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elastichadoop.kv.procs.KvCluster;
import org.elastichadoop.kv.procs.RunningProgram;

/**
 * Our target on a log volume kept in HDFS ("hdfs"): a ZooKeeper for the catalog (bin/zookeeper on --log-zk-port + 1),
 * a NameNode and three DataNodes of --hadoop-home ({@link HdfsDaemons}, data under DIR/hdfs), the volume
 * {@code bench-hdfs} created with {@code --store hdfs://.../bench}, and a bridge with HADOOP_CONF_DIR pointing at the
 * cluster's client configuration, as an operator would run it. Its segment cache is the small one of --cache-mb, so
 * that what it reads comes from the DataNodes and the read rows measure HDFS.
 */
final class HdfsVolumeTarget implements Target {
    static final int DATA_NODES = 3;
    private final BenchConfig cfg;
    private final CommandLog commands;
    private final BridgeLauncher bridges;
    private KvCluster zooKeeper;
    private HdfsDaemons hdfs;
    private RunningProgram bridge;

    HdfsVolumeTarget(BenchConfig cfg, CommandLog commands, BridgeLauncher bridges) {
        this.cfg = cfg;
        this.commands = commands;
        this.bridges = bridges;
    }

    static int zooKeeperPort(BenchConfig cfg) {
        return cfg.logZkPort() + 1;
    }

    Path data() {
        return cfg.dir().resolve("hdfs");
    }

    @Override
    public String key() {
        return "hdfs";
    }

    @Override
    public String url() {
        return "iscsi://" + BenchConfig.HOST + ":" + cfg.hdfsPort() + "/" + cfg.iqns().hdfs() + "/0";
    }

    @Override
    public void start() throws Exception {
        LogStore.deleteTree(data());
        zooKeeper = KvCluster.builder(data().resolve("zk")).binScripts(cfg.root().resolve("bin")).nodes(0)
                .zooKeeperPort(zooKeeperPort(cfg)).logDir(cfg.logDir()).logPrefix("hdfs-").ownSessions().freshLogs()
                .startTimeout(cfg.startTimeout()).stopGrace(RunningProgram.DEFAULT_STOP_GRACE).build();
        zooKeeper.startZooKeeper();
        commands.record("hdfs start", zooKeeper.zooKeeper().program().command());
        Progress.log("hdfs: starting a NameNode and " + DATA_NODES + " DataNodes of " + cfg.hadoopHome() + " (logs "
                + cfg.logDir().resolve("hdfs-*.log") + ")");
        hdfs = HdfsDaemons.in(cfg.hadoopHome(), data().resolve("cluster"), cfg.logDir(), "hdfs-", DATA_NODES, "-Xmx512m", cfg.startTimeout());
        hdfs.start();
        commands.record("hdfs start", hdfs.nameNode().program().command());
        Map<String, String> env = Map.of("HADOOP_CONF_DIR", hdfs.confDir().toString());
        List<String> create = new ArrayList<>(cfg.bridgeCmd());
        create.addAll(List.of("volume", "create", "bench-hdfs", "--size", cfg.size(), "--block-size", Integer.toString(cfg.blockSize()),
                "--store", hdfs.uri() + "/bench", "--zk", zooKeeper.zkConnect()));
        commands.record("hdfs setup", env, create);
        commands.run(create, env, cfg.logDir().resolve("hdfs-volume.log"));
        bridge = bridges.start(key(), "our HDFS-volume target", List.of("--zk", zooKeeper.zkConnect(), "--volume", "bench-hdfs",
                "--cache", cfg.cacheMb() + "M"), env, cfg.iqns().hdfs(), cfg.hdfsPort(), cfg.logDir().resolve("hdfs-bridge.log"));
    }

    /** The bridge, the NameNode, the DataNodes and ZooKeeper: all the work a write to the volume costs on this machine. */
    @Override
    public List<Role> roles() {
        return List.of(new Role("bridge", List.of(bridge)), new Role("NameNode", List.of(hdfs.nameNode())),
                new Role(DATA_NODES + " DataNodes", hdfs.dataNodes()), new Role("ZooKeeper", List.of(zooKeeper.zooKeeper())));
    }

    @Override
    public void close() {
        if (bridge != null) {
            Progress.log("hdfs: stopping the bridge (pid " + bridge.pid() + "), the DataNodes, the NameNode and ZooKeeper");
            bridge.close();
            bridge = null;
        }
        if (hdfs != null) hdfs.close();
        if (zooKeeper != null) zooKeeper.close();
        hdfs = null;
        zooKeeper = null;
    }

    static void check(BenchConfig cfg) throws IOException {
        if (!java.nio.file.Files.isDirectory(cfg.hadoopHome().resolve("share/hadoop/hdfs"))) {
            throw new IOException("the hdfs target needs a Hadoop 3 release at " + cfg.hadoopHome() + " (--hadoop-home); build the one this "
                    + "repository tests with: mvn -B package -pl src-it/hadoop3-release -am -DskipTests -DskipITs, or leave hdfs out of --only");
        }
    }
}
