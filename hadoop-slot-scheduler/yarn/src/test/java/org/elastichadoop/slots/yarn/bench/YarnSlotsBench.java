package org.elastichadoop.slots.yarn.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.api.protocolrecords.RegisterNodeManagerRequest;
import org.apache.hadoop.yarn.server.api.protocolrecords.RegisterNodeManagerResponse;
import org.apache.hadoop.yarn.server.api.records.NodeAction;
import org.apache.hadoop.yarn.server.resourcemanager.ResourceTrackerService;
import org.apache.hadoop.yarn.util.YarnVersionInfo;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.controller.Controller;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.elastichadoop.slots.source.HostCpuSource;
import org.elastichadoop.slots.source.SettableHost;
import org.elastichadoop.slots.yarn.MiniYarn;
import org.elastichadoop.slots.yarn.applier.YarnApplier;
import org.elastichadoop.slots.yarn.capacity.NodeResources;
import org.elastichadoop.slots.yarn.rm.NodeState;
import org.elastichadoop.slots.yarn.rm.ResourceManagerAdmin;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;

/**
 * The YARN half of the elastic-slots benchmark (bin/slots-bench yarn), in one JVM with a real ResourceManager
 * (MiniYARNCluster) and a real ZooKeeper (curator-test):
 * <ol>
 *   <li>the time from a change of a host's counters to the new vcores in the RM's node report: one NodeManager
 *   of 4 vcores, a controller (quiet neighbours give it 4 vcores, busy ones 1) and a YarnApplier, each polling
 *   every POLL_SECONDS, the applier half a poll after the controller; each change lands at a random point of the
 *   controller's cycle;</li>
 *   <li>one YarnApplier pass over N NodeManagers, registered with the RM's ResourceTrackerService in-process (no
 *   NodeManager processes; the RM has them RUNNING from registration on), each with an allocation in ZooKeeper:
 *   a pass in which every node changes (one batched updateNodeResource, then checked in the RM's node reports)
 *   and a pass in which none does; to show where a pass's time goes, the RM's node reports and an
 *   updateNodeResource of all N alone (the rest is ZooKeeper).</li>
 * </ol>
 * Usage: YarnSlotsBench [NODEMANAGERS [CHANGES [POLL_SECONDS]]] (defaults 1000 20 1).
 */
public final class YarnSlotsBench {
    private static final NodeResources NODE = new NodeResources(4, 4096);
    /** Neighbours' cores on a host of 4 that leave Hadoop one map slot, hence 1 vcore. */
    private static final double BUSY = 3.5;
    private static final int PASSES = 5;

    public static void main(String[] args) throws Exception {
        int nodeManagers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int pollSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        // before any logger exists: the applier logs every node it changes at info
        if (System.getProperty("slots.log.level") == null) System.setProperty("slots.log.level", "warn");
        try (TestingServer zk = new TestingServer(true)) {
            System.out.println("== elastic slots on YARN benchmark: ResourceManager " + YarnVersionInfo.getVersion()
                    + " (MiniYARNCluster), ZooKeeper " + zk.getConnectString());
            latency(zk.getConnectString(), changes, pollSeconds);
            passes(zk.getConnectString(), nodeManagers);
        } catch (Exception | Error e) {
            System.err.println("slots-bench yarn failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the mini cluster may leave non-daemon threads behind
    }

    private static void latency(String zk, int changes, int pollSeconds) throws Exception {
        MiniYARNCluster yarn = startYarn("YarnSlotsBench-latency", 1);
        try (ResourceManagerAdmin rm = new ResourceManagerAdmin(yarn.getConfig());
             CuratorFramework controllerZk = client(zk);
             CuratorFramework applierZk = client(zk)) {
            String nm = awaitNodes(rm, 1).get(0).nodeId;
            SettableHost host = new SettableHost(nm);
            ControllerConfig config = config(pollSeconds);
            Map<String, HostCpuSource> sources = Collections.singletonMap(nm, host);
            try (Controller controller = new Controller(controllerZk, config, sources, "bench-controller", System::currentTimeMillis);
                 YarnApplier applier = new YarnApplier(applierZk, config, rm, "bench-applier", System::currentTimeMillis)) {
                // the two loops keep their phase (a fixed delay, passes of a few ms): started together, the applier
                // would always read just after the controller wrote, the best case; half a poll apart is the mean
                controller.start();
                Thread.sleep(pollSeconds * 500L);
                applier.start();
                long timeout = 4L * pollSeconds * 1000 + 10_000;
                host.others = BUSY; // a first change, not measured: the whole chain is up
                awaitVcores(rm, nm, 1, timeout);
                Random random = new Random(1);
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < changes; i++) {
                    Thread.sleep(random.nextInt(pollSeconds * 1000));
                    boolean busy = host.others == 0;
                    long t0 = System.nanoTime();
                    host.others = busy ? BUSY : 0;
                    awaitVcores(rm, nm, busy ? 1 : NODE.vcores(), timeout);
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
                // the RM shows a change before the applier has written its record: a pass of our own (poll() is
                // synchronized) waits for that one, so closing does not interrupt its ZooKeeper writes
                applier.poll();
                System.out.println();
                System.out.println("== counter change -> capacity in effect at the ResourceManager (" + changes
                        + " changes, 4 <-> 1 vcores; controller and applier poll " + pollSeconds + " s)");
                System.out.printf("median %.0f ms, max %.0f ms (up to one controller poll, then the applier's, here half a poll "
                        + "later; any phase gives 0 to 2 polls)%n", median(ms), Collections.max(ms));
            }
        } finally {
            yarn.stop();
        }
    }

    private static void passes(String zk, int count) throws Exception {
        MiniYARNCluster yarn = startYarn("YarnSlotsBench-passes", 0);
        try (ResourceManagerAdmin rm = new ResourceManagerAdmin(yarn.getConfig());
             CuratorFramework controllerZk = client(zk);
             CuratorFramework applierZk = client(zk)) {
            List<String> hosts = register(yarn.getResourceManager().getResourceTrackerService(), count);
            awaitNodes(rm, count);
            // the applier's own loop polls once as it starts and not again within the run: every pass timed here
            // is a direct poll()
            ControllerConfig config = config(3600);
            AllocationStore store = new AllocationStore(controllerZk, new SlotPaths(config.zkRoot));
            try (YarnApplier applier = new YarnApplier(applierZk, config, rm, "bench-applier", System::currentTimeMillis)) {
                applier.start();
                long deadline = System.currentTimeMillis() + 30_000;
                while (!applier.isActive()) {
                    if (System.currentTimeMillis() > deadline) throw new IllegalStateException("the applier never took the latch");
                    Thread.sleep(10);
                }
                List<Double> changing = new ArrayList<>();
                List<Double> visible = new ArrayList<>();
                List<Double> steady = new ArrayList<>();
                List<Double> reports = new ArrayList<>();
                List<Double> updates = new ArrayList<>();
                // pass 0 is a warm-up: it also records every node's configured resources in ZooKeeper
                for (int pass = 0; pass <= PASSES; pass++) {
                    int maps = pass % 2 == 0 ? 1 : 3; // 1 map + 1 reduce: 2 vcores; 3 + 1: the node's own 4
                    writeAllocations(store, hosts, maps, pass + 1);
                    // the applier follows allocations by watches: time its pass once they have reached it
                    awaitWatched(applierZk, config.zkRoot, hosts.size(), pass + 1);
                    double all = timed(() -> expectChanges(applier, count));
                    // the RM answers updateNodeResource once it has queued one event per node: its node reports
                    // follow as its dispatcher gets through them
                    double seen = timed(() -> awaitVcores(rm, count, maps + 1, 30_000));
                    double none = timed(() -> expectChanges(applier, 0));
                    double nodeReports = timed(rm::runningNodes);
                    Map<String, NodeResources> same = new HashMap<>();
                    for (NodeState n : rm.runningNodes()) same.put(n.nodeId, n.capability);
                    double update = timed(() -> rm.update(same, config.yarn.overcommitTimeoutSeconds));
                    if (pass > 0) {
                        changing.add(all);
                        visible.add(seen);
                        steady.add(none);
                        reports.add(nodeReports);
                        updates.add(update);
                    }
                }
                System.out.println();
                System.out.println("== one applier pass over " + count + " NodeManagers (registered in-process, no NodeManager "
                        + "processes; " + PASSES + " passes of each after a warm-up)");
                row("every node changes (one updateNodeResource of " + count + ")", changing);
                row("  then until the RM reports all " + count + " changed", visible);
                row("nothing changes (steady state)", steady);
                row("the RM's node reports alone (getNodeReports)", reports);
                row("an updateNodeResource of " + count + " alone", updates);
            }
        } finally {
            yarn.stop();
        }
    }

    /** As the controller would publish them, but from several threads: one at a time takes seconds for 1,000. */
    private static void writeAllocations(AllocationStore store, List<String> hosts, int maps, long version) throws Exception {
        long now = System.currentTimeMillis();
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Void>> writes = new ArrayList<>();
            for (String h : hosts) {
                writes.add(() -> {
                    store.write(new Allocation(h, maps, 1, version, now, "bench"));
                    return null;
                });
            }
            for (Future<Void> f : writers.invokeAll(writes)) f.get();
        } finally {
            writers.shutdown();
        }
    }

    /**
     * Waits until a cache of the allocations on the applier's ZooKeeper session holds all {@code count} at
     * {@code version}, and a moment more: the applier's own cache, on the same session, reads them in the same moments.
     */
    private static void awaitWatched(CuratorFramework zk, String root, int count, long version) throws Exception {
        SlotPaths paths = new SlotPaths(root);
        try (org.apache.curator.framework.recipes.cache.CuratorCache cache =
                     org.apache.curator.framework.recipes.cache.CuratorCache.build(zk, paths.allocations())) {
            cache.start();
            long deadline = System.currentTimeMillis() + 30_000;
            while (cache.stream().filter(d -> !d.getPath().equals(paths.allocations()))
                    .filter(d -> org.elastichadoop.slots.allocation.AllocationCodec.decode(d.getData(), d.getPath()).version() == version)
                    .count() < count) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("allocations v" + version + " not all seen in 30 s");
                Thread.sleep(5);
            }
        }
        Thread.sleep(100);
    }

    private static void row(String what, List<Double> ms) {
        System.out.printf("%-52s median %6.0f ms, max %6.0f ms%n", what + ":", median(ms), Collections.max(ms));
    }

    /**
     * N NodeManagers of 4 vcores and 4096 MB on hosts 127.1.0.1, 127.1.0.2..., port 45454, as the RM sees them
     * register; none of them heartbeats, so the liveness monitor's expiry (see {@link #startYarn}) must outlast the
     * run. IP addresses, not made-up names: the RM looks every registering host up in DNS, and a name that does not
     * resolve costs a failed query each (minutes for 1,000 here).
     */
    private static List<String> register(ResourceTrackerService tracker, int count) throws Exception {
        List<String> hosts = new ArrayList<>();
        Resource resource = Resource.newInstance(NODE.memoryMb(), NODE.vcores());
        for (int i = 1; i <= count; i++) {
            String host = "127." + (1 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
            RegisterNodeManagerResponse r = tracker.registerNodeManager(RegisterNodeManagerRequest.newInstance(
                    NodeId.newInstance(host, 45454), 8042, resource, YarnVersionInfo.getVersion(),
                    Collections.emptyList(), Collections.emptyList()));
            if (r.getNodeAction() != NodeAction.NORMAL) {
                throw new IllegalStateException("the RM refused " + host + ": " + r.getNodeAction() + ", " + r.getDiagnosticsMessage());
            }
            hosts.add(host);
        }
        return hosts;
    }

    private static MiniYARNCluster startYarn(String name, int nodeManagers) throws Exception {
        Configuration conf = MiniYarn.conf(NODE);
        conf.setLong(YarnConfiguration.RM_NM_EXPIRY_INTERVAL_MS, 3_600_000); // the registered-only nodes never heartbeat
        MiniYarn.rpcOnFixedPorts(conf);
        MiniYARNCluster yarn = new MiniYARNCluster(name, nodeManagers, 1, 1);
        yarn.init(conf);
        yarn.start();
        return yarn;
    }

    private static ControllerConfig config(int pollSeconds) {
        ControllerConfig c = MiniYarn.controllerConfig(pollSeconds);
        c.refreshSeconds = Math.max(30, pollSeconds);
        return c;
    }

    private static CuratorFramework client(String zk) {
        CuratorFramework c = CuratorFrameworkFactory.newClient(zk, new ExponentialBackoffRetry(100, 3));
        c.start();
        return c;
    }

    private static List<NodeState> awaitNodes(ResourceManagerAdmin rm, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        List<NodeState> nodes = rm.runningNodes();
        while (nodes.size() != n) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(nodes.size() + " NodeManagers RUNNING at the RM, not " + n);
            }
            Thread.sleep(100);
            nodes = rm.runningNodes();
        }
        return nodes;
    }

    private static void awaitVcores(ResourceManagerAdmin rm, String node, int vcores, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            for (NodeState n : rm.runningNodes()) {
                if (n.nodeId.equals(node) && n.capability.vcores() == vcores) return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(node + " did not reach " + vcores + " vcores at the RM in " + timeoutMs + " ms");
            }
            Thread.sleep(2);
        }
    }

    private static void expectChanges(YarnApplier applier, int count) throws Exception {
        int changed = applier.poll().size();
        if (changed != count) throw new IllegalStateException("an applier pass changed " + changed + " nodes, not " + count);
    }

    /** Waits until the RM reports {@code count} running nodes, all with {@code vcores}; fails after {@code timeoutMs}. */
    private static void awaitVcores(ResourceManagerAdmin rm, int count, int vcores, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            List<NodeState> nodes = rm.runningNodes();
            List<String> wrong = new ArrayList<>();
            for (NodeState n : nodes) if (n.capability.vcores() != vcores) wrong.add(n.toString());
            if (nodes.size() == count && wrong.isEmpty()) return;
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(timeoutMs + " ms after the pass, the RM reports " + nodes.size() + " running nodes (expected "
                        + count + "), " + wrong.size() + " of them without " + vcores + " vcores, e.g. "
                        + wrong.subList(0, Math.min(3, wrong.size())));
            }
            Thread.sleep(2);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static double timed(Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private YarnSlotsBench() {}
}
