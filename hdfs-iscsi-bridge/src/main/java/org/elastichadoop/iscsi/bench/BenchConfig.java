package org.elastichadoop.iscsi.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The checked settings of one benchmark invocation (from {@link IscsiBench}'s options and the environment).
 *
 * @param targets       the targets to run, of tgt, ours, log, uncached, hdfs, in that order
 * @param logCache      the log target's segment cache, as given to the bridge's --cache
 * @param cacheMb       the uncached target's segment cache, MiB
 * @param bridgeEnv     added to the bridges' environment (BRIDGE_JAVA_OPTS when --java-opts is given)
 * @param blockSize     every LUN's logical block size: 512 or 4096
 * @param hdfsPort      the HDFS-volume target's portal port
 * @param hadoopHome    the Hadoop 3 release whose NameNode and DataNodes the hdfs target runs
 */
record BenchConfig(Path root, Path dir, Path logDir, String size, long sizeBytes, int seqCount, int randSeconds, int warmCount,
                   int warmSeconds, int runs, List<String> targets, int tgtPort, int tgtControl, int oursPort, int logPort,
                   int uncachedPort, int logZkPort, int logKvPort, String logCache, int cacheMb, List<String> bridgeCmd,
                   Map<String, String> bridgeEnv, Duration startTimeout, boolean keepData, Iqns iqns, int blockSize, int hdfsPort,
                   Path hadoopHome) {
    static final String HOST = "127.0.0.1";
    /** The byte the fill and the write load write (never zeros: no sparse reads). */
    static final String PATTERN = "0xa5";
    static final List<String> ALL_TARGETS = List.of("tgt", "ours", "log", "uncached", "hdfs");

    /** The targets' names and LUNs, from the environment (TGT_IQN, TGT_LUN, OURS_IQN, OURS_LUN, LOG_IQN, UNCACHED_IQN, HDFS_IQN). */
    record Iqns(String tgt, int tgtLun, String ours, int oursLun, String log, String uncached, String hdfs) {
        static Iqns fromEnvironment(Map<String, String> env) {
            return new Iqns(env.getOrDefault("TGT_IQN", "iqn.2024-01.test:bench-tgt"),
                    Integer.parseInt(env.getOrDefault("TGT_LUN", "1")), // tgt's LUN 0 is its controller
                    env.getOrDefault("OURS_IQN", "iqn.2024-01.test:bench-ours"),
                    Integer.parseInt(env.getOrDefault("OURS_LUN", "0")),
                    env.getOrDefault("LOG_IQN", "iqn.2024-01.test:bench-log"),
                    env.getOrDefault("UNCACHED_IQN", "iqn.2024-01.test:bench-uncached"),
                    env.getOrDefault("HDFS_IQN", "iqn.2024-01.test:bench-hdfs"));
        }
    }

    long sizeMib() {
        return sizeBytes >> 20;
    }

    boolean has(String target) {
        return targets.contains(target);
    }

    String bridgeCmdText() {
        return String.join(" ", bridgeCmd);
    }
}
