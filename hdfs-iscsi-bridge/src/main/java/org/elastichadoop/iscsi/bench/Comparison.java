package org.elastichadoop.iscsi.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elastichadoop.kv.procs.ProcessCpu;
import org.elastichadoop.kv.procs.RunningProgram;

/**
 * One invocation of the benchmark: starts the targets (each filled through itself before any load), runs the loads on
 * each in turn, the order rotating between runs, and stops everything it started, also when interrupted.
 */
final class Comparison implements AutoCloseable {
    /** The targets interleaved under the three main loads; "uncached" has a row of its own. */
    private static final List<String> ROTATED = List.of("tgt", "ours", "log", "hdfs");

    private final BenchConfig cfg;
    private final CommandLog commands;
    private final Loads loads;
    private final LogStore store;
    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final Results results = new Results();
    private final List<Path> created = new ArrayList<>();
    private final String bridgeJavaOpts;
    private boolean closed;

    Comparison(BenchConfig cfg) throws IOException {
        this.cfg = cfg;
        this.commands = new CommandLog(cfg.logDir().resolve("loads.log"));
        this.loads = new Loads(cfg, commands);
        this.store = new LogStore(cfg, commands);
        BridgeLauncher bridges = new BridgeLauncher(cfg, commands);
        this.bridgeJavaOpts = bridges.bridgeJavaOpts();
        for (String t : cfg.targets()) {
            targets.put(t, switch (t) {
                case "tgt" -> new TgtTarget(cfg, commands);
                case "ours" -> new FileLunTarget(cfg, bridges);
                case "log" -> LogVolumeTarget.log(cfg, store, bridges);
                case "uncached" -> LogVolumeTarget.uncached(cfg, store, bridges);
                case "hdfs" -> new HdfsVolumeTarget(cfg, commands, bridges);
                default -> throw new IllegalArgumentException(t);
            });
        }
    }

    /** The whole comparison, the report on {@code out}; the exit code. */
    int run(PrintStream out) throws Exception {
        long started = System.nanoTime();
        MachineFacts.print(cfg, bridgeJavaOpts, out);
        // Both backing files are made the same way: a fresh sparse file of the LUN size, then the whole LUN is written
        // through the target with a non-zero pattern before any load runs. Log volumes are created empty and filled so too.
        for (String t : List.of("tgt", "ours")) {
            if (!cfg.has(t)) continue;
            Path img = cfg.dir().resolve(t + ".img");
            Files.deleteIfExists(img);
            created.add(img);
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                f.setLength(cfg.sizeBytes());
            }
        }
        if (cfg.has("log") || cfg.has("uncached")) created.add(store.data());
        if (targets.get("hdfs") instanceof HdfsVolumeTarget hdfs) created.add(hdfs.data());
        for (Target t : targets.values()) {
            checkOpen();
            t.start();
            loads.checkLun(t);
            sync();
            if (t.key().equals("uncached")) {
                Progress.log(t.key() + ": filling the whole LUN with 4 KiB writes in a scattered order (each block once)");
                Progress.log(t.key() + String.format(": filled at %.1f MiB/s", loads.scatteredFill(t)));
                // tgt's fill left its file in the page cache; the KV nodes write with O_DIRECT, which leaves theirs cold
                Progress.log(t.key() + ": reading the KV nodes' files once, so that the page cache holds them as it holds tgt's file");
                Progress.log(t.key() + String.format(": read %.0f MiB of them", LogStore.readAll(store.data()) / 1048576.0));
            } else {
                Progress.log(t.key() + ": filling the whole LUN (" + cfg.sizeMib() + " x 1 MiB writes of byte " + BenchConfig.PATTERN + ")");
                Progress.log(t.key() + ": filled at " + loads.fill(t) + " MiB/s");
            }
        }
        for (int r = 1; r <= cfg.runs(); r++) {
            runOnce(r);
        }
        Map<String, String> processes = new LinkedHashMap<>();
        targets.forEach((key, t) -> processes.put(key, String.join(" + ", t.roles().stream().map(Target.Role::name).toList())));
        new Report(cfg, results, out).print(commands.recorded(), processes);
        out.println("total time: " + (System.nanoTime() - started) / 1_000_000_000L + " s");
        out.flush();
        return 0;
    }

    private void runOnce(int run) throws Exception {
        List<Target> order = new ArrayList<>();
        for (String t : ROTATED) {
            if (targets.containsKey(t)) order.add(targets.get(t));
        }
        for (int i = 1; i < run && !order.isEmpty(); i++) {
            order.add(order.remove(0));
        }
        Progress.log("run " + run + "/" + cfg.runs() + ": order " + String.join(" ", order.stream().map(Target::key).toList()));
        for (Load load : List.of(Load.SEQ_READ, Load.SEQ_WRITE, Load.RANDOM_READ)) {
            for (Target t : order) {
                measure(t, load, run);
            }
        }
        if (targets.containsKey("uncached")) measure(targets.get("uncached"), Load.RANDOM_READ_SMALL_CACHE, run);
    }

    /**
     * A warm-up, then the measured load. Syncs the backing file system first, so that dirty pages the previous load
     * (maybe another target's) left behind are not written back during this one. Around the measured seq write, the
     * CPU time of the target's processes is read.
     */
    private void measure(Target t, Load load, int run) throws Exception {
        checkOpen();
        sync();
        double figure;
        switch (load) {
            case SEQ_READ -> {
                loads.sequential(t, false, cfg.warmCount(), "warm-up");
                figure = loads.sequential(t, false, cfg.seqCount(), "measure");
            }
            case SEQ_WRITE -> {
                loads.sequential(t, true, cfg.warmCount(), "warm-up");
                Map<String, Long> before = ticks(t);
                Map<Long, Long> jitBefore = ProcessCpu.compilerThreadTicks(pids(t));
                figure = loads.sequential(t, true, cfg.seqCount(), "measure");
                Map<String, Long> after = ticks(t);
                long jit = ProcessCpu.compilerTicksBetween(jitBefore, ProcessCpu.compilerThreadTicks(pids(t)));
                Map<String, Double> millis = new LinkedHashMap<>();
                before.forEach((role, ticks) -> millis.put(role, ProcessCpu.millis(after.get(role) - ticks)));
                results.putCpu(t.key(), run, new Results.Cpu(millis, cfg.seqCount(), ProcessCpu.millis(jit)));
            }
            default -> {
                loads.random(t, cfg.warmSeconds(), "warm-up");
                Loads.RandomReads reads = loads.random(t, cfg.randSeconds(), "measure");
                figure = reads.iops();
                if (reads.stopped()) {
                    results.note(run, t.key() + " " + load.label(cfg) + ": iscsi-perf was stopped " + reads.deadlineSeconds()
                            + " s after it began, with reads still in flight; the figure is its average until then");
                }
            }
        }
        results.put(t.key(), load, run, figure);
        Progress.log("run " + run + ": " + t.key() + " " + load.label(cfg) + ": " + Report.cell(figure, load));
    }

    /** CPU ticks so far of each of the target's roles. */
    private static Map<String, Long> ticks(Target t) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (Target.Role role : t.roles()) {
            ticks.put(role.name(), ProcessCpu.ticks(role.programs().stream().map(RunningProgram::pid).toList()));
        }
        return ticks;
    }

    private static List<Long> pids(Target t) {
        return t.roles().stream().flatMap(role -> role.programs().stream()).map(RunningProgram::pid).toList();
    }

    private void sync() throws IOException, InterruptedException {
        new ProcessBuilder("sync", "-f", cfg.dir().toString()).inheritIO().start().waitFor();
    }

    private synchronized void checkOpen() {
        if (closed) throw new BenchException("stopped");
    }

    /** Stops every target (the bridges, the store, tgtd) and deletes the backing files unless --keep-data. Safe to call twice. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        commands.stopAll();
        for (String t : List.of("ours", "log", "uncached", "hdfs")) {
            if (targets.containsKey(t)) targets.get(t).close();
        }
        store.close();
        if (targets.containsKey("tgt")) targets.get("tgt").close();
        if (!cfg.keepData()) {
            for (Path p : created) {
                try {
                    LogStore.deleteTree(p);
                } catch (IOException e) {
                    Progress.log("cannot delete " + p + ": " + e.getMessage());
                }
            }
        }
    }
}
