package org.elastichadoop.slots.yarn.applier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ha.HAServiceProtocol.HAServiceState;
import org.apache.hadoop.ha.HAServiceProtocol.RequestSource;
import org.apache.hadoop.ha.HAServiceProtocol.StateChangeRequestInfo;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.AdminService;
import org.elastichadoop.slots.controller.Controller;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.elastichadoop.slots.source.SettableHost;
import org.elastichadoop.slots.yarn.MiniYarn;
import org.elastichadoop.slots.yarn.capacity.NodeResources;
import org.elastichadoop.slots.yarn.rm.NodeState;
import org.elastichadoop.slots.yarn.rm.ResourceManagerAdmin;
import org.junit.After;
import org.junit.Test;

/**
 * RM HA: two ResourceManagers (MiniYARNCluster, manual failover as 'yarn rmadmin -transitionToActive' does it) and a
 * NodeManager of 4 vcores. The applier reaches the RMs through Hadoop's own failover proxies, configured from
 * yarn-site.xml alone: after a failover the new active RM, which never heard of the allocation, gets it within a
 * poll of the NodeManager registering there.
 */
public class YarnApplierHaIT {
    private static final NodeResources OWN = new NodeResources(4, 4096);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TestingServer zk;
    private MiniYARNCluster yarn;

    @After
    public void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
        if (yarn != null) yarn.stop();
        if (zk != null) zk.close();
    }

    private static Configuration haConf() throws IOException {
        Configuration conf = MiniYarn.conf(OWN);
        conf.setBoolean(YarnConfiguration.RM_HA_ENABLED, true);
        conf.setBoolean(YarnConfiguration.AUTO_FAILOVER_ENABLED, false);
        conf.set(YarnConfiguration.RM_CLUSTER_ID, "elastic-slots-ha");
        conf.set(YarnConfiguration.RM_HA_IDS, "rm0,rm1");
        MiniYarn.rpcOnFixedPorts(conf, "rm0", "rm1");
        // what docs/operations.md asks of the applier's yarn-site.xml: find the active RM quickly
        conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS, 250);
        conf.setLong(YarnConfiguration.CLIENT_FAILOVER_SLEEPTIME_BASE_MS, 100);
        conf.setLong(YarnConfiguration.CLIENT_FAILOVER_SLEEPTIME_MAX_MS, 1000);
        return conf;
    }

    private static AdminService admin(MiniYARNCluster yarn, int rm) {
        return yarn.getResourceManager(rm).getRMContext().getRMAdminService();
    }

    private static final StateChangeRequestInfo BY_USER = new StateChangeRequestInfo(RequestSource.REQUEST_BY_USER);

    private CuratorFramework client() {
        CuratorFramework c = CuratorFrameworkFactory.newClient(zk.getConnectString(), 4000, 3000, new ExponentialBackoffRetry(100, 3));
        c.start();
        closing.add(c);
        return c;
    }

    /** What the active RM says of the one NodeManager, through the applier's own (failover) client; null while none answers. */
    private static NodeResources capability(ResourceManagerAdmin rm) {
        try {
            List<NodeState> nodes = rm.runningNodes();
            return nodes.isEmpty() ? null : nodes.get(0).capability;
        } catch (Exception noActiveRm) {
            return null;
        }
    }

    private static long await(ResourceManagerAdmin rm, NodeResources wanted, long ms, String what) throws Exception {
        long t0 = System.currentTimeMillis();
        NodeResources seen = null;
        while (System.currentTimeMillis() - t0 < ms) {
            seen = capability(rm);
            if (wanted.equals(seen)) return System.currentTimeMillis() - t0;
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": the active RM still reports " + seen + " after " + ms + " ms, not " + wanted);
    }

    @Test
    public void theApplierFollowsAFailoverToTheStandbyResourceManager() throws Exception {
        zk = new TestingServer(true);
        yarn = new MiniYARNCluster("YarnApplierHaIT", 2, 1, 1, 1);
        yarn.init(haConf());
        yarn.start();
        admin(yarn, 0).transitionToActive(BY_USER);
        assertEquals(0, yarn.getActiveRMIndex());
        yarn.waitForNodeManagersToConnect(30_000);

        // the applier and the controller know the RMs only from the configuration (rm-ids and their addresses)
        ResourceManagerAdmin rm = new ResourceManagerAdmin(new YarnConfiguration(yarn.getConfig()));
        closing.add(rm::close);
        String node = rm.runningNodes().get(0).nodeId;
        SettableHost host = new SettableHost(node);
        host.others = 3.5; // busy neighbours: 1 slot, 1 vcore, 1024 MB
        ControllerConfig c = MiniYarn.controllerConfig(1);
        c.sourceTimeoutSeconds = 1;
        c.refreshSeconds = 2;
        c.yarn.ttlSeconds = 30;
        Controller controller = new Controller(client(), c, Collections.singletonMap(node, host), "controller", System::currentTimeMillis);
        closing.add(controller);
        controller.start();
        YarnApplier applier = new YarnApplier(client(), c, rm, "applier", System::currentTimeMillis);
        closing.add(applier);
        applier.start();
        NodeResources busy = new NodeResources(1, 1024);
        await(rm, busy, 10_000, "busy neighbours at rm0");

        // failover: rm0 to standby, rm1 to active (no state store: rm1 starts with no nodes at all)
        admin(yarn, 0).transitionToStandby(BY_USER);
        long failover = System.currentTimeMillis();
        admin(yarn, 1).transitionToActive(BY_USER);
        assertEquals(1, yarn.getActiveRMIndex());
        assertEquals(HAServiceState.STANDBY, yarn.getResourceManager(0).getRMContext().getHAServiceState());
        long registered = -1;
        while (System.currentTimeMillis() - failover < 60_000 && registered < 0) {
            if (yarn.getResourceManager(1).getRMContext().getRMNodes().size() == 1) registered = System.currentTimeMillis() - failover;
            Thread.sleep(20);
        }
        assertNotEquals("the NodeManager registered with rm1", -1, registered);
        org.apache.hadoop.yarn.api.records.Resource broughtBack = rm1Node().getTotalCapability();
        long inEffect = await(rm, busy, 10_000, "the allocation at rm1 after the failover");
        System.out.println("failover -> the NodeManager registered with rm1 after " + registered + " ms with " + broughtBack
                + "; the allocation in effect there " + inEffect + " ms later");

        // a NodeManager may bring the resources the old RM gave it: what proves the applier now talks to rm1 is
        // the next change, quiet neighbours growing the node back to its own 4 vcores, seen in rm1's own state
        host.others = 0;
        long grown = await(rm, OWN, 10_000, "quiet neighbours at rm1");
        assertEquals(OWN.vcores(), rm1Node().getTotalCapability().getVirtualCores());
        System.out.println("quiet neighbours -> back to " + OWN + " at rm1 in " + grown + " ms");
    }

    private org.apache.hadoop.yarn.server.resourcemanager.rmnode.RMNode rm1Node() {
        return yarn.getResourceManager(1).getRMContext().getRMNodes().values().iterator().next();
    }
}
