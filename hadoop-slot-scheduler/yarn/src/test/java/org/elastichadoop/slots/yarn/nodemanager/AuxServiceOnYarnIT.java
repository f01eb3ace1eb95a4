package org.elastichadoop.slots.yarn.nodemanager;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.elastichadoop.slots.allocation.TrackerReport;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;
import org.junit.Test;

/**
 * The auxiliary service in a real NodeManager (MiniYARNCluster), beside the NodeManager's own services: an
 * application whose container burns CPU for a few seconds shows in the node's report in ZooKeeper as one
 * container and as Hadoop's CPU; when it is over, the count goes back to none.
 */
public class AuxServiceOnYarnIT {
    private static final String NAME = "nm-under-test";

    @Test
    public void theNodeManagerReportsItsContainersAndTheirCpu() throws Exception {
        try (TestingServer zk = new TestingServer(true)) {
            Configuration conf = new YarnConfiguration();
            conf.setInt(YarnConfiguration.NM_VCORES, 4);
            conf.setLong(YarnConfiguration.RM_NM_HEARTBEAT_INTERVAL_MS, 200);
            conf.set("yarn.scheduler.capacity.root.queues", "default");
            conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
            conf.set(YarnConfiguration.NM_AUX_SERVICES, ElasticSlotsAuxService.NAME);
            conf.set("yarn.nodemanager.aux-services." + ElasticSlotsAuxService.NAME + ".class", ElasticSlotsAuxService.class.getName());
            conf.set(NodeManagerSettings.ZK, zk.getConnectString());
            conf.set(NodeManagerSettings.REPORT_NAME, NAME);
            conf.setInt(NodeManagerSettings.REPORT_SECONDS, 1);
            MiniYARNCluster yarn = new MiniYARNCluster("AuxServiceOnYarnIT", 1, 1, 1);
            yarn.init(conf);
            yarn.start();
            CuratorFramework client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new ExponentialBackoffRetry(100, 3));
            client.start();
            YarnClient yc = YarnClient.createYarnClient();
            try {
                yc.init(yarn.getConfig());
                yc.start();
                AllocationStore store = new AllocationStore(client, SlotPaths.defaults());
                AtomicInteger mostContainers = new AtomicInteger();
                AtomicReference<TrackerReport> busiest = new AtomicReference<>();
                Thread watcher = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            Optional<TrackerReport> r = store.readReport(NAME);
                            if (r.isPresent()) {
                                Integer c = r.get().containers();
                                if (c != null && c > mostContainers.get()) mostContainers.set(c);
                                if (busiest.get() == null || r.get().busyCores() > busiest.get().busyCores()) busiest.set(r.get());
                            }
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            // not there yet
                        }
                    }
                });
                watcher.setDaemon(true);
                watcher.start();

                // an application master that never registers: its container spins for 6 s and ends
                YarnClientApplication app = yc.createApplication();
                ApplicationSubmissionContext ctx = app.getApplicationSubmissionContext();
                ctx.setApplicationName("cpu-spin");
                ctx.setResource(Resource.newInstance(256, 1));
                ctx.setMaxAppAttempts(1);
                ctx.setAMContainerSpec(ContainerLaunchContext.newInstance(Collections.emptyMap(), Collections.emptyMap(),
                        Collections.singletonList("timeout 6 sh -c 'while :; do :; done'; exit 0"), null, null, null));
                yc.submitApplication(ctx);

                long deadline = System.currentTimeMillis() + 30_000;
                while ((mostContainers.get() < 1 || busiest.get() == null || busiest.get().busyCores() < 0.5)
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals("the container was reported", 1, mostContainers.get());
                TrackerReport b = busiest.get();
                assertTrue("Hadoop's CPU while the container spins: " + b.busyCores(), b.busyCores() >= 0.5);
                assertTrue(b.capacityCores() >= 1);
                TrackerReport after = null;
                for (deadline = System.currentTimeMillis() + 30_000; System.currentTimeMillis() < deadline; Thread.sleep(200)) {
                    after = store.readReport(NAME).orElse(null);
                    if (after != null && Integer.valueOf(0).equals(after.containers())) break;
                }
                assertEquals("no container once it ended", Integer.valueOf(0), after.containers());
                watcher.interrupt();
                System.out.println("the NodeManager reported 1 container and " + String.format("%.2f", b.busyCores()) + " of "
                        + b.capacityCores() + " cores as Hadoop's while it spun; 0 containers after");
            } finally {
                yc.stop();
                client.close();
                yarn.stop();
            }
        }
    }
}
