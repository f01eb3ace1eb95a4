package org.elastichadoop.iscsi.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.elastichadoop.kv.procs.ProcessCpu;

/** The first section of the report: the machine, the tools' versions and the run's settings, so that a table can be judged later. */
final class MachineFacts {
    private MachineFacts() {
    }

    static void print(BenchConfig cfg, String bridgeJavaOpts, PrintStream out) throws IOException, InterruptedException {
        out.println("== machine");
        out.println("date:       " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")));
        out.println("cpus:       " + Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")");
        out.println("memory:     " + memory());
        out.println("kernel:     " + firstLine(List.of("uname", "-srm")));
        String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        out.println("load avg:   " + load[0] + " " + load[1] + " " + load[2] + " (before the run)");
        if (Double.parseDouble(load[0]) >= 0.5) {
            out.println("warning:    the machine is busy (1-minute load >= 0.5): other work shares the CPUs with both targets");
            out.println("            and the initiators, so the figures are noisy; prefer a quiet machine and --runs 3 or more");
            Progress.log("warning: load average " + load[0] + ": the figures will be noisy");
        }
        out.println("--dir:      " + cfg.dir());
        for (String line : output(List.of("df", "-T", cfg.dir().toString())).lines().toList()) {
            out.println("            " + line);
        }
        out.println("tgt:        " + firstLine(List.of("tgtd", "-V")));
        out.println("qemu-img:   " + firstLine(List.of("qemu-img", "--version")));
        String libiscsi = firstLine(List.of("dpkg-query", "-W", "-f=${Package} ${Version}", "libiscsi-bin"));
        out.println("libiscsi:   " + (libiscsi.isEmpty() ? "unknown" : libiscsi));
        out.println("LUN size:   " + cfg.size() + " (" + cfg.sizeBytes() + " bytes, " + cfg.blockSize() + "-byte blocks), filled with byte "
                + BenchConfig.PATTERN + " before the loads");
        out.println("loads:      seq " + cfg.seqCount() + " x 1 MiB (warm-up " + cfg.warmCount() + "), random " + cfg.randSeconds() + "s (warm-up "
                + cfg.warmSeconds() + "s), " + cfg.runs() + " run(s)");
        if (cfg.has("ours") || cfg.has("log") || cfg.has("uncached") || cfg.has("hdfs")) {
            out.println("ours:       " + cfg.bridgeCmdText() + " (BRIDGE_JAVA_OPTS=" + bridgeJavaOpts + ")");
        }
        if (cfg.has("log") || cfg.has("uncached")) {
            out.println("log:        log volume 'bench' on 3 zk-kv-store nodes (RF 3, W 2, KV_JAVA_OPTS=" + System.getenv().getOrDefault("KV_JAVA_OPTS", "")
                    + "),");
            out.println("            ZooKeeper, nodes and bridge on this machine; segment cache " + cfg.logCache());
        }
        if (cfg.has("uncached")) {
            out.println("uncached:   log volume 'bench-random' on the same nodes, its own bridge with a segment cache of " + cfg.cacheMb()
                    + " MiB; filled with 4 KiB writes in a scattered order");
        }
        if (cfg.has("hdfs")) {
            out.println("hdfs:       log volume 'bench-hdfs' in HDFS: a NameNode and " + HdfsVolumeTarget.DATA_NODES + " DataNodes of " + cfg.hadoopHome()
                    + " (3 replicas),");
            out.println("            ZooKeeper and the bridge on this machine; packs of 1 GiB, hsync per group commit; segment cache "
                    + cfg.cacheMb() + " MiB: reads come from the DataNodes");
        }
        out.println("cpu:        utime + stime of the targets' processes (and their children) from /proc/PID/stat, "
                + ProcessCpu.ticksPerSecond() + " ticks/s");
        out.println();
    }

    private static String cpuModel() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        }
        return "unknown model";
    }

    private static String memory() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal")) {
                long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format("%.1f GiB", kib / 1048576.0);
            }
        }
        return "unknown";
    }

    private static String firstLine(List<String> command) throws InterruptedException {
        return output(command).lines().findFirst().orElse("").trim();
    }

    /** What the command prints; empty if it cannot be run. */
    private static String output(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        }
    }
}
