package org.elastichadoop.kv.node;

import java.nio.file.Path;
import org.elastichadoop.kv.cluster.ZkPaths;
import org.elastichadoop.kv.storage.StoreOptions;

/** Everything a node needs to start, with the documented defaults (docs/operations.md). Fluent setters. */
public final class NodeConfig {
    private final Path dataDir;
    private String id;
    private String host = "127.0.0.1";
    private int port = 7400;
    private int metricsPort = -1;
    private String cluster = ZkPaths.DEFAULT_CLUSTER;
    private long requestTimeoutMillis = 2_000;
    private long antiEntropyMillis = 600_000;
    private long hintRetryMillis = 5_000;
    private long hintTtlMillis = 3_600_000;
    private int ioThreads = 0;
    private StoreOptions storeOptions = StoreOptions.defaults();

    public NodeConfig(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Stable name of the node; when null, the one kept in the data directory (made on first start). */
    public NodeConfig id(String id) { this.id = id; return this; }
    /** Address other nodes and clients use to reach this one. */
    public NodeConfig host(String host) { this.host = host; return this; }
    /** Node protocol port; 0 picks a free one. */
    public NodeConfig port(int port) { this.port = port; return this; }
    /** Prometheus endpoint port; -1 for none, 0 picks a free one. */
    public NodeConfig metricsPort(int metricsPort) { this.metricsPort = metricsPort; return this; }
    public NodeConfig cluster(String cluster) { this.cluster = cluster; return this; }
    /** How long a copy to a neighbour may take before the next node of the preference list is tried. */
    public NodeConfig requestTimeoutMillis(long v) { this.requestTimeoutMillis = v; return this; }
    /** Pause between full anti-entropy passes; a change of membership also starts one, a few seconds later. */
    public NodeConfig antiEntropyMillis(long v) { this.antiEntropyMillis = v; return this; }
    /** Pause between hinted-handoff delivery rounds. */
    public NodeConfig hintRetryMillis(long v) { this.hintRetryMillis = v; return this; }
    /** A hint for a node still gone after this long is dropped; anti-entropy repairs instead. */
    public NodeConfig hintTtlMillis(long v) { this.hintTtlMillis = v; return this; }
    public NodeConfig storeOptions(StoreOptions v) { this.storeOptions = v; return this; }
    /** Threads serving connections; 0 means one per core. */
    public NodeConfig ioThreads(int v) { this.ioThreads = v; return this; }

    public Path dataDir() { return dataDir; }
    public String id() { return id; }
    public String host() { return host; }
    public int port() { return port; }
    public int metricsPort() { return metricsPort; }
    public String cluster() { return cluster; }
    public long requestTimeoutMillis() { return requestTimeoutMillis; }
    public long antiEntropyMillis() { return antiEntropyMillis; }
    public long hintRetryMillis() { return hintRetryMillis; }
    public long hintTtlMillis() { return hintTtlMillis; }
    public StoreOptions storeOptions() { return storeOptions; }
    public int ioThreads() { return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors(); }
}
