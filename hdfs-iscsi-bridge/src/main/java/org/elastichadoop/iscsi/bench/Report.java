package org.elastichadoop.iscsi.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report on stdout: for each run (and the median of the runs) the table of figures with each of ours set against
 * tgt's and its goal, then the target-side CPU per MiB written; then the exact commands.
 */
final class Report {
    /** The goals of issue 7: ours/tgt >= 1.20 for every load; log/tgt >= 0.60 for writes and >= 0.90 for reads. */
    static final double OURS_GOAL = 1.20;
    private static final String ROW = "%-28s %12s %12s %6s %6s %-8s %12s %6s %6s %-8s%n";
    private static final String CPU_ROW = "%-9s %-34s %9s %8s %8s %6s %6s %9s%n";

    private final BenchConfig cfg;
    private final Results results;
    private final PrintStream out;

    Report(BenchConfig cfg, Results results, PrintStream out) {
        this.cfg = cfg;
        this.results = results;
        this.out = out;
    }

    static double logGoal(Load load) {
        return load == Load.SEQ_WRITE ? 0.60 : load == Load.RANDOM_READ_SMALL_CACHE ? UNCACHED_GOAL : 0.90;
    }

    /** Issue 12: random 4 KiB reads with a 64 MiB segment cache on a volume written at random, at least 0.5 x tgt. */
    static final double UNCACHED_GOAL = 0.50;

    /** Issue 13, a volume in HDFS: sequential reads at least 0.9 x tgt, writes at least 0.5 x tgt; random reads have none. */
    static Double hdfsGoal(Load load) {
        if (load == Load.SEQ_READ) return 0.90;
        if (load == Load.SEQ_WRITE) return 0.50;
        return null;
    }

    private static final String HDFS_ROW = "%-28s %12s %12s %6s %6s %-8s %12s %8s%n";

    /** Every run's tables, the medians' when there is more than one run, and the commands. */
    void print(List<String> commands, Map<String, String> processes) {
        for (int r = 1; r <= cfg.runs(); r++) {
            tables("run " + r + " of " + cfg.runs(), r, processes);
        }
        if (cfg.runs() > 1) tables("median of " + cfg.runs() + " runs", 0, processes);
        out.println("== commands");
        commands.forEach(out::println);
        out.println();
        out.println("logs: " + cfg.logDir());
    }

    private void tables(String title, int run, Map<String, String> processes) {
        figures(title, run);
        cpu(title, run, processes);
    }

    /** A figure of one run, or (run 0) the median; null when the target did not run the load. */
    private Double figure(String target, Load load, int run) {
        return run > 0 ? results.get(target, load, run) : results.median(target, load, cfg.runs());
    }

    void figures(String title, int run) {
        out.println("== " + title);
        out.printf(ROW, "load", "tgt", "ours", "/tgt", "goal", "status", "log", "/tgt", "goal", "status");
        for (Load load : List.of(Load.SEQ_READ, Load.SEQ_WRITE, Load.RANDOM_READ)) {
            Double tgt = figure("tgt", load, run);
            List<String> cells = new ArrayList<>(List.of(load.label(cfg), cell(tgt, load)));
            cells.addAll(versus(figure("ours", load, run), tgt, load, OURS_GOAL));
            cells.addAll(versus(figure("log", load, run), tgt, load, logGoal(load)));
            out.printf(ROW, cells.toArray());
        }
        if (cfg.has("uncached")) {
            // tgt's figure is its random reads above: its file is in the page cache, and it has no smaller cache to set
            Load load = Load.RANDOM_READ_SMALL_CACHE;
            Double tgt = figure("tgt", Load.RANDOM_READ, run);
            List<String> cells = new ArrayList<>(List.of(load.label(cfg), cell(tgt, load), "-", "-", "-", "-"));
            cells.addAll(versus(figure("uncached", load, run), tgt, load, logGoal(load)));
            out.printf(ROW, cells.toArray());
        }
        for (String note : run > 0 ? results.notes(run) : List.<String>of()) {
            out.println("note: " + note);
        }
        out.println();
        if (cfg.has("hdfs")) hdfsFigures(title, run);
    }

    /** The volume in HDFS against tgt (with its goals) and against the volume on zk-kv-store. */
    private void hdfsFigures(String title, int run) {
        out.println("== the volume in HDFS (" + title + ")");
        out.printf(HDFS_ROW, "load", "tgt", "hdfs", "/tgt", "goal", "status", "log", "hdfs/log");
        for (Load load : List.of(Load.SEQ_READ, Load.SEQ_WRITE, Load.RANDOM_READ)) {
            Double tgt = figure("tgt", load, run);
            Double hdfs = figure("hdfs", load, run);
            Double log = figure("log", load, run);
            Double goal = hdfsGoal(load);
            List<String> cells = new ArrayList<>(List.of(load.label(cfg), cell(tgt, load)));
            if (goal != null) {
                cells.addAll(versus(hdfs, tgt, load, goal));
            } else {
                cells.addAll(List.of(cell(hdfs, load), hdfs != null && tgt != null ? String.format("%.2f", hdfs / tgt) : "-", "-", "-"));
            }
            cells.add(cell(log, load));
            cells.add(hdfs != null && log != null ? String.format("%.2f", hdfs / log) : "-");
            out.printf(HDFS_ROW, cells.toArray());
        }
        out.println();
    }

    /** The cells of one of ours: its figure, its ratio to tgt's, the goal and whether it is met. */
    private static List<String> versus(Double v, Double tgt, Load load, double goal) {
        String ratio = "-";
        String status = "-";
        if (v != null && tgt != null) {
            ratio = String.format("%.2f", v / tgt);
            status = v / tgt >= goal ? "met" : "not met";
        }
        return List.of(cell(v, load), ratio, String.format(">=%.2f", goal), status);
    }

    /** "1180.4 MiB/s", "27000 IOPS", or "-" for a target that did not run the load. */
    static String cell(Double v, Load load) {
        if (v == null) return "-";
        return load.unit.equals("IOPS") ? String.format("%.0f IOPS", v) : String.format("%.1f %s", v, load.unit);
    }

    /** The target-side CPU during the measured seq write, per MiB written, and ours set against tgtd's. */
    void cpu(String title, int run, Map<String, String> processes) {
        List<String> targets = new ArrayList<>();
        for (String t : List.of("tgt", "ours", "log", "hdfs")) {
            if (results.cpuRow(t, run, cfg.runs()) != null) targets.add(t);
        }
        if (targets.isEmpty()) return;
        out.println("== target-side CPU during the measured " + Load.SEQ_WRITE.label(cfg) + " (" + title + ")");
        out.printf(CPU_ROW, "target", "processes", "CPU s", "MiB", "ms/MiB", "/tgt", "JIT", "warm /tgt");
        Results.CpuRow tgt = results.cpuRow("tgt", run, cfg.runs());
        for (String t : targets) {
            Results.CpuRow row = results.cpuRow(t, run, cfg.runs());
            boolean vsTgt = tgt != null && !t.equals("tgt");
            String ratio = vsTgt ? String.format("%.2f", row.millisPerMib() / tgt.millisPerMib()) : "-";
            String warmRatio = vsTgt ? String.format("%.2f", row.warmMillisPerMib() / tgt.warmMillisPerMib()) : "-";
            out.printf(CPU_ROW, t, processes.getOrDefault(t, ""), String.format("%.2f", row.cpuSeconds()), String.format("%.0f", row.mib()),
                    String.format("%.2f", row.millisPerMib()), ratio, String.format("%.2f", row.jitMillisPerMib()), warmRatio);
            if (row.roleMillisPerMib().size() > 1) {
                List<String> parts = new ArrayList<>();
                row.roleMillisPerMib().forEach((role, ms) -> parts.add(role + " " + String.format("%.2f", ms)));
                out.printf("%-9s %s ms/MiB%n", "", String.join(", ", parts));
            }
        }
        Results.CpuRow log = results.cpuRow("log", run, cfg.runs());
        Results.CpuRow hdfs = results.cpuRow("hdfs", run, cfg.runs());
        if (log != null && hdfs != null) {
            out.printf("hdfs/log  %.2f ms/MiB against %.2f: %.2f x the volume on zk-kv-store (without the JIT: %.2f x)%n", hdfs.millisPerMib(),
                    log.millisPerMib(), hdfs.millisPerMib() / log.millisPerMib(), hdfs.warmMillisPerMib() / log.warmMillisPerMib());
        }
        out.println();
    }
}
