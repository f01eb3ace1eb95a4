package org.elastichadoop.iscsi.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The external tools that put load on a target and read its LUN: qemu-img bench (sequential 1 MiB reads and writes at
 * depth 16, and the fills), iscsi-perf (random 4 KiB reads at depth 32), iscsi-readcapacity16 and iscsi-ls. Each
 * command is recorded under its target and step, and logged with its output.
 */
final class Loads {
    private static final Pattern RUN_SECONDS = Pattern.compile("(?m)^Run completed in ([0-9.]+) seconds\\.$");
    private static final Pattern IOPS_AVERAGE = Pattern.compile("iops average (\\d+) ");
    private static final Pattern BLOCK_LENGTH = Pattern.compile("LOGICAL BLOCK LENGTH IN BYTES\\s*:\\s*(\\d+)");
    private static final Pattern LAST_LBA = Pattern.compile("RETURNED LOGICAL BLOCK ADDRESS\\s*:\\s*(\\d+)");
    private static final int SMALL = 4096;

    private final BenchConfig cfg;
    private final CommandLog commands;
    private final Map<String, Integer> blockSizes = new HashMap<>();

    Loads(BenchConfig cfg, CommandLog commands) {
        this.cfg = cfg;
        this.commands = commands;
    }

    /** Whether a portal on this machine lists its targets to iscsi-ls. */
    static boolean portalUp(int port) throws IOException, InterruptedException {
        return CommandLog.succeeds(List.of("iscsi-ls", "iscsi://" + BenchConfig.HOST + ":" + port), 10);
    }

    /** READ CAPACITY(16): the LUN has the expected size and a block size dividing 4 KiB, which is kept for the random reads. */
    void checkLun(Target t) throws IOException, InterruptedException {
        String out;
        try {
            out = commands.run(List.of("iscsi-readcapacity16", t.url()));
        } catch (BenchException e) {
            throw new BenchException(t.key() + ": READ CAPACITY(16) failed on " + t.url() + ": " + e.getMessage());
        }
        long[] capacity = parseCapacity(out);
        if (capacity == null) throw new BenchException(t.key() + ": cannot read the READ CAPACITY(16) output:\n" + out);
        long blockSize = capacity[0];
        long bytes = (capacity[1] + 1) * blockSize;
        if (bytes != cfg.sizeBytes()) throw new BenchException(t.key() + ": the LUN has " + bytes + " bytes, expected " + cfg.sizeBytes());
        if (SMALL % blockSize != 0) throw new BenchException(t.key() + ": logical block size " + blockSize + " does not divide 4096");
        blockSizes.put(t.key(), (int) blockSize);
        Progress.log(t.key() + ": LUN " + t.url() + " is ready (" + bytes + " bytes, " + blockSize + "-byte blocks)");
    }

    /** {block size, last LBA} from iscsi-readcapacity16's output; null if it has neither. */
    static long[] parseCapacity(String out) {
        Matcher bs = BLOCK_LENGTH.matcher(out);
        Matcher last = LAST_LBA.matcher(out);
        if (!bs.find() || !last.find()) return null;
        return new long[]{Long.parseLong(bs.group(1)), Long.parseLong(last.group(1))};
    }

    /** Fills the whole LUN with 1 MiB writes of the pattern, so that reads read written, non-zero data. MiB/s. */
    double fill(Target t) throws IOException, InterruptedException {
        return sequential(t, true, (int) cfg.sizeMib(), "fill");
    }

    /**
     * Fills the whole LUN with 4 KiB writes, each block once, in a scattered order: qemu-img bench steps through the
     * LUN by {@link #stride} blocks and wraps around at its end, so consecutive writes land far apart and each of a log
     * volume's segments holds blocks from all over the LUN, as after random writes. MiB/s.
     */
    double scatteredFill(Target t) throws IOException, InterruptedException {
        long blocks = cfg.sizeBytes() / SMALL;
        List<String> cmd = List.of("qemu-img", "bench", "-f", "raw", "-d", "16", "-s", "4K", "-S", Long.toString(stride(blocks) * SMALL),
                "-c", Long.toString(blocks), "-w", "--pattern=" + BenchConfig.PATTERN, t.url());
        commands.record(t.key() + " fill, scattered 4 KiB writes", cmd);
        double seconds = parseRunSeconds(commands.run(cmd));
        return blocks * (double) SMALL / (1 << 20) / seconds;
    }

    /**
     * A step, in blocks, that visits every one of {@code blocks} blocks once before it wraps to the start (coprime with
     * their number) and sends each write far from the one before: the odd number nearest 0.618 of them that is.
     */
    static long stride(long blocks) {
        if (blocks < 3) return 1;
        long s = Math.round(blocks * 0.6180339887) | 1;
        while (java.math.BigInteger.valueOf(s).gcd(java.math.BigInteger.valueOf(blocks)).longValue() != 1) {
            s += 2;
        }
        return s;
    }

    /** qemu-img bench: {@code count} 1 MiB requests at depth 16 from offset 0 on; MiB/s by qemu-img's own timing, to 0.1. */
    double sequential(Target t, boolean write, int count, String step) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-img", "bench", "-f", "raw", "-d", "16", "-s", "1M", "-c", Integer.toString(count)));
        if (write) cmd.addAll(List.of("-w", "--pattern=" + BenchConfig.PATTERN));
        cmd.add(t.url());
        commands.record(t.key() + " " + step + ", seq " + (write ? "write" : "read"), cmd);
        double seconds = parseRunSeconds(commands.run(cmd));
        return Math.round(count / seconds * 10) / 10.0;
    }

    /** A random-read figure, and whether iscsi-perf had to be stopped at its deadline. */
    record RandomReads(long iops, boolean stopped, int deadlineSeconds) {
    }

    /**
     * iscsi-perf: random 4 KiB reads at depth 32 for {@code seconds}; its final average IOPS. After its time iscsi-perf
     * waits for the reads in flight; a target that takes minutes to answer them (a log volume reading a whole segment
     * per miss, on a busy machine) would hold the benchmark up, so iscsi-perf is stopped {@code max(60, seconds)} s
     * after its time, and the figure is the last average it printed (completed reads over the time so far).
     */
    RandomReads random(Target t, int seconds, String step) throws IOException, InterruptedException {
        Integer blockSize = blockSizes.get(t.key());
        if (blockSize == null) throw new IllegalStateException(t.key() + ": the LUN's block size is not known yet");
        List<String> cmd = List.of("iscsi-perf", "-m", "32", "-b", Integer.toString(SMALL / blockSize), "-r", "-t", Integer.toString(seconds),
                t.url());
        commands.record(t.key() + " " + step + ", random read", cmd);
        int deadline = seconds + Math.max(60, seconds);
        CommandLog.Ran ran = commands.run(cmd, commands.loadsLog(), java.time.Duration.ofSeconds(deadline));
        if (ran.stopped()) {
            Progress.log(t.key() + ": iscsi-perf was stopped after " + deadline + " s, its reads still in flight; the figure is its average until then");
        }
        return new RandomReads(parseIops(ran.output()), ran.stopped(), deadline);
    }

    /** The seconds in qemu-img bench's "Run completed in X seconds." */
    static double parseRunSeconds(String out) {
        Matcher m = RUN_SECONDS.matcher(out);
        if (!m.find()) throw new BenchException("no 'Run completed in X seconds.' in qemu-img bench's output:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    /** The last "iops average N" of iscsi-perf's output (progress lines come first; the last is the whole run's). */
    static long parseIops(String out) {
        Matcher m = IOPS_AVERAGE.matcher(out);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) throw new BenchException("no 'iops average' in iscsi-perf's output:\n" + out);
        return Long.parseLong(last);
    }
}
