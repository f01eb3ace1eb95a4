package org.elastichadoop.kv.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import org.elastichadoop.kv.client.KvClient;
import org.elastichadoop.kv.cluster.ClusterSnapshot;
import org.elastichadoop.kv.cluster.Membership;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.cluster.Placement;
import org.elastichadoop.kv.cluster.Settings;
import org.elastichadoop.kv.cluster.Zk;
import org.elastichadoop.kv.cluster.ZkPaths;
import org.elastichadoop.kv.wire.KeyState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/** bin/kvctl: put, get, delete and inspect entries; cluster status, settings and members. */
@Command(name = "kvctl", mixinStandardHelpOptions = true, description = "Talks to a zk-kv-store cluster.",
        subcommands = {KvCtl.Put.class, KvCtl.Get.class, KvCtl.Delete.class, KvCtl.Stat.class, KvCtl.Status.class, KvCtl.Config.class,
                KvCtl.RemoveNode.class})
public final class KvCtl {
    @Option(names = "--zk", defaultValue = Zk.DEFAULT_CONNECT, scope = ScopeType.INHERIT,
            description = "ZooKeeper connect string (default ${DEFAULT-VALUE})")
    String zk;

    @Option(names = "--cluster", defaultValue = ZkPaths.DEFAULT_CLUSTER, scope = ScopeType.INHERIT,
            description = "cluster name (default ${DEFAULT-VALUE})")
    String cluster;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print JSON instead of text")
    boolean json;

    public static void main(String[] args) {
        Callable<Integer> quick = QuickArgs.parse(args);
        System.exit(quick != null ? Cli.call(quick) : Cli.run(new KvCtl(), args));
    }

    /** The cluster read once and plain sockets: a call's start-up is most of what it costs. */
    KvClient client() throws InterruptedException {
        return KvClient.once(zk, cluster, KvClient.DEFAULT_TIMEOUT_MILLIS);
    }

    void printJson(Object o) throws Exception {
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
    }

    static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    @Command(name = "put", description = "Stores an immutable entry from a file or standard input.")
    static final class Put implements Callable<Integer> {
        @ParentCommand KvCtl ctl;
        @Parameters(index = "0", description = "key") String key;
        @Parameters(index = "1", defaultValue = "-", description = "file with the value, or - for standard input (default)") String source;

        @Override
        public Integer call() throws Exception {
            byte[] value;
            if (source.equals("-")) {
                try (InputStream in = System.in) {
                    value = in.readAllBytes();
                }
            } else {
                value = Files.readAllBytes(Path.of(source));
            }
            try (KvClient c = ctl.client()) {
                c.put(key(key), value).join();
            }
            if (ctl.json) {
                ctl.printJson(Map.of("key", key, "bytes", value.length, "crc32c", Integer.toHexString(KvClient.crc32c(value))));
            } else {
                System.out.println("stored " + key + " (" + value.length + " bytes)");
            }
            return 0;
        }
    }

    @Command(name = "get", description = "Writes an entry's bytes to standard output.")
    static final class Get implements Callable<Integer> {
        @ParentCommand KvCtl ctl;
        @Parameters(index = "0", description = "key") String key;

        @Override
        public Integer call() throws Exception {
            byte[] value;
            try (KvClient c = ctl.client()) {
                value = c.get(key(key)).join();
            }
            if (value == null) {
                System.err.println("error: no entry for key '" + key + "'");
                return 3;
            }
            if (ctl.json) {
                ctl.printJson(Map.of("key", key, "bytes", value.length, "value", new String(value, StandardCharsets.UTF_8)));
            } else {
                PrintStream out = System.out;
                out.write(value);
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes an entry on every replica (the key is not reused).")
    static final class Delete implements Callable<Integer> {
        @ParentCommand KvCtl ctl;
        @Parameters(index = "0", description = "key") String key;

        @Override
        public Integer call() throws Exception {
            try (KvClient c = ctl.client()) {
                c.delete(key(key)).join();
            }
            if (ctl.json) {
                ctl.printJson(Map.of("key", key, "deleted", true));
            } else {
                System.out.println("deleted " + key);
            }
            return 0;
        }
    }

    @Command(name = "stat", description = "Shows which nodes hold a key, and the key's replicas by placement.")
    static final class Stat implements Callable<Integer> {
        @ParentCommand KvCtl ctl;
        @Parameters(index = "0", description = "key") String key;

        @Override
        public Integer call() throws Exception {
            Map<String, KeyState> states;
            List<String> replicas = new ArrayList<>();
            try (KvClient c = ctl.client()) {
                states = c.stat(key(key)).join();
                int rf = c.settings().replicationFactor();
                Placement.preferenceList(key(key), c.nodes()).stream().limit(rf).forEach(n -> replicas.add(n.id()));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            states.forEach((node, s) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("node", node);
                row.put("replica", replicas.contains(node));
                row.put("state", s.state().name().toLowerCase());
                row.put("bytes", s.valueLength());
                row.put("crc32c", Integer.toHexString(s.valueCrc()));
                rows.add(row);
            });
            if (ctl.json) {
                ctl.printJson(Map.of("key", key, "nodes", rows));
                return 0;
            }
            System.out.printf("%-20s %-8s %-10s %10s %10s%n", "NODE", "REPLICA", "STATE", "BYTES", "CRC32C");
            for (Map<String, Object> r : rows) {
                System.out.printf("%-20s %-8s %-10s %10s %10s%n", r.get("node"), (boolean) r.get("replica") ? "yes" : "-",
                        r.get("state"), r.get("bytes"), r.get("crc32c"));
            }
            return 0;
        }
    }

    @Command(name = "status", description = "Members, entries, bytes, hints and under-replicated entries per node; members not live as down.")
    static final class Status implements Callable<Integer> {
        @ParentCommand KvCtl ctl;

        @Override
        public Integer call() throws Exception {
            Map<String, Map<String, Object>> nodes;
            Settings settings;
            org.elastichadoop.kv.cluster.Ring ring;
            List<Down> down = new ArrayList<>();
            try (KvClient c = ctl.client()) {
                nodes = c.status().join();
                settings = c.settings();
                ring = c.ring();
                List<NodeInfo> members = new ArrayList<>(c.members());
                members.sort(Comparator.comparing(NodeInfo::id));
                for (NodeInfo n : members) {
                    if (!nodes.containsKey(n.id())) {
                        down.add(new Down(n.id(), n.host() + ":" + n.port()));
                    }
                }
            }
            if (ctl.json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("replicationFactor", settings.replicationFactor());
                out.put("syncCopies", settings.syncCopies());
                out.put("nodes", nodes.values());
                out.put("down", down);
                out.put("ring", ring);
                ctl.printJson(out);
                return 0;
            }
            System.out.println(nodes.size() + " live nodes" + (down.isEmpty() ? "" : ", " + down.size() + " down")
                    + ", RF " + settings.replicationFactor() + ", W " + settings.syncCopies());
            System.out.println("ring epoch " + ring.epoch() + ": " + ring.current()
                    + (ring.isJoint() ? " -> " + ring.next() + " (a change under way)" : ""));
            System.out.printf("%-16s %-22s %10s %14s %8s %10s %10s%n", "NODE", "ADDRESS", "ENTRIES", "STORED BYTES", "HINTS",
                    "UNDER-REP", "PUT P99us");
            for (Map<String, Object> n : nodes.values()) {
                if (n.containsKey("error")) {
                    System.out.printf("%-16s not answering: %s%n", n.get("id"), n.get("error"));
                    continue;
                }
                System.out.printf("%-16s %-22s %10s %14s %8s %10s %10.0f%n", n.get("id"), n.get("address"), n.get("entries"),
                        n.get("storedBytes"), n.get("hintsPending"), n.get("underReplicated"),
                        ((Number) n.get("put_latency_p99_micros")).doubleValue());
            }
            for (Down d : down) {
                System.out.printf("%-16s %-22s down (a member, not live)%n", d.id(), d.address());
            }
            return 0;
        }

        /** A member without a live registration. */
        private record Down(String id, String address) {
        }
    }

    @Command(name = "config", description = "Shows or sets the cluster's replication factor (RF) and synchronous copies (W).")
    static final class Config implements Callable<Integer> {
        @ParentCommand KvCtl ctl;
        @Option(names = "--rf", description = "copies kept of each entry") Integer rf;
        @Option(names = "--w", description = "copies durable before a put is acknowledged, the coordinator's included") Integer w;

        @Override
        public Integer call() throws Exception {
            ZkPaths paths = new ZkPaths(ctl.cluster);
            Settings s = ClusterSnapshot.read(ctl.zk, paths, 10_000).settings();
            if (rf != null || w != null) {
                s = new Settings(rf != null ? rf : s.replicationFactor(), w != null ? w : s.syncCopies());
                try (CuratorFramework curator = Zk.connect(ctl.zk, 15_000, 10_000)) {
                    Membership.writeSettings(curator, paths, s);
                }
            }
            if (ctl.json) {
                ctl.printJson(s);
            } else {
                System.out.println("RF " + s.replicationFactor() + ", W " + s.syncCopies());
            }
            return 0;
        }
    }

    @Command(name = "remove-node", description = "Forgets a member lost for good; refused while the node is live.")
    static final class RemoveNode implements Callable<Integer> {
        @ParentCommand KvCtl ctl;
        @Parameters(index = "0", description = "node id (as 'kvctl status' lists it)") String id;

        @Override
        public Integer call() throws Exception {
            ZkPaths paths = new ZkPaths(ctl.cluster);
            boolean ringChange;
            try (CuratorFramework curator = Zk.connect(ctl.zk, 15_000, 10_000)) {
                ringChange = Membership.removeMember(curator, paths, id);
            }
            if (ctl.json) {
                ctl.printJson(Map.of("node", id, "removed", true, "ringChange", ringChange));
            } else if (ringChange) {
                System.out.println("removing " + id + ": its keys move to the other nodes; the nodes forget it once the ring"
                        + " change completes ('kvctl status' shows the ring)");
            } else {
                System.out.println("removed " + id + " from the members of cluster " + ctl.cluster + " (deleted " + paths.member(id) + ")");
            }
            return 0;
        }
    }
}
