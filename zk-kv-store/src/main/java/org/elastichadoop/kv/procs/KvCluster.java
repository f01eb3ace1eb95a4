package org.elastichadoop.kv.procs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * A ZooKeeper and N kv nodes as processes on this machine (or N nodes on a ZooKeeper someone else runs), for
 * benchmarks and tests. Nodes are numbered from 0; node i keeps its id, ports and data directory across restarts.
 * Logs go to {@code LOGDIR/PREFIXzookeeper.log} and {@code LOGDIR/PREFIXID.log} unless a start names another.
 *
 * <pre>{@code
 * try (KvCluster c = KvCluster.builder(dir).binScripts(root.resolve("bin")).nodes(3).build()) {
 *     c.start();
 *     KvClient.connect(c.zkConnect(), ...);
 * }
 * }</pre>
 */
public final class KvCluster implements AutoCloseable {
    private final Builder b;
    private final Set<Integer> reserved = new HashSet<>();
    private final List<Slot> slots = new ArrayList<>();
    private final int zkPort;
    private RunningProgram zooKeeper;
    private Thread exitHook;

    /** One node's place: what stays the same when it restarts, and its current process. */
    private static final class Slot {
        final String id;
        final int port;
        final int metricsPort;
        final Path data;
        String logName;
        RunningProgram program;

        Slot(String id, int port, int metricsPort, Path data, String logName) {
            this.id = id;
            this.port = port;
            this.metricsPort = metricsPort;
            this.data = data;
            this.logName = logName;
        }
    }

    private KvCluster(Builder b) throws IOException {
        this.b = b;
        if (b.externalZooKeeper == null) {
            Objects.requireNonNull(b.zooKeeperLauncher, "how to run ZooKeeper (zooKeeperCommand or binScripts)");
            zkPort = b.zooKeeperPort > 0 ? b.zooKeeperPort : reserve();
        } else {
            zkPort = -1;
        }
        Objects.requireNonNull(b.nodeLauncher, "how to run a node (nodeCommand or binScripts)");
        for (int i = 0; i < b.nodes; i++) {
            slots.add(newSlot(i));
        }
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    private int reserve() throws IOException {
        int port = FreePorts.belowEphemeral(reserved);
        reserved.add(port);
        return port;
    }

    private Slot newSlot(int i) throws IOException {
        String id = b.nodeIds.apply(i);
        int port = b.nodePorts != null ? b.nodePorts.applyAsInt(i) : reserve();
        int metrics = b.metricsPorts != null ? b.metricsPorts.applyAsInt(i) : -1;
        return new Slot(id, port, metrics, b.dataDir.resolve(id), b.logPrefix + id);
    }

    /** Starts ZooKeeper (unless external), then every node, and waits until all are ready. */
    public KvCluster start() throws IOException, InterruptedException {
        if (b.externalZooKeeper == null) startZooKeeper();
        for (Slot s : slots) {
            launch(s);
        }
        for (Slot s : slots) {
            s.program.awaitLine(KvPrograms.NODE_READY, b.startTimeout);
        }
        return this;
    }

    /** Starts ZooKeeper (again), with its log in {@code PREFIXzookeeper}, and waits until it serves. */
    public RunningProgram startZooKeeper() throws IOException, InterruptedException {
        return startZooKeeper(b.logPrefix + "zookeeper");
    }

    /** Starts ZooKeeper (again) on the same port and data, its output in {@code LOGDIR/logName.log}; waits until it serves. */
    public RunningProgram startZooKeeper(String logName) throws IOException, InterruptedException {
        if (b.externalZooKeeper != null) throw new IllegalStateException("this cluster uses ZooKeeper " + b.externalZooKeeper);
        if (zooKeeper != null && zooKeeper.isAlive()) throw new IllegalStateException("ZooKeeper is running: " + zooKeeper);
        zooKeeper = configure(KvPrograms.zooKeeper(b.zooKeeperLauncher, zkPort, b.zooKeeperData, log(logName))).start();
        return zooKeeper.awaitLine(KvPrograms.ZOOKEEPER_READY, b.startTimeout);
    }

    /** Starts node {@code i} again (or, for i == size(), a new one) with its previous log; waits until it is ready. */
    public RunningProgram startNode(int i) throws IOException, InterruptedException {
        return startNode(i, i < slots.size() ? slots.get(i).logName : null);
    }

    /**
     * Starts node {@code i} again, its output in {@code LOGDIR/logName.log}, or for i == size() a new node with the
     * next id and new ports; waits until it is ready.
     */
    public RunningProgram startNode(int i, String logName) throws IOException, InterruptedException {
        if (i == slots.size()) {
            slots.add(newSlot(i));
        } else if (i > slots.size()) {
            throw new IllegalArgumentException("node " + i + " of " + slots.size() + ": nodes are added one at a time");
        }
        Slot s = slots.get(i);
        if (s.program != null && s.program.isAlive()) throw new IllegalStateException("node " + s.id + " is running: " + s.program);
        if (logName != null) s.logName = logName;
        launch(s);
        return s.program.awaitLine(KvPrograms.NODE_READY, b.startTimeout);
    }

    private void launch(Slot s) throws IOException {
        Program p = KvPrograms.kvNode(b.nodeLauncher.apply(slots.indexOf(s)), zkConnect(), s.id, s.port, s.metricsPort, s.data, b.nodeArgs,
                log(s.logName)).env(b.nodeEnv);
        s.program = configure(p).start();
    }

    private Program configure(Program p) {
        if (b.workingDir != null) p = p.in(b.workingDir);
        if (b.ownSessions) p = p.ownSession();
        if (b.freshLogs) p = p.freshLog();
        return p;
    }

    private Path log(String name) {
        return b.logDir.resolve(name + ".log");
    }

    /** The connect string of the cluster's ZooKeeper. */
    public String zkConnect() {
        return b.externalZooKeeper != null ? b.externalZooKeeper : "127.0.0.1:" + zkPort;
    }

    /** ZooKeeper's client port; -1 for an external ZooKeeper. */
    public int zooKeeperPort() {
        return zkPort;
    }

    /** The ZooKeeper process last started; null for an external ZooKeeper or before {@link #start()}. */
    public RunningProgram zooKeeper() {
        return zooKeeper;
    }

    public int size() {
        return slots.size();
    }

    /** Node i's process as last started (it may have exited since); null if it was never started. */
    public RunningProgram node(int i) {
        return slots.get(i).program;
    }

    public String nodeId(int i) {
        return slots.get(i).id;
    }

    public int nodePort(int i) {
        return slots.get(i).port;
    }

    public Path dataDir(int i) {
        return slots.get(i).data;
    }

    /** The processes started and still running: ZooKeeper (if it is ours), then the nodes. */
    public List<RunningProgram> running() {
        List<RunningProgram> all = new ArrayList<>();
        if (zooKeeper != null && zooKeeper.isAlive()) all.add(zooKeeper);
        for (Slot s : slots) {
            if (s.program != null && s.program.isAlive()) all.add(s.program);
        }
        return all;
    }

    /**
     * Also stops the cluster when this JVM exits before {@link #close()} (Ctrl-C, SIGTERM): the processes run in
     * sessions of their own, or outlive a killed parent, otherwise.
     */
    public synchronized KvCluster stopOnExit() {
        if (exitHook == null) {
            exitHook = new Thread(() -> {
                try {
                    stopAll();
                } catch (InterruptedException e) {
                    killAll();
                }
            }, "kv-cluster-stop");
            Runtime.getRuntime().addShutdownHook(exitHook);
        }
        return this;
    }

    /**
     * Stops every node (at once, each with the builder's stop grace), then ZooKeeper; a thread interrupted before or
     * during it kills them at once.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (exitHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(exitHook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs, or ran, stopAll too
                }
                exitHook = null;
            }
        }
        boolean interrupted = Thread.interrupted();
        try {
            if (interrupted) {
                killAll();
            } else {
                stopAll();
            }
        } catch (InterruptedException e) {
            interrupted = true;
            killAll();
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void killAll() {
        for (RunningProgram p : running()) {
            p.process().descendants().forEach(ProcessHandle::destroyForcibly);
            p.process().destroyForcibly();
        }
    }

    private void stopAll() throws InterruptedException {
        List<Thread> stopping = new ArrayList<>();
        for (Slot s : slots) {
            RunningProgram p = s.program;
            if (p == null) continue;
            Thread t = new Thread(() -> {
                try {
                    p.stop(b.stopGrace);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-" + s.id);
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            t.join();
        }
        if (zooKeeper != null) zooKeeper.stop(b.stopGrace);
    }

    /** What the cluster is made of; every setting has a default but how to run the programs. */
    public static final class Builder {
        private final Path dataDir;
        private Path logDir;
        private String logPrefix = "";
        private Path zooKeeperData;
        private int nodes = 3;
        private IntFunction<String> nodeIds = i -> "node" + (i + 1);
        private int zooKeeperPort;
        private String externalZooKeeper;
        private IntUnaryOperator nodePorts;
        private IntUnaryOperator metricsPorts;
        private List<String> nodeArgs = List.of();
        private Map<String, String> nodeEnv = Map.of();
        private Launcher zooKeeperLauncher;
        private IntFunction<Launcher> nodeLauncher;
        private Path workingDir;
        private boolean ownSessions;
        private boolean freshLogs;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration stopGrace = RunningProgram.DEFAULT_STOP_GRACE;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
            this.logDir = dataDir;
            this.zooKeeperData = dataDir.resolve("zookeeper");
        }

        /** ZooKeeper and nodes run through the scripts {@code bin/zookeeper} and {@code bin/kvnode} in {@code binDir}. */
        public Builder binScripts(Path binDir) {
            Launcher node = Launcher.script(binDir.resolve("kvnode"));
            zooKeeperLauncher = Launcher.script(binDir.resolve("zookeeper"));
            nodeLauncher = i -> node;
            return this;
        }

        public Builder zooKeeperCommand(Launcher launcher) {
            zooKeeperLauncher = launcher;
            return this;
        }

        /** How node i is run (e.g. with JVM options of its own). */
        public Builder nodeCommand(IntFunction<Launcher> launcher) {
            nodeLauncher = launcher;
            return this;
        }

        /** Where the logs go (default: the data directory). */
        public Builder logDir(Path dir) {
            logDir = dir;
            return this;
        }

        /** Put before every log's name (default none). */
        public Builder logPrefix(String prefix) {
            logPrefix = prefix;
            return this;
        }

        /** ZooKeeper's data directory (default DATADIR/zookeeper). */
        public Builder zooKeeperData(Path dir) {
            zooKeeperData = dir;
            return this;
        }

        /** How many nodes {@link #start()} starts (default 3). */
        public Builder nodes(int count) {
            nodes = count;
            return this;
        }

        /** Node i's id, also the name of its data directory under DATADIR and of its log (default node1, node2, ...). */
        public Builder nodeIds(IntFunction<String> ids) {
            nodeIds = ids;
            return this;
        }

        /** ZooKeeper's client port (default: a free port below the ephemeral range). */
        public Builder zooKeeperPort(int port) {
            zooKeeperPort = port;
            return this;
        }

        /** Use this ZooKeeper instead of starting one. */
        public Builder externalZooKeeper(String connect) {
            externalZooKeeper = connect;
            return this;
        }

        /** Node i's port (default: free ports below the ephemeral range). */
        public Builder nodePorts(IntUnaryOperator ports) {
            nodePorts = ports;
            return this;
        }

        /** Node i's metrics port (default: no metrics endpoint). */
        public Builder metricsPorts(IntUnaryOperator ports) {
            metricsPorts = ports;
            return this;
        }

        /** Further kvnode options for every node. */
        public Builder nodeArgs(String... args) {
            nodeArgs = List.of(args);
            return this;
        }

        /** Environment added for the nodes (e.g. KV_JAVA_OPTS for bin/kvnode). */
        public Builder nodeEnv(Map<String, String> env) {
            nodeEnv = Map.copyOf(env);
            return this;
        }

        /** The programs' working directory (default this process's). */
        public Builder in(Path dir) {
            workingDir = dir;
            return this;
        }

        /** Each program in a session of its own ({@link Program#ownSession()}). */
        public Builder ownSessions() {
            ownSessions = true;
            return this;
        }

        /** Each start empties its log first instead of appending. */
        public Builder freshLogs() {
            freshLogs = true;
            return this;
        }

        /** How long a start waits for the ready line (default 60 s). */
        public Builder startTimeout(Duration timeout) {
            startTimeout = timeout;
            return this;
        }

        /** How long {@link KvCluster#close()} waits after SIGTERM before SIGKILL; zero kills at once (default 15 s). */
        public Builder stopGrace(Duration grace) {
            stopGrace = grace;
            return this;
        }

        /** The cluster, not started yet; its ports are chosen now. */
        public KvCluster build() throws IOException {
            return new KvCluster(this);
        }
    }
}
