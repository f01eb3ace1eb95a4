package org.elastichadoop.slots.demo;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Mapper;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Burns CPU for each input line "MILLIS [LABEL]": spins until this thread has used that much CPU
 * time (not wall time: a busy host makes it take longer, which is the point of the demo), then emits
 * (LABEL or "cpu-ms", MILLIS) so the reducer can add up what was burned.
 */
public class CpuBurnMapper extends Mapper<LongWritable, Text, Text, LongWritable> {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Text label = new Text();
    private final LongWritable millis = new LongWritable();
    /** Keeps the spin from being optimised away. */
    private long sink;

    @Override
    protected void map(LongWritable offset, Text line, Context context) throws IOException, InterruptedException {
        String text = line.toString().trim();
        if (text.isEmpty() || text.startsWith("#")) return;
        String[] f = text.split("\\s+", 2);
        long ms;
        try {
            ms = Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            context.getCounter("cpu-burn", "bad lines").increment(1);
            return;
        }
        if (ms < 0 || ms > 3_600_000) {
            context.getCounter("cpu-burn", "bad lines").increment(1);
            return;
        }
        sink += burn(ms);
        label.set(f.length > 1 ? f[1] : "cpu-ms");
        millis.set(ms);
        context.write(label, millis);
        context.getCounter("cpu-burn", "burned ms").increment(ms);
    }

    /** Spins until the current thread has used {@code ms} of CPU; returns a value derived from the work. */
    static long burn(long ms) {
        boolean cpuTime = THREADS.isCurrentThreadCpuTimeSupported();
        long start = cpuTime ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
        long goal = ms * 1_000_000L;
        long x = 0x9E3779B97F4A7C15L;
        while (true) {
            for (int i = 0; i < 10_000; i++) x ^= (x << 13) ^ (x >>> 7) ^ (x << 17);
            long used = (cpuTime ? THREADS.getCurrentThreadCpuTime() : System.nanoTime()) - start;
            if (used >= goal) return x;
        }
    }

    @Override
    protected void cleanup(Context context) {
        if (sink == 42) context.getCounter("cpu-burn", "luck").increment(1);
    }
}
