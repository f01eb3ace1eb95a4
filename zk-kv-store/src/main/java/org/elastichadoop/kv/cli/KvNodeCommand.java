package org.elastichadoop.kv.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.elastichadoop.kv.cluster.Zk;
import org.elastichadoop.kv.node.KvNode;
import org.elastichadoop.kv.node.NodeConfig;
import org.elastichadoop.kv.storage.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** bin/kvnode: one storage node. */
@Command(name = "kvnode", mixinStandardHelpOptions = true,
        description = "Runs a zk-kv-store node: stores immutable entries, joins the cluster through ZooKeeper.")
public final class KvNodeCommand implements Callable<Integer> {
    @Option(names = "--zk", defaultValue = Zk.DEFAULT_CONNECT, description = "ZooKeeper connect string (default ${DEFAULT-VALUE})")
    String zk;

    @Option(names = "--port", defaultValue = "7400", description = "node protocol port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data", required = true, description = "data directory (segments, hints, node id)")
    Path data;

    @Option(names = "--id", description = "node id (default: the one kept in the data directory, made on first start)")
    String id;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on and announce (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--metrics-port", defaultValue = "-1", description = "Prometheus /metrics port; -1 off (default ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--cluster", defaultValue = "default", description = "cluster name in ZooKeeper (default ${DEFAULT-VALUE})")
    String cluster;

    @Option(names = "--zk-session-ms", defaultValue = "10000", description = "ZooKeeper session timeout (default ${DEFAULT-VALUE})")
    int zkSessionMillis;

    @Option(names = "--request-timeout-ms", defaultValue = "2000",
            description = "wait for a neighbour's copy before trying the next node (default ${DEFAULT-VALUE})")
    long requestTimeoutMillis;

    @Option(names = "--anti-entropy-ms", defaultValue = "600000",
            description = "pause between full anti-entropy passes; membership changes also start one (default ${DEFAULT-VALUE})")
    long antiEntropyMillis;

    @Option(names = "--hint-retry-ms", defaultValue = "5000", description = "pause between hint deliveries (default ${DEFAULT-VALUE})")
    long hintRetryMillis;

    @Option(names = "--io-threads", defaultValue = "0", description = "threads serving connections; 0 = one per core (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--segment-mb", defaultValue = "64", description = "segment file size (default ${DEFAULT-VALUE})")
    int segmentMb;

    @Option(names = "--compaction-ratio", defaultValue = "0.5",
            description = "garbage share that makes a segment worth compacting (default ${DEFAULT-VALUE})")
    double compactionRatio;

    @Option(names = "--config", description = "properties file with defaults for these options (keys: the option names without dashes)")
    Path config;

    public static void main(String[] args) {
        System.exit(Cli.run(new KvNodeCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        CuratorFramework curator = Zk.connect(zk, zkSessionMillis, 30_000);
        NodeConfig cfg = new NodeConfig(data).id(id).host(host).port(port).metricsPort(metricsPort).cluster(cluster)
                .requestTimeoutMillis(requestTimeoutMillis).antiEntropyMillis(antiEntropyMillis).hintRetryMillis(hintRetryMillis).ioThreads(ioThreads)
                .storeOptions(StoreOptions.builder().segmentBytes((long) segmentMb << 20).compactionGarbageRatio(compactionRatio).build());
        KvNode node = KvNode.start(cfg, curator);
        System.out.println("node " + node.id() + " ready on " + host + ":" + node.info().port());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            curator.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
