package org.elastichadoop.iscsi.bench;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class ReportTest {
    private static BenchConfig config(List<String> targets, int runs) {
        return new BenchConfig(Path.of("/r"), Path.of("/d"), Path.of("/d/logs"), "1G", 1L << 30, 16000, 15, 1000, 3, runs, targets, 3261, 3261,
                3262, 3263, 3264, 2191, 7411, "1088M", 64, List.of("/r/bin/iscsi-bridge"), Map.of(), Duration.ofSeconds(60), false,
                BenchConfig.Iqns.fromEnvironment(Map.of()), 512, 3265, Path.of("/r/src-it/hadoop3-release/target/hadoop-3.5.0"));
    }

    private static Results.Cpu cpu(double mib, Object... roleMillis) {
        Map<String, Double> roles = new LinkedHashMap<>();
        for (int i = 0; i < roleMillis.length; i += 2) {
            roles.put((String) roleMillis[i], ((Number) roleMillis[i + 1]).doubleValue());
        }
        return new Results.Cpu(roles, mib);
    }

    @Test
    public void printsTheFiguresAgainstTgtsAndTheCpuPerMib() {
        Results r = new Results();
        r.put("tgt", Load.SEQ_READ, 1, 1455.0);
        r.put("ours", Load.SEQ_READ, 1, 2246.0);
        r.put("log", Load.SEQ_READ, 1, 2248.0);
        r.put("tgt", Load.SEQ_WRITE, 1, 1157.0);
        r.put("ours", Load.SEQ_WRITE, 1, 1931.0);
        r.put("log", Load.SEQ_WRITE, 1, 271.0);
        r.put("tgt", Load.RANDOM_READ, 1, 42477);
        r.put("ours", Load.RANDOM_READ, 1, 161127);
        r.put("log", Load.RANDOM_READ, 1, 171666);
        r.put("uncached", Load.RANDOM_READ_SMALL_CACHE, 1, 345);
        r.putCpu("tgt", 1, cpu(16000, "tgtd", 65_600));
        r.putCpu("ours", 1, cpu(16000, "bridge", 51_200));
        r.putCpu("log", 1, new Results.Cpu(cpu(16000, "bridge", 46_400, "3 KV nodes", 80_000, "ZooKeeper", 1_600).millisByRole(), 16000, 16_000));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, String> processes = Map.of("tgt", "tgtd", "ours", "bridge", "log", "bridge + 3 KV nodes + ZooKeeper");
        new Report(config(List.of("tgt", "ours", "log", "uncached"), 1), r, new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .print(List.of("tgt start: tgtd -f"), processes);
        assertEquals(String.join("\n",
                "== run 1 of 1",
                "load                                  tgt         ours   /tgt   goal status            log   /tgt   goal status  ",
                "seq read 1 MiB, depth 16     1455.0 MiB/s 2246.0 MiB/s   1.54 >=1.20 met      2248.0 MiB/s   1.55 >=0.90 met     ",
                "seq write 1 MiB, depth 16    1157.0 MiB/s 1931.0 MiB/s   1.67 >=1.20 met       271.0 MiB/s   0.23 >=0.60 not met ",
                "random read 4 KiB, depth 32    42477 IOPS  161127 IOPS   3.79 >=1.20 met       171666 IOPS   4.04 >=0.90 met     ",
                "random read 4 KiB, cache 64M   42477 IOPS            -      -      - -            345 IOPS   0.01 >=0.50 not met ",
                "",
                "== target-side CPU during the measured seq write 1 MiB, depth 16 (run 1 of 1)",
                "target    processes                              CPU s      MiB   ms/MiB   /tgt    JIT warm /tgt",
                "tgt       tgtd                                   65.60    16000     4.10      -   0.00         -",
                "ours      bridge                                 51.20    16000     3.20   0.78   0.00      0.78",
                "log       bridge + 3 KV nodes + ZooKeeper       128.00    16000     8.00   1.95   1.00      1.71",
                "          bridge 2.90, 3 KV nodes 5.00, ZooKeeper 0.10 ms/MiB",
                "",
                "== commands",
                "tgt start: tgtd -f",
                "",
                "logs: /d/logs",
                ""), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void theMedianTableTakesEachFiguresMedianAndLeavesOutTargetsNotRun() {
        Results r = new Results();
        double[] tgt = {1000, 1200, 1100};
        double[] log = {300, 200, 250};
        for (int run = 1; run <= 3; run++) {
            r.put("tgt", Load.SEQ_WRITE, run, tgt[run - 1]);
            r.put("log", Load.SEQ_WRITE, run, log[run - 1]);
            r.putCpu("tgt", run, cpu(100, "tgtd", 400 + run * 10));
            r.putCpu("log", run, cpu(100, "bridge", 300, "3 KV nodes", 1000 * run, "ZooKeeper", 10));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Report report = new Report(config(List.of("tgt", "log"), 3), r, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        report.figures("median of 3 runs", 0);
        report.cpu("median of 3 runs", 0, Map.of("tgt", "tgtd", "log", "bridge + 3 KV nodes + ZooKeeper"));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(out, "seq write 1 MiB, depth 16    1100.0 MiB/s            -      - >=1.20 -         250.0 MiB/s   0.23 >=0.60 not met ",
                out.lines().toList().get(3));
        assertEquals(out, "log       bridge + 3 KV nodes + ZooKeeper         2.31      100    23.10   5.50   0.00      5.50", out.lines().toList().get(9));
        assertEquals(out, "          bridge 3.00, 3 KV nodes 20.00, ZooKeeper 0.10 ms/MiB", out.lines().toList().get(10));
    }

    @Test
    public void theVolumeInHdfsIsSetAgainstTgtWithItsGoalsAndAgainstTheKvVolume() {
        Results r = new Results();
        r.put("tgt", Load.SEQ_READ, 1, 1000.0);
        r.put("log", Load.SEQ_READ, 1, 950.0);
        r.put("hdfs", Load.SEQ_READ, 1, 850.0);
        r.put("tgt", Load.SEQ_WRITE, 1, 400.0);
        r.put("log", Load.SEQ_WRITE, 1, 300.0);
        r.put("hdfs", Load.SEQ_WRITE, 1, 220.0);
        r.put("tgt", Load.RANDOM_READ, 1, 40000);
        r.put("hdfs", Load.RANDOM_READ, 1, 30000);
        r.putCpu("tgt", 1, cpu(100, "tgtd", 500));
        r.putCpu("log", 1, cpu(100, "bridge", 200, "3 KV nodes", 400, "ZooKeeper", 10));
        r.putCpu("hdfs", 1, cpu(100, "bridge", 250, "NameNode", 20, "3 DataNodes", 900, "ZooKeeper", 10));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Report report = new Report(config(List.of("tgt", "log", "hdfs"), 1), r, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        report.figures("run 1 of 1", 1);
        report.cpu("run 1 of 1", 1, Map.of("tgt", "tgtd", "log", "bridge + 3 KV nodes + ZooKeeper",
                "hdfs", "bridge + NameNode + 3 DataNodes + ZooKeeper"));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        int at = lines.indexOf("== the volume in HDFS (run 1 of 1)");
        String all = String.join("\n", lines);
        assertEquals(all, "load                                  tgt         hdfs   /tgt   goal status            log hdfs/log", lines.get(at + 1));
        assertEquals(all, "seq read 1 MiB, depth 16     1000.0 MiB/s  850.0 MiB/s   0.85 >=0.90 not met   950.0 MiB/s     0.89", lines.get(at + 2));
        assertEquals(all, "seq write 1 MiB, depth 16     400.0 MiB/s  220.0 MiB/s   0.55 >=0.50 met       300.0 MiB/s     0.73", lines.get(at + 3));
        assertEquals(all, "random read 4 KiB, depth 32    40000 IOPS   30000 IOPS   0.75      - -                   -        -", lines.get(at + 4));
        assertEquals(all, "hdfs      bridge + NameNode + 3 DataNodes + ZooKeeper      1.18      100    11.80   2.36   0.00      2.36",
                lines.get(lines.size() - 4));
        assertEquals(all, "hdfs/log  11.80 ms/MiB against 6.10: 1.93 x the volume on zk-kv-store (without the JIT: 1.93 x)", lines.get(lines.size() - 2));
    }
}
