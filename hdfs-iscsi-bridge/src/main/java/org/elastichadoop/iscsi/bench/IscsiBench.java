package org.elastichadoop.iscsi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.elastichadoop.kv.procs.ProgramNotReadyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/iscsi-bench}: our iSCSI target (bin/iscsi-bridge) against tgt on this machine, with the same backing file
 * system, LUN size and fill, and the same initiator tools; prints a table per run with each ratio to tgt and its goal,
 * the target-side CPU per MiB written, and the exact commands. docs/benchmarks.md explains the figures.
 */
@Command(name = "iscsi-bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110, subcommands = ScaleBench.class,
        description = {
                "Compares our iSCSI target (bin/iscsi-bridge) with tgt on this machine: sequential 1 MiB reads and",
                "writes at depth 16 (qemu-img bench) and random 4 KiB reads at depth 32 (iscsi-perf), each after a",
                "short warm-up, the targets interleaved per load (the order rotates between runs). Targets:",
                "  tgt       tgtd serving a file",
                "  ours      bin/iscsi-bridge serving a file (FileVolume)",
                "  log       bin/iscsi-bridge serving a log volume kept on three zk-kv-store nodes (RF 3, W 2) and a",
                "            ZooKeeper, all started here",
                "  uncached  a second log volume on the same nodes, filled with 4 KiB writes in a scattered order and",
                "            served with a small segment cache (--cache-mb): random 4 KiB reads from the KV nodes",
                "  hdfs      bin/iscsi-bridge serving a log volume kept in HDFS: a NameNode and three DataNodes of",
                "            --hadoop-home and a ZooKeeper (on --log-zk-port + 1), all started here; the small segment",
                "            cache of --cache-mb, so that its reads come from the DataNodes",
                "During the measured seq write, the CPU time of each target's processes is read from /proc/PID/stat",
                "(tgtd; the bridge; the log bridge, its KV nodes and ZooKeeper; the hdfs bridge, the NameNode, the",
                "DataNodes and ZooKeeper) and reported per MiB written, with the",
                "part the JVMs' JIT compiler threads spent (large until they are warm) and the ratio without it.",
                "",
                "Options (defaults in brackets):"},
        footer = {"",
                "Environment: TGT_IQN, TGT_LUN (1: tgt's LUN 0 is its controller), OURS_IQN, OURS_LUN (0), LOG_IQN and",
                "UNCACHED_IQN, HDFS_IQN (LUN 0); BRIDGE_JAVA_OPTS and KV_JAVA_OPTS reach our targets and the KV nodes.",
                "Goals: ours/tgt >= 1.20 for every load; log/tgt >= 0.60 for writes and >= 0.90 for reads; uncached/tgt >= 0.50;",
                "hdfs/tgt >= 0.50 for writes and >= 0.90 for sequential reads.",
                "The report goes to stdout, progress to stderr; commands and their output to DIR/logs/loads.log.",
                "'iscsi-bench scale --help': a 1 TiB log volume written to millions of extents, its bridge's heap and reopen."})
public final class IscsiBench implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "./iscsi-bench-data",
            description = "backing files, the log volumes' store (log/) and logs/ [${DEFAULT-VALUE}]")
    Path dir;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "1G", description = "LUN size, a multiple of 1M (K, M, G suffixes) [${DEFAULT-VALUE}]")
    String size;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "512",
            description = {"every LUN's logical block size, 512 or 4096 [${DEFAULT-VALUE}]; with 512, iscsi-perf's random 4 KiB",
                    "reads start at any 512-byte block, so most straddle two 4 KiB blocks"})
    int blockSize;

    @Option(names = "--count", paramLabel = "N", defaultValue = "16000", description = "1 MiB requests per sequential load [${DEFAULT-VALUE}]")
    int seqCount;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "15", description = "seconds of random reads [${DEFAULT-VALUE}]")
    int randSeconds;

    @Option(names = "--warmup-count", paramLabel = "N", defaultValue = "1000", description = "1 MiB requests of each sequential warm-up [${DEFAULT-VALUE}]")
    int warmCount;

    @Option(names = "--warmup-seconds", paramLabel = "N", defaultValue = "3", description = "seconds of the random-read warm-up [${DEFAULT-VALUE}]")
    int warmSeconds;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "1", description = "repeat the comparison N times; prints each run and the median [${DEFAULT-VALUE}]")
    int runs;

    @Option(names = "--only", paramLabel = "LIST", defaultValue = "tgt,ours,log,uncached,hdfs",
            description = "the targets to benchmark, comma-separated [${DEFAULT-VALUE}]")
    String only;

    @Option(names = "--tgt-port", paramLabel = "PORT", defaultValue = "3261", description = "tgt's portal port [${DEFAULT-VALUE}]")
    int tgtPort;

    @Option(names = "--tgt-control", paramLabel = "N", description = "tgtd/tgtadm control port (-C) [same as --tgt-port]")
    Integer tgtControl;

    @Option(names = "--ours-port", paramLabel = "PORT", defaultValue = "3262", description = "our file-volume target's portal port [${DEFAULT-VALUE}]")
    int oursPort;

    @Option(names = "--log-port", paramLabel = "PORT", defaultValue = "3263", description = "our log-volume target's portal port [${DEFAULT-VALUE}]")
    int logPort;

    @Option(names = "--uncached-port", paramLabel = "PORT", defaultValue = "3264", description = "the uncached log-volume target's portal port [${DEFAULT-VALUE}]")
    int uncachedPort;

    @Option(names = "--hdfs-port", paramLabel = "PORT", defaultValue = "3265", description = "the HDFS-volume target's portal port [${DEFAULT-VALUE}]")
    int hdfsPort;

    @Option(names = "--hadoop-home", paramLabel = "DIR", description = {"the Hadoop 3 release whose NameNode and three DataNodes the hdfs target runs",
            "[$ROOT/src-it/hadoop3-release/target/hadoop-3.5.0, which mvn package builds]"})
    Path hadoopHome;

    @Option(names = "--log-zk-port", paramLabel = "PORT", defaultValue = "2191", description = "the log volumes' ZooKeeper [${DEFAULT-VALUE}]")
    int logZkPort;

    @Option(names = "--log-kv-port", paramLabel = "PORT", defaultValue = "7411",
            description = "its KV nodes listen on PORT..PORT+2, their metrics on PORT+2000.. [${DEFAULT-VALUE}]")
    int logKvPort;

    @Option(names = "--log-cache", paramLabel = "SIZE", description = {"the log target's segment cache [the LUN size + 1/16, like the page cache",
            "the file targets read from; smaller values measure reads from the KV nodes]"})
    String logCache;

    @Option(names = "--cache-mb", paramLabel = "N", defaultValue = "64", description = {"the segment cache of the uncached and hdfs targets, MiB [${DEFAULT-VALUE}]",
            "(the LUN size + 1/16 gives the log target's cache, as its random-read row has)"})
    int cacheMb;

    @Option(names = "--bridge-cmd", paramLabel = "CMD", description = {"how to launch our target (split on spaces) [$ROOT/bin/iscsi-bridge]",
            "it is run as: CMD --file-volume PATH --size SIZE --iqn IQN --port PORT --portal 127.0.0.1 --status off",
            "or: CMD --zk ZK --volume NAME --cache SIZE --iqn IQN --port PORT --portal 127.0.0.1 --status off",
            "and CMD volume create NAME --size SIZE --zk ZK makes the log volumes"})
    String bridgeCmd;

    @Option(names = "--java-opts", paramLabel = "OPTS", description = "exported to our targets as BRIDGE_JAVA_OPTS [$BRIDGE_JAVA_OPTS]")
    String javaOpts;

    @Option(names = "--start-timeout", paramLabel = "N", defaultValue = "60", description = "seconds to wait for a target to accept connections [${DEFAULT-VALUE}]")
    int startTimeout;

    @Option(names = "--keep-data", description = "keep the backing files and the store when done (deleted otherwise; logs/ is always kept)")
    boolean keepData;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CommandLine cl = new CommandLine(new IscsiBench());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof BenchException || e instanceof ProgramNotReadyException) {
                line.getErr().println("iscsi-bench: error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cl.execute(args);
    }

    /** The repository (bin/ scripts), as bin/iscsi-bench passes it. */
    static Path root() {
        return Path.of(System.getProperty("elastichadoop.root", ".")).toAbsolutePath().normalize();
    }

    @Override
    public Integer call() throws Exception {
        BenchConfig cfg = config(System.getenv());
        Preflight.check(cfg);
        Files.createDirectories(cfg.logDir());
        Comparison comparison = new Comparison(cfg);
        Thread onExit = new Thread(() -> {
            Progress.log("interrupted: stopping the targets");
            comparison.close();
        }, "iscsi-bench-stop");
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            return comparison.run(System.out);
        } finally {
            comparison.close();
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException exiting) {
                // the hook is running: it found everything stopped
            }
        }
    }

    /** The options checked and completed (the environment gives the IQNs and BRIDGE_JAVA_OPTS). */
    BenchConfig config(Map<String, String> env) {
        positive("--count", seqCount);
        positive("--seconds", randSeconds);
        positive("--warmup-count", warmCount);
        positive("--warmup-seconds", warmSeconds);
        positive("--runs", runs);
        positive("--start-timeout", startTimeout);
        positive("--cache-mb", cacheMb);
        for (int port : new int[]{tgtPort, oursPort, logPort, uncachedPort, logZkPort, logKvPort, hdfsPort}) {
            if (port <= 0 || port > 65535 - 2002) throw new BenchException("ports must be between 1 and 63533, not " + port);
        }
        List<String> targets = new ArrayList<>();
        Set<String> asked = new HashSet<>();
        for (String t : only.split(",")) {
            String name = t.trim();
            if (name.isEmpty()) continue;
            if (!BenchConfig.ALL_TARGETS.contains(name)) {
                throw new BenchException("--only takes " + String.join(", ", BenchConfig.ALL_TARGETS) + ", not '" + name + "'");
            }
            asked.add(name);
        }
        if (asked.isEmpty()) throw new BenchException("--only needs at least one target");
        for (String t : BenchConfig.ALL_TARGETS) {
            if (asked.contains(t)) targets.add(t);
        }
        if (new HashSet<>(List.of(tgtPort, oursPort, logPort, uncachedPort, hdfsPort)).size() != 5) {
            throw new BenchException("--tgt-port, --ours-port, --log-port, --uncached-port and --hdfs-port must differ");
        }
        if (blockSize != 512 && blockSize != 4096) throw new BenchException("--block-size takes 512 or 4096, not " + blockSize);
        long bytes = Sizes.bytes(size, "--size");
        if (bytes < (1 << 20) || bytes % (1 << 20) != 0) {
            throw new BenchException("--size must be a multiple of 1 MiB, not '" + size + "' (" + bytes + " bytes)");
        }
        long mib = bytes >> 20;
        // the LUN plus the segments' headers and entry tables (well under 1/16)
        String cache = logCache != null ? logCache : (mib + mib / 16) + "M";
        Sizes.bytes(cache, "--log-cache");
        Path root = root();
        List<String> bridge = List.of((bridgeCmd != null ? bridgeCmd : root.resolve("bin/iscsi-bridge").toString()).trim().split("\\s+"));
        if (bridge.get(0).isEmpty()) throw new BenchException("--bridge-cmd is empty");
        Path absDir = dir.toAbsolutePath().normalize();
        BenchConfig.Iqns iqns;
        try {
            iqns = BenchConfig.Iqns.fromEnvironment(env);
        } catch (NumberFormatException e) {
            throw new BenchException("TGT_LUN and OURS_LUN must be numbers: " + e.getMessage());
        }
        return new BenchConfig(root, absDir, absDir.resolve("logs"), size, bytes, seqCount, randSeconds, warmCount, warmSeconds, runs,
                List.copyOf(targets), tgtPort, tgtControl != null ? tgtControl : tgtPort, oursPort, logPort, uncachedPort, logZkPort, logKvPort,
                cache, cacheMb, bridge, javaOpts != null ? Map.of("BRIDGE_JAVA_OPTS", javaOpts) : Map.of(),
                Duration.ofSeconds(startTimeout), keepData, iqns, blockSize, hdfsPort,
                (hadoopHome != null ? hadoopHome : root.resolve("src-it/hadoop3-release/target/hadoop-3.5.0")).toAbsolutePath().normalize());
    }

    private static void positive(String option, int value) {
        if (value <= 0) throw new BenchException(option + " must be a positive integer, not '" + value + "'");
    }
}
