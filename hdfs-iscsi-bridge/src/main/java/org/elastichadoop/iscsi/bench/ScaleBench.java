package org.elastichadoop.iscsi.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elastichadoop.kv.procs.RunningProgram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bin/iscsi-bench scale}: a large log volume (1 TiB, 4 KiB blocks) served by a bridge with a small heap, written
 * with scattered 4 KiB writes through iSCSI until its map holds millions of extents; at each milestone the bridge's
 * heap after a full collection, and at the end the time a new bridge takes, after the old one is killed with SIGKILL,
 * to serve a read. docs/benchmarks.md gives the goals and the figures.
 */
@Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        description = {
                "A log volume at production size: scattered 4 KiB writes (qemu-img bench, depth 32, each to a block of",
                "its own) through a bridge run with -Xmx of --heap; at each milestone the bridge's heap after a full GC",
                "(jcmd); at the end the bridge is killed (SIGKILL) and a new one started: the time until it serves a",
                "read. Uses the parent command's --dir, --log-zk-port, --log-kv-port, --bridge-cmd, --start-timeout and",
                "--keep-data.",
                "",
                "Options (defaults in brackets):"},
        footer = {"", "Goals (issue 12): the bridge serves the volume with -Xmx256m; a new writer serves a read within 5 s."})
public final class ScaleBench implements Callable<Integer> {
    static final double REOPEN_GOAL_SECONDS = 5.0;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final int BLOCK = 4096;
    /** qemu-img bench's largest step (-S). */
    private static final long MAX_STEP_BYTES = Integer.MAX_VALUE;
    private static final String VOLUME = "bench-scale";

    @ParentCommand
    IscsiBench parent;

    @Option(names = "--volume-size", paramLabel = "SIZE", defaultValue = "1T", description = "the volume's size [${DEFAULT-VALUE}]")
    String volumeSize;

    @Option(names = "--writes", paramLabel = "N", defaultValue = "2000000", description = "4 KiB writes in all [${DEFAULT-VALUE}]")
    long writes;

    @Option(names = "--milestones", paramLabel = "N", defaultValue = "200000",
            description = "measure the heap after the first N writes, then at the end [${DEFAULT-VALUE}]")
    long milestone;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "256m", description = "the bridge's -Xmx [${DEFAULT-VALUE}]")
    String heap;

    @Option(names = "--cache", paramLabel = "SIZE", defaultValue = "64M", description = "the bridge's segment cache [${DEFAULT-VALUE}]")
    String cache;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "3265", description = "the bridge's portal port [${DEFAULT-VALUE}]")
    int port;

    @Override
    public Integer call() throws Exception {
        long volumeBytes = Sizes.bytes(volumeSize, "--volume-size");
        if (volumeBytes % (1 << 20) != 0) throw new BenchException("--volume-size must be a multiple of 1 MiB, not '" + volumeSize + "'");
        if (writes <= 0 || milestone <= 0) throw new BenchException("--writes and --milestones must be positive");
        if (writes > volumeBytes / BLOCK - 1) throw new BenchException("--writes " + writes + " exceeds the volume's blocks");
        if (!heap.matches("\\d+[kKmMgG]?")) throw new BenchException("--heap takes a java -Xmx size such as 256m, not '" + heap + "'");
        Sizes.bytes(cache, "--cache");
        parent.only = "log";
        parent.logPort = port;
        parent.javaOpts = (parent.javaOpts == null ? System.getenv().getOrDefault("BRIDGE_JAVA_OPTS", "") : parent.javaOpts) + " -Xmx" + heap;
        BenchConfig cfg = parent.config(System.getenv());
        Preflight.check(cfg);
        java.nio.file.Files.createDirectories(cfg.logDir());
        try (Run run = new Run(cfg, volumeBytes)) {
            Thread onExit = new Thread(run::close, "iscsi-bench-scale-stop");
            Runtime.getRuntime().addShutdownHook(onExit);
            try {
                run.run(System.out);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onExit);
                } catch (IllegalStateException exiting) {
                    // the hook is running and stops everything
                }
            }
        }
        return 0;
    }

    /** One run: the store, the volume, the bridge, the writes by milestone, the kill and the reopen. */
    private final class Run implements AutoCloseable {
        private final BenchConfig cfg;
        private final long volumeBytes;
        private final CommandLog commands;
        private final LogStore store;
        private final BridgeLauncher bridges;
        private final String iqn = System.getenv().getOrDefault("SCALE_IQN", "iqn.2024-01.test:bench-scale");
        private RunningProgram bridge;
        private boolean closed;

        Run(BenchConfig cfg, long volumeBytes) throws IOException {
            this.cfg = cfg;
            this.volumeBytes = volumeBytes;
            this.commands = new CommandLog(cfg.logDir().resolve("scale.log"));
            this.store = new LogStore(cfg, commands);
            this.bridges = new BridgeLauncher(cfg, commands);
        }

        void run(PrintStream out) throws Exception {
            store.start();
            store.createVolume(VOLUME, volumeSize, BLOCK);
            startBridge();
            String url = "iscsi://" + BenchConfig.HOST + ":" + port + "/" + iqn + "/0";
            long blocks = volumeBytes / BLOCK;
            long stride = stride(blocks - 1);
            out.printf("volume scale: log volume '%s' of %s with %d-byte blocks on %d KV nodes (RF 3, W 2); bridge %s, -Xmx%s,"
                    + " segment cache %s, map cache as configured (64M by default)%n", VOLUME, volumeSize, BLOCK, LogStore.NODES,
                    cfg.bridgeCmdText(), heap, cache);
            out.printf("writes: qemu-img bench, 4 KiB at depth 32, each %d blocks after the one before (modulo the volume): one block each%n%n",
                    stride);
            out.printf("| %-12s | %-13s | %-26s | %-18s |%n", "writes", "write IOPS", "bridge heap after full GC", "goal");
            out.printf("|%s|%s|%s|%s|%n", "-".repeat(14), "-".repeat(15), "-".repeat(28), "-".repeat(20));
            long done = 0;
            while (done < writes) {
                long n = done == 0 ? Math.min(milestone, writes) : writes - done;
                double seconds = write(url, done, n, stride);
                done += n;
                double heapMib = heapAfterGc(bridge);
                out.printf("| %,12d | %,13.0f | %,22.1f MiB | <= %-15s |%n", done, n / seconds, heapMib, heap.toUpperCase() + " (-Xmx)");
                out.flush();
            }
            Progress.log("scale: killing the bridge (SIGKILL, pid " + bridge.pid() + ") and starting a new one");
            bridge.kill();
            long t0 = System.nanoTime();
            startBridge();
            double portalUp = (System.nanoTime() - t0) / 1e9;
            readOne(url, stride);
            double firstRead = (System.nanoTime() - t0) / 1e9;
            out.printf("%nreopen after SIGKILL at %,d extents: the new bridge accepted iSCSI logins after %.1f s and served its first"
                    + " read after %.1f s (goal <= %.0f s: %s)%n", done, portalUp, firstRead, REOPEN_GOAL_SECONDS,
                    firstRead <= REOPEN_GOAL_SECONDS ? "met" : "not met");
            out.printf("%ncommands (and their output in %s):%n", commands.loadsLog());
            for (String c : commands.recorded()) out.println("  " + c);
        }

        private void startBridge() throws Exception {
            bridge = bridges.start("scale", "our log-volume target at scale", List.of("--zk", store.zk(), "--volume", VOLUME, "--cache", cache),
                    iqn, port, cfg.logDir().resolve("scale-bridge.log"));
        }

        /** {@code n} writes from the {@code from}-th on; seconds by qemu-img's own timing. */
        private double write(String url, long from, long n, long stride) throws IOException, InterruptedException {
            long offset = Math.floorMod(from * stride, volumeBytes / BLOCK - 1) * BLOCK;
            List<String> cmd = List.of("qemu-img", "bench", "-f", "raw", "-w", "-d", "32", "-s", "4K", "-S", Long.toString(stride * BLOCK),
                    "-o", Long.toString(offset), "-c", Long.toString(n), "--pattern=" + BenchConfig.PATTERN, url);
            commands.record("scale writes", cmd);
            Progress.log("scale: " + n + " scattered 4 KiB writes from write " + from);
            return Loads.parseRunSeconds(commands.run(cmd));
        }

        /** One 4 KiB read of a written block, through a new session. */
        private void readOne(String url, long stride) throws IOException, InterruptedException {
            List<String> cmd = List.of("qemu-img", "bench", "-f", "raw", "-d", "1", "-s", "4K", "-o", Long.toString(stride * BLOCK), "-c", "1", url);
            commands.record("scale first read", cmd);
            commands.run(cmd);
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            commands.stopAll();
            if (bridge != null) bridge.close();
            store.close();
            if (!cfg.keepData()) {
                try {
                    LogStore.deleteTree(store.data());
                } catch (IOException e) {
                    Progress.log("cannot delete " + store.data() + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * The step between writes, in blocks: coprime with {@code positions} (qemu-img bench wraps at the volume's end less
     * one request), so that every write lands on a block of its own, and under qemu-img's limit of 2 GiB.
     */
    static long stride(long positions) {
        long s = Math.min(Loads.stride(positions), MAX_STEP_BYTES / BLOCK) | 1;
        while (s > 1 && java.math.BigInteger.valueOf(s).gcd(java.math.BigInteger.valueOf(positions)).longValue() != 1) s -= 2;
        return s;
    }

    /** The heap a JVM uses right after a full collection, MiB: jcmd GC.run, then GC.heap_info. */
    static double heapAfterGc(RunningProgram jvm) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String pid = Long.toString(jvm.pid());
        runQuietly(List.of(jcmd, pid, "GC.run"));
        return parseHeapUsedMib(runQuietly(List.of(jcmd, pid, "GC.heap_info")));
    }

    /**
     * The heap in use from GC.heap_info's output, in MiB: the "used NK" of the lines before Metaspace's, which are
     * the whole heap's (G1) or its generations' (Serial, Parallel).
     */
    static double parseHeapUsedMib(String heapInfo) {
        long kib = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            if (line.contains("Metaspace")) break;
            Matcher m = HEAP_USED.matcher(line);
            if (m.find()) {
                kib += Long.parseLong(m.group(1));
                found = true;
            }
        }
        if (!found) throw new BenchException("no 'used NK' in jcmd GC.heap_info's output:\n" + heapInfo);
        return kib / 1024.0;
    }

    private static String runQuietly(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new BenchException(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}
