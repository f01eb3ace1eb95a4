package org.elastichadoop.kv.cli;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.elastichadoop.kv.concurrent.Futures;
import org.elastichadoop.kv.client.KvClient;
import org.elastichadoop.kv.cluster.ZkPaths;
import org.elastichadoop.kv.metrics.JvmFigures;
import org.elastichadoop.kv.procs.KvCluster;
import org.elastichadoop.kv.procs.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * bin/kv-bench: starts ZooKeeper and three node processes on this machine (RF 3, W 2; {@link KvCluster}), measures put and
 * get throughput and latency for small and large values, and in the same run the disk's own sequential
 * write bandwidth with direct I/O and fsync (dd), so the figures come with the ratio that matters.
 */
@Command(name = "kv-bench", mixinStandardHelpOptions = true, description = "Benchmarks a three-node zk-kv-store beside the raw disk.")
public final class KvBench implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "kv-bench-data", description = "where the nodes and the disk test write (default ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--small-count", defaultValue = "20000", description = "4 KiB puts (default ${DEFAULT-VALUE})")
    int smallCount;

    @Option(names = "--large-count", defaultValue = "1500", description = "1 MiB puts per trial (default ${DEFAULT-VALUE})")
    int largeCount;

    @Option(names = "--large-trials", defaultValue = "3",
            description = "trials of --large-count 1 MiB puts, each between two dd runs; the goal is read off the median (default ${DEFAULT-VALUE})")
    int largeTrials;

    @Option(names = "--depth", defaultValue = "16", description = "requests in flight (default ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--latency-depth", defaultValue = "1", description = "requests in flight for the latency run (default ${DEFAULT-VALUE})")
    int latencyDepth;

    @Option(names = "--disk-mb", defaultValue = "1024", description = "MiB written by the dd disk test (default ${DEFAULT-VALUE})")
    int diskMb;

    @Option(names = "--warmup", defaultValue = "4000",
            description = "4 KiB puts and gets (a tenth as many 1 MiB puts, a quarter as many 4 KiB puts at the latency depth) "
                    + "in each unmeasured warm-up round (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--warmup-rounds", defaultValue = "8",
            description = "at most this many warm-up rounds; they stop once one leaves the JIT compilers nearly idle (default ${DEFAULT-VALUE})")
    int warmupRounds;

    @Option(names = "--jit-settled-ms", defaultValue = "300",
            description = "a warm-up round in which the four JVMs compiled for less than this, summed, ends the warm-up (default ${DEFAULT-VALUE})")
    long jitSettledMillis;

    @Option(names = "--node-heap", defaultValue = "1g", description = "heap of each node process (default ${DEFAULT-VALUE})")
    String nodeHeap;

    @Option(names = "--node-java-opts", defaultValue = "", description = "extra JVM flags for the node processes ({i} becomes the node number)")
    String nodeJavaOpts;

    @Option(names = "--node-io-threads", defaultValue = "0", description = "kvnode --io-threads for the nodes (default ${DEFAULT-VALUE}: one per core)")
    int nodeIoThreads;

    /** Node processes the benchmark starts; with the default RF of 3, each holds a copy of every key. */
    private static final int NODES = 3;

    public static void main(String[] args) {
        System.exit(Cli.run(new KvBench(), args));
    }

    /** The JIT's and the collectors' time so far, summed over the nodes and this process, and the nodes' fsyncs. */
    record NodeCosts(long jitMillis, long gcMillis, long fsyncs) {
        NodeCosts since(NodeCosts before) {
            return new NodeCosts(jitMillis - before.jitMillis, gcMillis - before.gcMillis, fsyncs - before.fsyncs);
        }

        NodeCosts plus(NodeCosts other) {
            return new NodeCosts(jitMillis + other.jitMillis, gcMillis + other.gcMillis, fsyncs + other.fsyncs);
        }
    }

    record Run(String name, int count, int size, int depth, double seconds, long[] latNanos, NodeCosts jvm) {
        double opsPerSec() {
            return count / seconds;
        }

        double mibPerSec() {
            return (double) count * size / seconds / (1 << 20);
        }

        double pMillis(double q) {
            long[] s = latNanos.clone();
            Arrays.sort(s);
            return s[Math.min(s.length - 1, (int) Math.ceil(q * s.length) - 1)] / 1e6;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (largeTrials < 1 || largeCount < 1) {
            throw new IllegalArgumentException("--large-trials and --large-count must be at least 1");
        }
        Path base = dir.toAbsolutePath();
        deleteTree(base);
        Files.createDirectories(base);
        System.out.println("kv-bench in " + base + " (" + Runtime.getRuntime().availableProcessors() + " cores)");

        // the virtual disk's bandwidth varies from run to run: take the median of three
        double[] dd = {ddWrite(base), ddWrite(base), ddWrite(base)};
        Arrays.sort(dd);
        double diskMiBps = dd[1];
        System.out.printf("disk: dd sequential write, 1 MiB blocks, direct I/O + fsync: %.0f MiB/s (median of %.0f, %.0f, %.0f)%n",
                diskMiBps, dd[0], dd[1], dd[2]);

        try (KvCluster cluster = cluster(base)) {
            cluster.start();
            String connect = cluster.zkConnect();
            try (KvClient client = KvClient.connect(connect, ZkPaths.DEFAULT_CLUSTER, 60_000)) {
                long end = System.currentTimeMillis() + 30_000;
                while (client.nodes().size() < NODES && System.currentTimeMillis() < end) {
                    Thread.sleep(50);
                }
                System.out.println("cluster: " + client.nodes().size() + " nodes, RF " + client.settings().replicationFactor()
                        + ", W " + client.settings().syncCopies());
                awaitFigures(client);
                warmUp(client);
                List<Run> runs = new ArrayList<>();
                runs.add(puts(client, "put 4 KiB", "s", smallCount, 4096, depth));
                runs.add(gets(client, "get 4 KiB", "s", smallCount, 4096, depth));
                runs.add(puts(client, "put 4 KiB (latency)", "l", Math.min(smallCount, 5000), 4096, latencyDepth));
                List<Trial> trials = largeTrials(client, base, client.settings().replicationFactor());
                runs.add(combined("put 1 MiB", trials.stream().map(Trial::puts).toList()));
                List<Run> reads = new ArrayList<>();
                for (int t = 1; t <= trials.size(); t++) {
                    reads.add(gets(client, "get 1 MiB", "L" + t, largeCount, 1 << 20, depth));
                }
                runs.add(combined("get 1 MiB", reads));
                report(runs, diskMiBps, trials, client.settings().replicationFactor());
            }
        }
        return 0;
    }

    /** The disk measured two ways at one moment: one dd stream, and RF durable appenders as the replicas write. */
    record Disk(double dd, double durable) {
    }

    /** One trial of 1 MiB puts with the disk measured just before and just after it. */
    record Trial(Disk before, Run puts, Disk after) {
        double ddMiBps() {
            return (before.dd() + after.dd()) / 2;
        }

        double durableMiBps() {
            return (before.durable() + after.durable()) / 2;
        }
    }

    /**
     * The 1 MiB puts in trials, each between two measurements of the disk. On this shared virtual disk the bandwidth
     * drifts by a third within minutes, so a put figure is set against the disk as it was around it, and the goal is
     * read off the median trial rather than off one run of seven seconds.
     */
    private List<Trial> largeTrials(KvClient client, Path base, int rf) throws Exception {
        List<Trial> trials = new ArrayList<>();
        Disk before = disk(base, rf);
        for (int t = 1; t <= largeTrials; t++) {
            Run puts = puts(client, "put 1 MiB", "L" + t, largeCount, 1 << 20, depth);
            Disk after = disk(base, rf);
            trials.add(new Trial(before, puts, after));
            before = after;
        }
        return trials;
    }

    private Disk disk(Path base, int rf) throws Exception {
        return new Disk(ddWrite(base), durableAppends(base, rf));
    }

    /**
     * The disk as replicas that acknowledge only what is on it must use it: {@code streams} writers at once, each
     * appending 4 MiB O_DIRECT writes to a new file and fdatasync-ing every 16 MiB, --disk-mb in all. Aggregate MiB/s.
     */
    private double durableAppends(Path base, int streams) throws Exception {
        int chunk = 4 << 20;
        long perStream = (long) diskMb * (1 << 20) / streams / chunk;
        List<Path> files = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        List<Exception> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < streams; i++) {
            Path f = base.resolve("durable-" + i + ".test");
            files.add(f);
            writers.add(new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(chunk + 4096).alignedSlice(4096).limit(chunk);
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                    for (long k = 0; k < perStream; k++) {
                        buf.clear().limit(chunk);
                        while (buf.hasRemaining()) {
                            ch.write(buf, k * chunk + buf.position());
                        }
                        if (k % 4 == 3 || k == perStream - 1) {
                            ch.force(false);
                        }
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "durable-append-" + i));
        }
        long t0 = System.nanoTime();
        writers.forEach(Thread::start);
        for (Thread w : writers) {
            w.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the durable-append disk test failed in " + base + ": " + failures.get(0), failures.get(0));
        }
        return perStream * streams * chunk / (double) (1 << 20) / seconds;
    }

    /** Runs of one kind as one row: their requests, time, latencies and JVM time together. */
    private static Run combined(String name, List<Run> parts) {
        int count = parts.stream().mapToInt(Run::count).sum();
        double seconds = parts.stream().mapToDouble(Run::seconds).sum();
        long[] lat = parts.stream().flatMapToLong(r -> Arrays.stream(r.latNanos())).toArray();
        NodeCosts jvm = parts.stream().map(Run::jvm).reduce(new NodeCosts(0, 0, 0), NodeCosts::plus);
        return new Run(name, count, parts.get(0).size(), parts.get(0).depth(), seconds, lat, jvm);
    }

    private void report(List<Run> runs, double diskMiBps, List<Trial> trials, int rf) {
        System.out.println();
        System.out.printf("| %-20s | %6s | %5s | %10s | %9s | %8s | %8s | %6s | %6s | %6s |%n", "run", "count", "depth", "ops/s", "MiB/s",
                "p50 ms", "p99 ms", "JIT ms", "GC ms", "fsyncs");
        System.out.println("|----------------------|--------|-------|------------|-----------|----------|----------|--------|--------|--------|");
        for (Run r : runs) {
            System.out.printf("| %-20s | %6d | %5d | %10.0f | %9.1f | %8.2f | %8.2f | %6d | %6d | %6d |%n", r.name, r.count, r.depth,
                    r.opsPerSec(), r.mibPerSec(), r.pMillis(0.5), r.pMillis(0.99), r.jvm.jitMillis(), r.jvm.gcMillis(), r.jvm.fsyncs());
        }
        System.out.println("(JIT ms, GC ms: time the four JVMs spent compiling and collecting during the run, summed; fsyncs: the nodes' together)");
        Run large = runs.stream().filter(r -> r.name.equals("put 1 MiB")).findFirst().orElseThrow();
        Run lat = runs.stream().filter(r -> r.name.startsWith("put 4 KiB (latency)")).findFirst().orElseThrow();
        System.out.println();
        System.out.printf("disk at the start %.0f MiB/s / RF %d = %.0f MiB/s; all 1 MiB puts %.0f MiB/s = %.2f of that%n",
                diskMiBps, rf, diskMiBps / rf, large.mibPerSec(), large.mibPerSec() / (diskMiBps / rf));
        double[] ratios = new double[trials.size()];
        double[] durableRatios = new double[trials.size()];
        for (int t = 0; t < trials.size(); t++) {
            Trial trial = trials.get(t);
            double puts = trial.puts().mibPerSec();
            ratios[t] = puts / (trial.ddMiBps() / rf);
            durableRatios[t] = puts / (trial.durableMiBps() / rf);
            System.out.printf("1 MiB puts, trial %d: %.0f MiB/s; disk before / after: dd %.0f / %.0f, %d durable appenders %.0f / %.0f MiB/s; "
                            + "puts = %.2f of dd / RF, %.2f of durable appends / RF%n", t + 1, puts, trial.before().dd(), trial.after().dd(),
                    rf, trial.before().durable(), trial.after().durable(), ratios[t], durableRatios[t]);
        }
        long fsyncs = large.jvm().fsyncs();
        System.out.printf("1 MiB puts: %d fsyncs on the %d nodes, %.1f MiB written per fsync (the durable appenders: 16)%n", fsyncs, NODES,
                fsyncs == 0 ? 0 : large.count() * (double) large.size() * rf / (1 << 20) / fsyncs);
        Arrays.sort(ratios);
        Arrays.sort(durableRatios);
        System.out.printf("1 MiB puts in the median trial: %.2f of dd / RF (goal >= 0.80); %.2f of durable appends / RF%n",
                ratios[ratios.length / 2], durableRatios[durableRatios.length / 2]);
        System.out.printf("4 KiB put p99 at depth %d: %.2f ms (goal <= 5 ms)%n", lat.depth, lat.pMillis(0.99));
    }

    /** Values are drawn from a pool of 256 made up front (value i starts with byte i), so the load costs no allocation. */
    private static final int POOL = 256;

    private static byte[][] pool(int size) {
        Random r = new Random(size);
        byte[][] values = new byte[POOL][size];
        for (int j = 0; j < POOL; j++) {
            r.nextBytes(values[j]);
            values[j][0] = (byte) j;
        }
        return values;
    }

    /**
     * Warm-up rounds until the JIT settles: a run measured while the compilers still work measures them (on two cores
     * they took up to a core between them for a minute of load), not the store a node that has served for a while is.
     */
    private void warmUp(KvClient client) throws Exception {
        for (int round = 1; round <= warmupRounds && warmup > 0; round++) {
            long t0 = System.nanoTime();
            String p = "w" + round + "-";
            NodeCosts spent = new NodeCosts(0, 0, 0);
            for (Run r : List.of(puts(client, "warm-up", p + "s", warmup, 4096, depth),
                    gets(client, "warm-up", p + "s", warmup, 4096, depth),
                    puts(client, "warm-up", p + "l", Math.max(1, warmup / 4), 4096, latencyDepth),
                    puts(client, "warm-up", p + "L", Math.max(1, warmup / 10), 1 << 20, depth))) {
                spent = spent.plus(r.jvm());
            }
            System.out.printf("warm-up round %d: %.1f s; the JVMs compiled for %d ms, collected for %d ms%n",
                    round, (System.nanoTime() - t0) / 1e9, spent.jitMillis(), spent.gcMillis());
            if (spent.jitMillis() < jitSettledMillis) {
                return;
            }
        }
        System.out.println("warm-up: the JIT had not settled after " + warmupRounds + " rounds; the figures include its work");
    }

    /**
     * Waits until every node answers for its figures: the nodes start at once, and on a busy machine a node's first
     * status answer, cold, can take longer than the client's 3 s.
     */
    private static void awaitFigures(KvClient client) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                nodeCosts(client);
                return;
            } catch (IllegalStateException notYet) {
                if (System.currentTimeMillis() > end) throw notYet;
                Thread.sleep(500);
            }
        }
    }

    private static NodeCosts nodeCosts(KvClient client) throws Exception {
        long jit = JvmFigures.jitMillis();
        long gc = JvmFigures.gcMillis();
        long fsyncs = 0;
        for (Map<String, Object> node : client.status().get(30, TimeUnit.SECONDS).values()) {
            if (!(node.get("jvm_jit_millis_total") instanceof Number nodeJit) || !(node.get("jvm_gc_millis_total") instanceof Number nodeGc)
                    || !(node.get("fsyncs_total") instanceof Number nodeFsyncs)) {
                throw new IllegalStateException("a node did not report its JVM figures and fsyncs: " + node);
            }
            jit += nodeJit.longValue();
            gc += nodeGc.longValue();
            fsyncs += nodeFsyncs.longValue();
        }
        return new NodeCosts(jit, gc, fsyncs);
    }

    private Run puts(KvClient client, String name, String prefix, int count, int size, int inFlight) throws Exception {
        byte[][] values = pool(size);
        return load(client, name, count, size, inFlight, i -> client.put(key(prefix, i), values[i % POOL]));
    }

    private Run gets(KvClient client, String name, String prefix, int count, int size, int inFlight) throws Exception {
        return load(client, name, count, size, inFlight, i -> client.get(key(prefix, i)).thenAccept(v -> {
            if (v == null || v.length != size || v[0] != (byte) (i % POOL)) {
                throw new IllegalStateException("wrong value read back for key " + i);
            }
        }));
    }

    private static byte[] key(String prefix, int i) {
        return (prefix + "-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static Run load(KvClient client, String name, int count, int size, int inFlight, IntFunction<CompletableFuture<?>> op)
            throws Exception {
        NodeCosts before = nodeCosts(client);
        long[] lat = new long[count];
        Semaphore window = new Semaphore(inFlight);
        AtomicInteger failures = new AtomicInteger();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            window.acquire();
            long start = System.nanoTime();
            int n = i;
            op.apply(i).whenComplete((v, e) -> {
                lat[n] = System.nanoTime() - start;
                if (e != null && failures.getAndIncrement() == 0) {
                    System.err.println(name + " failed: " + Futures.cause(e).getMessage());
                }
                window.release();
            });
        }
        window.acquire(inFlight);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + count + " requests of '" + name + "' failed");
        }
        return new Run(name, count, size, inFlight, seconds, lat, nodeCosts(client).since(before));
    }

    private double ddWrite(Path base) throws Exception {
        Path f = base.resolve("dd.test");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("dd", "if=/dev/zero", "of=" + f, "bs=1M", "count=" + diskMb, "oflag=direct", "conv=fsync")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("dd failed on " + f);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.delete(f);
        return diskMb / seconds;
    }

    /**
     * ZooKeeper and the nodes as processes of this JVM's java and class path, each logging to DIR/NAME.log; at the end,
     * or when the benchmark is interrupted, they are asked to stop with SIGTERM and killed after 10 s.
     */
    private KvCluster cluster(Path base) throws Exception {
        String classPath = System.getProperty("java.class.path");
        return KvCluster.builder(base).nodes(NODES)
                .zooKeeperCommand(Launcher.java(classPath, ZooKeeperCommand.class.getName(), List.of("-Xmx256m", "-Delastickv.log.level=warn")))
                .nodeCommand(i -> Launcher.java(classPath, KvNodeCommand.class.getName(), nodeJvmOptions(i + 1)))
                .nodeArgs("--io-threads", Integer.toString(nodeIoThreads))
                .freshLogs().startTimeout(Duration.ofSeconds(120)).stopGrace(Duration.ofSeconds(10))
                .build().stopOnExit();
    }

    /** JVM options of node {@code i} (1..3): its heap, warnings only, and --node-java-opts with {i} replaced. */
    private List<String> nodeJvmOptions(int i) {
        List<String> opts = new ArrayList<>(List.of("-Xmx" + nodeHeap, "-Delastickv.log.level=warn"));
        for (String opt : nodeJavaOpts.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                opts.add(opt.replace("{i}", Integer.toString(i)));
            }
        }
        return opts;
    }

    private static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
