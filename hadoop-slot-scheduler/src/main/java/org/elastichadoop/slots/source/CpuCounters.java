package org.elastichadoop.slots.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The aggregate {@code cpu} line of a {@code /proc/stat} (in clock ticks since boot) and the number
 * of CPUs (its {@code cpuN} lines). Fields after {@code steal} are not needed: guest time is already
 * counted in user time.
 */
public final class CpuCounters {
    final long user, nice, system, idle, iowait, irq, softirq, steal;
    final int cpus;

    CpuCounters(long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal, int cpus) {
        this.user = user;
        this.nice = nice;
        this.system = system;
        this.idle = idle;
        this.iowait = iowait;
        this.irq = irq;
        this.softirq = softirq;
        this.steal = steal;
        this.cpus = cpus;
    }

    public int cpus() {
        return cpus;
    }

    /** Busy and steal cores between {@code before} and this reading; null if no time passed or the counters restarted. */
    public double[] busyAndStealCoresSince(CpuCounters before) {
        if (before == null || total() <= before.total() || cpus != before.cpus || busy() < before.busy() || steal < before.steal) return null;
        double ticks = total() - before.total();
        return new double[] {(busy() - before.busy()) / ticks * cpus, (steal - before.steal) / ticks * cpus};
    }

    long total() {
        return user + nice + system + idle + iowait + irq + softirq + steal;
    }

    long busy() {
        return user + nice + system + irq + softirq;
    }

    /** Counters from another unit (node_exporter's seconds, as milliseconds). */
    static CpuCounters of(long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal, int cpus) {
        return new CpuCounters(user, nice, system, idle, iowait, irq, softirq, steal, cpus);
    }

    public static CpuCounters read(Path procStat) throws IOException {
        return parse(Files.readAllLines(procStat, StandardCharsets.US_ASCII), procStat.toString());
    }

    static CpuCounters parse(List<String> lines, String where) throws IOException {
        long[] f = null;
        int cpus = 0;
        for (String line : lines) {
            if (line.startsWith("cpu ")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length < 9) throw new IOException(where + ": the cpu line has " + (parts.length - 1) + " fields, expected 8 or more");
                f = new long[8];
                for (int i = 0; i < 8; i++) {
                    try {
                        f[i] = Long.parseLong(parts[i + 1]);
                    } catch (NumberFormatException e) {
                        throw new IOException(where + ": cpu field " + (i + 1) + " is not a number: '" + parts[i + 1] + "'");
                    }
                    if (f[i] < 0) throw new IOException(where + ": cpu field " + (i + 1) + " is negative");
                }
            } else if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                cpus++;
            }
        }
        if (f == null) throw new IOException(where + ": no aggregate 'cpu' line");
        if (cpus == 0) throw new IOException(where + ": no per-CPU 'cpuN' lines");
        return new CpuCounters(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], cpus);
    }
}
