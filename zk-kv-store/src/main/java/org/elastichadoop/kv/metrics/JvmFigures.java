package org.elastichadoop.kv.metrics;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The process's own garbage collection and JIT compilation so far: the two things besides requests that take a
 * node's CPU and stall its threads, so that a latency spike can be laid beside them (and a benchmark can tell when
 * the JIT has settled).
 */
public final class JvmFigures {
    private JvmFigures() {
    }

    /** Collections so far, over every collector. */
    public static long gcCollections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /** Milliseconds spent in collections so far, over every collector (for G1: its pauses). */
    public static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    /** Milliseconds the JIT compilers have spent so far (0 where the JVM does not say). */
    public static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }
}
