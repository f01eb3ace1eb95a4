package org.elastichadoop.kv.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class LatencyRecorderTest {
    @Test
    public void quantilesWithinTenPercent() {
        LatencyRecorder r = new LatencyRecorder();
        for (int micros = 1; micros <= 10_000; micros++) {
            r.recordNanos(micros * 1000L);
        }
        assertEquals(10_000, r.count());
        double p50 = r.quantileMicros(0.5);
        double p99 = r.quantileMicros(0.99);
        assertTrue("p50 " + p50, p50 >= 5_000 && p50 <= 5_000 * 1.1);
        assertTrue("p99 " + p99, p99 >= 9_900 && p99 <= 9_900 * 1.1);
        assertEquals(0.0, new LatencyRecorder().quantileMicros(0.5), 0.0);
    }

    @Test
    public void prometheusTextNamesEveryFigure() {
        NodeMetrics m = new NodeMetrics("n\"1", () -> 3, () -> 4096, () -> 2, () -> 1, () -> 5, () -> 7);
        m.puts.add(5);
        String text = m.prometheusText();
        assertTrue(text, text.contains("# TYPE elastickv_puts_total counter\nelastickv_puts_total{node=\"n\\\"1\"} 5\n"));
        assertTrue(text, text.contains("elastickv_entries{node=\"n\\\"1\"} 3\n"));
        assertTrue(text, text.contains("elastickv_hints_pending{node=\"n\\\"1\"} 2\n"));
        assertTrue(text, text.contains("elastickv_under_replicated{node=\"n\\\"1\"} 1\n"));
        assertTrue(text, text.contains("# TYPE elastickv_replica_conflicts_total counter\nelastickv_replica_conflicts_total{node=\"n\\\"1\"} 5\n"));
        assertTrue(text, text.contains("# TYPE elastickv_jvm_jit_millis_total counter\n"));
        assertTrue(text, text.contains("# TYPE elastickv_fsyncs_total counter\nelastickv_fsyncs_total{node=\"n\\\"1\"} 7\n"));
    }

    @Test
    public void jvmFiguresCountCollections() {
        NodeMetrics m = new NodeMetrics("n1", () -> 0, () -> 0, () -> 0, () -> 0, () -> 0, () -> 0);
        long before = m.snapshot().get("jvm_gc_collections_total").longValue();
        System.gc();
        assertTrue("a collection counted", m.snapshot().get("jvm_gc_collections_total").longValue() > before);
        assertTrue("the JIT has compiled something by now", m.snapshot().get("jvm_jit_millis_total").longValue() > 0);
    }
}
