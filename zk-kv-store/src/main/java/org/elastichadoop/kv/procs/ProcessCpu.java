package org.elastichadoop.kv.procs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time a process has used, from {@code /proc/PID/stat}, in clock ticks: a figure that travels to bigger machines
 * where throughput on two shared cores does not (read before and after a load; the difference over the work done).
 *
 * <p>Counted for a process: {@code utime + stime} (fields 14 and 15; for a process, all its threads, the ones that
 * ended too) and {@code cutime + cstime} (16 and 17: children that ended and were waited for), and the same for every
 * live descendant. Each tick is then counted once, whether a wrapper script execs its program, forks it, or a child
 * ends between two readings. Not counted: kernel work done in interrupt context on behalf of a process (much of
 * loopback TCP's receive side), which Linux charges to whichever task was running.
 */
public final class ProcessCpu {
    private static volatile long ticksPerSecond;

    private ProcessCpu() {
    }

    /** Ticks used by the process {@code pid} and its live descendants; 0 if it is gone. */
    public static long ticks(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        long sum = 0;
        for (long p : pids) {
            sum += ownTicks(p);
        }
        return sum;
    }

    /** Ticks of several processes (each with its descendants), summed. */
    public static long ticks(List<Long> pids) {
        long sum = 0;
        for (long p : pids) {
            sum += ticks(p);
        }
        return sum;
    }

    /** utime + stime + cutime + cstime of one process; 0 if it is gone. */
    static long ownTicks(long pid) {
        try {
            return parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1));
        } catch (IOException gone) {
            return 0;
        }
    }

    /** utime + stime + cutime + cstime from one {@code /proc/PID/stat} line. */
    static long parseTicks(String stat) {
        String[] f = fieldsAfterName(stat);
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]) + Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3]);
    }

    /** Fields 3 on of a stat line: f[0] is field 3 (state), so field n is f[n - 3]. */
    private static String[] fieldsAfterName(String stat) {
        // the command name (field 2) is in parentheses and may hold spaces and ')': fields 3 on follow the last ')'
        int close = stat.lastIndexOf(')');
        if (close < 0) throw new IllegalArgumentException("not a /proc stat line: " + stat);
        return stat.substring(close + 1).trim().split("\\s+");
    }

    /**
     * Ticks so far of each JIT compiler thread (a thread named "C1 CompilerThread..." or "C2 CompilerThread...") of
     * these processes and their live descendants, by thread id: what a JVM spends compiling hot code, which is
     * large while it warms up and near nothing after.
     */
    public static Map<Long, Long> compilerThreadTicks(List<Long> pids) {
        Map<Long, Long> ticks = new HashMap<>();
        for (long pid : pids) {
            List<Long> all = new ArrayList<>();
            all.add(pid);
            ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
            for (long p : all) {
                try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p), "task"))) {
                    for (Path task : (Iterable<Path>) tasks::iterator) {
                        try {
                            String comm = Files.readString(task.resolve("comm"), StandardCharsets.ISO_8859_1).trim();
                            if (!isCompilerThread(comm)) continue;
                            long tid = Long.parseLong(task.getFileName().toString());
                            ticks.put(tid, threadTicks(Files.readString(task.resolve("stat"), StandardCharsets.ISO_8859_1)));
                        } catch (IOException | NumberFormatException gone) {
                            // the thread ended while listed
                        }
                    }
                } catch (IOException | UncheckedIOException gone) {
                    // the process ended
                }
            }
        }
        return ticks;
    }

    /**
     * The compiler threads' ticks between two readings: each thread's growth, a thread started since counted whole.
     * (A compiler thread that ended meanwhile, as the JVM retires idle ones, is missed: the figure is a lower bound.)
     */
    public static long compilerTicksBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> t : after.entrySet()) sum += Math.max(0, t.getValue() - before.getOrDefault(t.getKey(), 0L));
        return sum;
    }

    static boolean isCompilerThread(String comm) {
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    /** utime + stime from a thread's {@code /proc/PID/task/TID/stat} line. */
    static long threadTicks(String stat) {
        String[] f = fieldsAfterName(stat);
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    /** The kernel's clock ticks per second (USER_HZ, from getconf CLK_TCK; 100 on Linux if that fails). */
    public static long ticksPerSecond() {
        long t = ticksPerSecond;
        if (t == 0) {
            t = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (p.waitFor() == 0) t = Long.parseLong(out);
            } catch (IOException | NumberFormatException e) {
                // keep 100
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ticksPerSecond = t;
        }
        return t;
    }

    /** Ticks as milliseconds of CPU. */
    public static double millis(long ticks) {
        return ticks * 1000.0 / ticksPerSecond();
    }
}
