package org.elastichadoop.slots.yarn.applier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.elastichadoop.slots.cli.SlotCtl;
import org.elastichadoop.slots.controller.Controller;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.elastichadoop.slots.source.HostCpuSource;
import org.elastichadoop.slots.source.SettableHost;
import org.elastichadoop.slots.yarn.MiniYarn;
import org.elastichadoop.slots.yarn.capacity.NodeResources;
import org.elastichadoop.slots.yarn.rm.NodeState;
import org.elastichadoop.slots.yarn.rm.ResourceManagerAdmin;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The controller and the applier against a real ResourceManager and two NodeManagers of 4 vcores
 * (MiniYARNCluster) and a real ZooKeeper: busy neighbours on nm1 shrink it at the RM, quiet ones grow it back,
 * a dead controller's allocations expire into the configured resources, and an RM restart is corrected.
 */
public class YarnApplierIT {
    private static final NodeResources CONFIGURED = new NodeResources(4, 4096);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TestingServer zk;
    private MiniYARNCluster yarn;
    private ResourceManagerAdmin rm;
    private String nm1;
    private String nm2;

    @Before
    public void start() throws Exception {
        zk = new TestingServer(true);
        Configuration conf = MiniYarn.conf(CONFIGURED);
        conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS, 250);
        // NodeManagers that find the RM again after a restart
        MiniYarn.rpcOnFixedPorts(conf);
        yarn = new MiniYARNCluster("YarnApplierIT", 2, 1, 1);
        yarn.init(conf);
        yarn.start();
        rm = new ResourceManagerAdmin(yarn.getConfig());
        List<NodeState> nodes = awaitNodes(2);
        nm1 = nodes.get(0).nodeId;
        nm2 = nodes.get(1).nodeId;
    }

    @After
    public void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
        if (rm != null) rm.close();
        if (yarn != null) yarn.stop();
        if (zk != null) zk.close();
    }

    private List<NodeState> awaitNodes(int n) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            List<NodeState> nodes = rm.runningNodes();
            if (nodes.size() == n) {
                nodes.sort((a, b) -> a.nodeId.compareTo(b.nodeId));
                return nodes;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the NodeManagers did not register: " + rm.runningNodes());
    }

    private CuratorFramework client() {
        CuratorFramework c = CuratorFrameworkFactory.newClient(zk.getConnectString(), 4000, 3000, new ExponentialBackoffRetry(100, 3));
        c.start();
        closing.add(c);
        return c;
    }

    private static ControllerConfig config() {
        ControllerConfig c = MiniYarn.controllerConfig(1);
        c.sourceTimeoutSeconds = 1;
        c.refreshSeconds = 2;
        c.yarn.overcommitTimeoutSeconds = 2;
        c.yarn.ttlSeconds = 5;
        return c;
    }

    private NodeResources capability(String node) throws Exception {
        for (NodeState n : rm.runningNodes()) {
            if (n.nodeId.equals(node)) return n.capability;
        }
        return null;
    }

    /** Waits until the RM reports {@code node} with resources that pass; returns the milliseconds it took. */
    private long await(String node, Predicate<NodeResources> p, long ms, String what) throws Exception {
        long t0 = System.nanoTime();
        long deadline = System.currentTimeMillis() + ms;
        NodeResources r = null;
        while (System.currentTimeMillis() < deadline) {
            r = capability(node);
            if (r != null && p.test(r)) return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": " + node + " still has " + r + " after " + ms + " ms");
    }

    /** Runs a slotctl command against the test's ZooKeeper; returns its JSON output (null if it printed none). */
    private JsonNode slotctl(String... args) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        int exit;
        List<String> all = new ArrayList<>(java.util.Arrays.asList(args));
        all.add("--zk");
        all.add(zk.getConnectString());
        System.setOut(new java.io.PrintStream(out, true, "UTF-8"));
        try {
            exit = new picocli.CommandLine(new SlotCtl()).execute(all.toArray(new String[0]));
        } finally {
            System.setOut(saved);
        }
        String text = new String(out.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("slotctl " + all + ": " + text, 0, exit);
        return text.trim().startsWith("{") ? new ObjectMapper().readTree(text) : null;
    }

    /** A controller reading the given hosts' figures, and an applier; returns the controller. */
    private Controller startControllerAndApplier(SettableHost... hosts) throws Exception {
        Map<String, HostCpuSource> sources = new LinkedHashMap<>();
        for (SettableHost h : hosts) sources.put(h.name, h);
        ControllerConfig c = config();
        Controller controller = new Controller(client(), c, sources, "controller", System::currentTimeMillis);
        closing.add(controller);
        controller.start();
        YarnApplier applier = new YarnApplier(client(), c, rm, "applier", System::currentTimeMillis);
        closing.add(applier);
        applier.start();
        return controller;
    }

    @Test
    public void nodeManagersFollowTheirNeighboursAndFallBackWhenTheControllerDies() throws Exception {
        SettableHost h1 = new SettableHost(nm1);
        SettableHost h2 = new SettableHost(nm2);
        Controller controller = startControllerAndApplier(h1, h2);

        // quiet neighbours: 3 maps + 1 reduce = the 4 vcores nm1 has anyway
        Thread.sleep(2500);
        assertEquals(CONFIGURED, capability(nm1));

        // busy neighbours on nm1 (3.5 of 4 cores): 1 map slot (the minimum), 1 vcore, memory scaled to 1024 MB
        h1.others = 3.5;
        long shrunk = await(nm1, r -> r.vcores() == 1, 2 * 1000 + 200 + 3000, "busy neighbours");
        assertEquals(new NodeResources(1, 1024), capability(nm1));
        assertEquals("nm2's neighbours stayed quiet", CONFIGURED, capability(nm2));
        System.out.println("busy neighbours -> nm1 shrunk at the RM in " + shrunk + " ms");

        // slotctl status shows what the RM was given, beside the allocation
        JsonNode status = slotctl("status", "--json").get("trackers");
        JsonNode row = null;
        for (JsonNode t : status) if (t.get("tracker").asText().equals(nm1)) row = t;
        assertEquals("1 vcores, 1024 MB", row.get("yarn").get(0).get("applied").asText());
        assertEquals("4 vcores, 4096 MB", row.get("yarn").get(0).get("configured").asText());

        // an operator drains nm2 with slotctl: no vcores, no memory at the RM; released, it is back to its 4
        slotctl("drain", nm2);
        await(nm2, new NodeResources(0, 0)::equals, 2 * 1000 + 200 + 3000, "drained");
        slotctl("release", nm2);
        await(nm2, CONFIGURED::equals, 2 * 1000 + 200 + 3000, "released");

        // quiet again: back to 4
        h1.others = 0;
        long grown = await(nm1, r -> r.vcores() == 4, 2 * 1000 + 200 + 3000, "quiet neighbours");
        System.out.println("quiet neighbours -> nm1 grew back in " + grown + " ms");

        // busy, then the controller dies: after the TTL (5 s) the applier gives nm1 its configured resources back
        h1.others = 3.5;
        await(nm1, r -> r.vcores() == 1, 6000, "busy neighbours, again");
        controller.close();
        long restored = await(nm1, CONFIGURED::equals, 5000 + 2 * 1000 + 3000, "the controller died");
        assertTrue("restored only once the allocation had expired: " + restored + " ms", restored >= 2500);
        System.out.println("controller dead -> nm1 back to its configured resources in " + restored + " ms");
    }

    /** Bad input as on the JobTracker side: an allocation that is not valid JSON is refused for its node alone. */
    @Test
    public void anInvalidAllocationChangesNothingForItsNodeAndHarmsNoOther() throws Exception {
        org.elastichadoop.slots.zk.SlotPaths paths = new org.elastichadoop.slots.zk.SlotPaths(config().zkRoot);
        client().create().creatingParentsIfNeeded().forPath(paths.allocation(nm2), "{\"maps\": ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        SettableHost h1 = new SettableHost(nm1);
        h1.others = 3.5;
        startControllerAndApplier(h1);
        await(nm1, r -> r.vcores() == 1, 6000, "busy neighbours beside an invalid allocation");
        Thread.sleep(2500); // two more applier passes
        assertEquals("the node with the invalid allocation keeps its own resources", CONFIGURED, capability(nm2));
        JsonNode row = null;
        for (JsonNode t : slotctl("status", "--json").get("trackers")) if (t.get("tracker").asText().equals(nm2)) row = t;
        assertTrue("slotctl status names the bad znode: " + row, row != null && row.path("error").asText().contains(paths.allocation(nm2)));
    }

    @Test
    public void anRmRestartIsCorrectedAtTheNextPoll() throws Exception {
        SettableHost h1 = new SettableHost(nm1);
        h1.others = 3.5;
        startControllerAndApplier(h1);
        await(nm1, r -> r.vcores() == 1, 6000, "busy neighbours");

        yarn.restartResourceManager(0);
        // the NodeManagers register again with their own 4 vcores; the applier puts nm1 back to 1 at its next poll
        long registered = await(nm1, r -> true, 30_000, "registering again after the RM restart");
        NodeResources broughtBack = capability(nm1);
        long reapplied = await(nm1, r -> r.vcores() == 1, 1000 + 3000, "after the RM restart");
        System.out.println("RM restarted -> nm1 registered again in " + registered + " ms with " + broughtBack
                + "; its allocation in effect " + reapplied + " ms later");

        // the RM given other resources for nm1 behind the applier's back (a NodeManager restarted with its
        // yarn-site.xml, an operator's 'yarn rmadmin -updateNodeResource'): put right at the next poll
        rm.update(java.util.Collections.singletonMap(nm1, CONFIGURED), -1);
        await(nm1, CONFIGURED::equals, 2000, "the RM's own change");
        long corrected = await(nm1, r -> r.vcores() == 1, 1000 + 3000, "after the RM was changed behind the applier's back");
        System.out.println("RM changed behind the applier's back -> corrected in " + corrected + " ms");
        NodeRecord rec = new NodeRecords(client(), new org.elastichadoop.slots.zk.SlotPaths(config().zkRoot)).read(nm1).get();
        assertEquals("the configured resources are still the NodeManager's own", CONFIGURED, rec.configured);
    }
}
