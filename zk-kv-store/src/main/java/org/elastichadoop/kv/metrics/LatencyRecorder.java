package org.elastichadoop.kv.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies in logarithmic buckets (each 10% wider than the one before), so any percentile is known to
 * within 10% with a fixed 200-odd counters and no allocation per sample. Thread-safe.
 */
public final class LatencyRecorder {
    private static final double GROWTH = 1.1;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    private static final int BUCKETS = 240; // 1.1^240 µs is far beyond any sane latency

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();

    public void recordNanos(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        counts.incrementAndGet(bucket(micros));
        total.increment();
        sumMicros.add(micros);
    }

    static int bucket(long micros) {
        int b = (int) Math.ceil(Math.log(micros) / LOG_GROWTH);
        return Math.min(BUCKETS - 1, Math.max(0, b));
    }

    /** Upper bound of the bucket holding the q-th quantile (0 &lt; q &le; 1), in microseconds; 0 with no samples. */
    public double quantileMicros(double q) {
        long n = total.sum();
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.pow(GROWTH, i);
            }
        }
        return Math.pow(GROWTH, BUCKETS - 1);
    }

    public long count() {
        return total.sum();
    }

    public long sumMicros() {
        return sumMicros.sum();
    }
}
