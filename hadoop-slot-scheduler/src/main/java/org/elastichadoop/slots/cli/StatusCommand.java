package org.elastichadoop.slots.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.curator.framework.CuratorFramework;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.allocation.InvalidAllocationException;
import org.elastichadoop.slots.zk.AllocationStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows each tracker's allocation as published in ZooKeeper.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ZkOptions where = new ZkOptions();

    @Option(names = "--json", description = "One JSON document instead of a table.")
    boolean json;

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** A YARN NodeManager's resources as 'slotctl yarn' applied them, beside its own (one row per NodeManager of the name). */
    private static void yarn(AllocationStore store, String tracker, Map<String, Object> row, long now) throws Exception {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode n : store.readYarnNodes(tracker)) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("node", n.path("node").asText());
            node.put("configured", resources(n.path("configured")));
            if (n.hasNonNull("applied")) {
                node.put("applied", resources(n.path("applied")));
                node.put("appliedAgeSeconds", Math.max(0, now - n.path("appliedAt").asLong()) / 1000);
                node.put("appliedWhy", n.path("reason").asText());
            }
            nodes.add(node);
        }
        if (!nodes.isEmpty()) row.put("yarn", nodes);
    }

    private static String resources(com.fasterxml.jackson.databind.JsonNode r) {
        return r.path("vcores").asInt() + " vcores, " + r.path("memoryMb").asLong() + " MB";
    }

    @Override
    public Integer call() throws Exception {
        try (CuratorFramework client = where.connect()) {
            AllocationStore store = where.store(client);
            List<String> hosts = new ArrayList<>(store.hosts());
            Collections.sort(hosts);
            long now = System.currentTimeMillis();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String host : hosts) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("tracker", host);
                try {
                    Allocation a = store.read(host).orElse(null);
                    if (a == null) continue;
                    row.put("maps", a.maps());
                    row.put("reduces", a.reduces());
                    row.put("version", a.version());
                    row.put("timestamp", a.timestampMillis());
                    row.put("ageSeconds", a.ageMillis(now) / 1000);
                    row.put("reason", a.reason());
                    if (a.othersCores() != null) {
                        row.put("capacityCores", a.capacityCores());
                        row.put("othersCores", round(a.othersCores()));
                    }
                    try {
                        store.readOverride(host).ifPresent(o -> row.put("override", o.describe()));
                    } catch (InvalidAllocationException e) {
                        row.put("override", "INVALID: " + e.getMessage());
                    }
                    try {
                        store.readReport(host).ifPresent(r -> {
                            row.put("activeMaps", r.activeMaps());
                            row.put("activeReduces", r.activeReduces());
                            row.put("runningMaps", r.runningMaps());
                            row.put("runningReduces", r.runningReduces());
                            row.put("hostCores", r.capacityCores());
                            row.put("busyCores", round(r.busyCores()));
                            row.put("stealCores", round(r.stealCores()));
                            row.put("reportAgeSeconds", Math.max(0, now - r.timestampMillis()) / 1000);
                            if (r.containers() != null) row.put("containers", r.containers());
                        });
                    } catch (InvalidAllocationException e) {
                        row.put("report", "INVALID: " + e.getMessage());
                    }
                    try {
                        yarn(store, host, row, now);
                    } catch (InvalidAllocationException e) {
                        row.put("yarn", "INVALID: " + e.getMessage());
                    }
                } catch (InvalidAllocationException e) {
                    row.put("error", e.getMessage());
                }
                rows.add(row);
            }
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("zk", where.zk);
                doc.put("trackers", rows);
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
                return 0;
            }
            if (rows.isEmpty()) {
                System.out.println("no allocations under " + where.root + "/allocations: is a controller running? (slotctl controller)");
                return 0;
            }
            System.out.printf("%-24s %9s %6s %6s %11s %11s %8s %5s  %s%n", "tracker", "allocated", "active", "running", "host CPU",
                    "others' CPU", "version", "age", "why");
            for (Map<String, Object> r : rows) {
                if (r.containsKey("error")) {
                    System.out.printf("%-24s %s%n", r.get("tracker"), "INVALID: " + r.get("error"));
                    continue;
                }
                if (r.get("yarn") instanceof List) {
                    printYarn(r);
                    continue;
                }
                boolean reported = r.containsKey("activeMaps");
                System.out.printf("%-24s %9s %6s %6s %11s %11s %8s %4ss  %s%s%n", r.get("tracker"), r.get("maps") + "m/" + r.get("reduces") + "r",
                        reported ? r.get("activeMaps") + "/" + r.get("activeReduces") : "-",
                        reported ? r.get("runningMaps") + "/" + r.get("runningReduces") : "-",
                        reported ? r.get("busyCores") + " of " + r.get("hostCores") : "-",
                        r.containsKey("othersCores") ? r.get("othersCores") + " of " + r.get("capacityCores") : "-",
                        r.get("version"), r.get("ageSeconds"), r.containsKey("override") ? "[" + r.get("override") + "] " : "", r.get("reason"));
            }
            return 0;
        }
    }

    /** A YARN NodeManager's line: "active" is what the RM has (vcores applied), "running" its containers. */
    @SuppressWarnings("unchecked")
    private static void printYarn(Map<String, Object> r) {
        for (Map<String, Object> n : (List<Map<String, Object>>) r.get("yarn")) {
            String applied = n.containsKey("applied") ? String.valueOf(n.get("applied")).replace(" vcores, ", "v/").replace(" MB", "M") : "own";
            System.out.printf("%-24s %9s %6s %6s %11s %11s %8s %4ss  %s%s%n", n.get("node"), r.get("maps") + "m/" + r.get("reduces") + "r",
                    applied, r.containsKey("containers") ? r.get("containers") + "c" : "-",
                    r.containsKey("busyCores") ? r.get("busyCores") + " of " + r.get("hostCores") : "-",
                    r.containsKey("othersCores") ? r.get("othersCores") + " of " + r.get("capacityCores") : "-",
                    r.get("version"), r.get("ageSeconds"), r.containsKey("override") ? "[" + r.get("override") + "] " : "",
                    r.get("reason") + " (YARN: own " + n.get("configured") + "; applied: " + n.getOrDefault("appliedWhy", "nothing yet") + ")");
        }
    }
}
