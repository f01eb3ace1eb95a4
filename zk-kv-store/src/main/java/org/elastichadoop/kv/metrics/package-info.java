/**
 * What a node shows of itself: {@link NodeMetrics} (counters and latencies, read over JMX as {@link NodeMetricsMXBean},
 * in Prometheus text and by STATS requests), {@link LatencyRecorder} (percentiles from logarithmic buckets, no
 * allocation per sample), {@link MetricsHttpServer} (GET /metrics) and {@link JvmFigures} (the process's garbage
 * collection and JIT time).
 *
 * <p>Uses no other package of ours; {@code kv.node} and {@code kv.cli} use it.
 */
package org.elastichadoop.kv.metrics;
