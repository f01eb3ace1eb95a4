package org.elastichadoop.iscsi.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of every run: each load's throughput per target, and the target-side CPU of the measured seq write. */
final class Results {
    private final Map<String, Double> figures = new HashMap<>();
    private final Map<String, Cpu> cpu = new HashMap<>();
    private final Map<Integer, List<String>> notes = new HashMap<>();

    /**
     * CPU time of a target's processes by role (bridge, KV nodes, ...) over {@code mib} MiB written, and the part of it
     * their JIT compiler threads spent (0 for tgtd).
     */
    record Cpu(Map<String, Double> millisByRole, double mib, double jitMillis) {
        Cpu(Map<String, Double> millisByRole, double mib) {
            this(millisByRole, mib, 0);
        }

        double millis() {
            return millisByRole.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double millisPerMib() {
            return millis() / mib;
        }
    }

    void put(String target, Load load, int run, double figure) {
        figures.put(target + "/" + load + "/" + run, figure);
    }

    /** The figure of one run, or null if the target did not run that load. */
    Double get(String target, Load load, int run) {
        return figures.get(target + "/" + load + "/" + run);
    }

    /** The median over runs 1..runs, or null if the target did not run that load. */
    Double median(String target, Load load, int runs) {
        List<Double> values = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            Double v = get(target, load, r);
            if (v == null) return null;
            values.add(v);
        }
        return median(values);
    }

    /** Something the figures of a run need said beside them. */
    void note(int run, String note) {
        notes.computeIfAbsent(run, r -> new ArrayList<>()).add(note);
    }

    List<String> notes(int run) {
        return notes.getOrDefault(run, List.of());
    }

    void putCpu(String target, int run, Cpu figure) {
        cpu.put(target + "/" + run, figure);
    }

    Cpu cpu(String target, int run) {
        return cpu.get(target + "/" + run);
    }

    /**
     * A target's CPU figures for one run, or (run 0) the median of each over runs 1..runs: CPU seconds, MiB, ms per
     * MiB, and each role's ms per MiB. Null if the target did not run the seq write.
     */
    CpuRow cpuRow(String target, int run, int runs) {
        if (run > 0) {
            Cpu c = cpu(target, run);
            return c == null ? null : CpuRow.of(c);
        }
        List<CpuRow> all = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            Cpu c = cpu(target, r);
            if (c == null) return null;
            all.add(CpuRow.of(c));
        }
        Map<String, Double> roles = new LinkedHashMap<>();
        for (String role : all.get(0).roleMillisPerMib().keySet()) {
            roles.put(role, median(all.stream().map(c -> c.roleMillisPerMib().get(role)).toList()));
        }
        return new CpuRow(median(all.stream().map(CpuRow::cpuSeconds).toList()), median(all.stream().map(CpuRow::mib).toList()),
                median(all.stream().map(CpuRow::millisPerMib).toList()), roles,
                median(all.stream().map(CpuRow::jitMillisPerMib).toList()), median(all.stream().map(CpuRow::warmMillisPerMib).toList()));
    }

    /** What the CPU table shows for a target; warm is ms/MiB less what the JIT compilers spent. */
    record CpuRow(double cpuSeconds, double mib, double millisPerMib, Map<String, Double> roleMillisPerMib, double jitMillisPerMib,
                  double warmMillisPerMib) {
        static CpuRow of(Cpu c) {
            Map<String, Double> roles = new LinkedHashMap<>();
            c.millisByRole().forEach((role, ms) -> roles.put(role, ms / c.mib()));
            double jit = c.jitMillis() / c.mib();
            return new CpuRow(c.millis() / 1000, c.mib(), c.millisPerMib(), roles, jit, c.millisPerMib() - jit);
        }
    }

    /** The middle value, or the mean of the two middle ones. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
