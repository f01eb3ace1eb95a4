package org.elastichadoop.kv.metrics;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Counters and latencies of one node, read over JMX, the Prometheus endpoint and STATS requests. */
public final class NodeMetrics implements NodeMetricsMXBean {
    public final LongAdder puts = new LongAdder();
    public final LongAdder putBytes = new LongAdder();
    public final LongAdder gets = new LongAdder();
    public final LongAdder getBytes = new LongAdder();
    public final LongAdder deletes = new LongAdder();
    public final LongAdder failedRequests = new LongAdder();
    public final LongAdder badFrames = new LongAdder();
    public final LatencyRecorder putLatency = new LatencyRecorder();
    public final LatencyRecorder getLatency = new LatencyRecorder();

    private final String nodeId;
    private final LongSupplier entries;
    private final LongSupplier storedBytes;
    private final LongSupplier hintsPending;
    private final LongSupplier underReplicated;
    private final LongSupplier replicaConflicts;
    private final LongSupplier fsyncs;
    private ObjectName registeredAs;

    public NodeMetrics(String nodeId, LongSupplier entries, LongSupplier storedBytes, LongSupplier hintsPending,
                       LongSupplier underReplicated, LongSupplier replicaConflicts, LongSupplier fsyncs) {
        this.nodeId = nodeId;
        this.entries = entries;
        this.storedBytes = storedBytes;
        this.hintsPending = hintsPending;
        this.underReplicated = underReplicated;
        this.replicaConflicts = replicaConflicts;
        this.fsyncs = fsyncs;
    }

    public void registerJmx() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        registeredAs = new ObjectName("org.elastichadoop.kv:type=Node,id=" + ObjectName.quote(nodeId));
        server.registerMBean(this, registeredAs);
    }

    public void unregisterJmx() {
        if (registeredAs != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(registeredAs);
            } catch (JMException ignored) {
                // already gone
            }
        }
    }

    /** Every figure by its Prometheus name (without the elastickv_ prefix), in a stable order. */
    public Map<String, Number> snapshot() {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("puts_total", getPuts());
        m.put("put_bytes_total", getPutBytes());
        m.put("gets_total", getGets());
        m.put("get_bytes_total", getGetBytes());
        m.put("deletes_total", getDeletes());
        m.put("failed_requests_total", getFailedRequests());
        m.put("bad_frames_total", getBadFrames());
        m.put("put_latency_p50_micros", getPutLatencyP50Micros());
        m.put("put_latency_p99_micros", getPutLatencyP99Micros());
        m.put("get_latency_p50_micros", getGetLatencyP50Micros());
        m.put("get_latency_p99_micros", getGetLatencyP99Micros());
        m.put("entries", getEntries());
        m.put("stored_bytes", getStoredBytes());
        m.put("hints_pending", getHintsPending());
        m.put("under_replicated", getUnderReplicated());
        m.put("replica_conflicts_total", getReplicaConflicts());
        m.put("fsyncs_total", getFsyncs());
        m.put("jvm_gc_collections_total", JvmFigures.gcCollections());
        m.put("jvm_gc_millis_total", JvmFigures.gcMillis());
        m.put("jvm_jit_millis_total", JvmFigures.jitMillis());
        return m;
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public String prometheusText() {
        StringBuilder sb = new StringBuilder();
        String label = "{node=\"" + nodeId.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        for (Map.Entry<String, Number> e : snapshot().entrySet()) {
            String name = "elastickv_" + e.getKey();
            String type = e.getKey().endsWith("_total") ? "counter" : "gauge";
            sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            sb.append(name).append(label).append(' ').append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    @Override public long getPuts() { return puts.sum(); }
    @Override public long getPutBytes() { return putBytes.sum(); }
    @Override public long getGets() { return gets.sum(); }
    @Override public long getGetBytes() { return getBytes.sum(); }
    @Override public long getDeletes() { return deletes.sum(); }
    @Override public long getFailedRequests() { return failedRequests.sum(); }
    @Override public long getBadFrames() { return badFrames.sum(); }
    @Override public double getPutLatencyP50Micros() { return putLatency.quantileMicros(0.5); }
    @Override public double getPutLatencyP99Micros() { return putLatency.quantileMicros(0.99); }
    @Override public double getGetLatencyP50Micros() { return getLatency.quantileMicros(0.5); }
    @Override public double getGetLatencyP99Micros() { return getLatency.quantileMicros(0.99); }
    @Override public long getEntries() { return entries.getAsLong(); }
    @Override public long getStoredBytes() { return storedBytes.getAsLong(); }
    @Override public long getFsyncs() { return fsyncs.getAsLong(); }
    @Override public long getHintsPending() { return hintsPending.getAsLong(); }
    @Override public long getUnderReplicated() { return underReplicated.getAsLong(); }
    @Override public long getReplicaConflicts() { return replicaConflicts.getAsLong(); }
}
