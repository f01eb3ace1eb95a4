package org.elastichadoop.slots.yarn;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.elastichadoop.kv.procs.FreePorts;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.elastichadoop.slots.yarn.capacity.NodeResources;

/**
 * The configuration of the tests' and the benchmark's mini clusters: NodeManagers with the given resources, 200 ms
 * heartbeats, 128 MB minimum allocations; the queues and the DominantResourceCalculator come from
 * capacity-scheduler.xml on the test class path.
 */
public final class MiniYarn {
    private MiniYarn() {
    }

    public static YarnConfiguration conf(NodeResources nodeManager) {
        YarnConfiguration conf = new YarnConfiguration();
        conf.setInt(YarnConfiguration.NM_VCORES, nodeManager.vcores());
        conf.setInt(YarnConfiguration.NM_PMEM_MB, (int) nodeManager.memoryMb());
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        conf.setLong(YarnConfiguration.RM_NM_HEARTBEAT_INTERVAL_MS, 200);
        return conf;
    }

    /**
     * NodeManagers that reach the RM over RPC, as real ones do, at addresses that stay (the mini cluster's default
     * wires them to one RM object in-process, and allows RPC on fixed ports only). {@code rmIds}: one set of
     * addresses per RM of an HA pair; none for a single RM.
     */
    public static void rpcOnFixedPorts(Configuration conf, String... rmIds) throws IOException {
        conf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_FIXED_PORTS, true);
        conf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_USE_RPC, true);
        String[] suffixes = rmIds.length == 0 ? new String[] {""} : rmIds;
        for (String id : suffixes) {
            String suffix = id.isEmpty() ? "" : "." + id;
            if (!id.isEmpty()) conf.set(YarnConfiguration.RM_HOSTNAME + suffix, "127.0.0.1");
            for (String key : new String[] {YarnConfiguration.RM_ADDRESS, YarnConfiguration.RM_ADMIN_ADDRESS,
                    YarnConfiguration.RM_SCHEDULER_ADDRESS, YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS, YarnConfiguration.RM_WEBAPP_ADDRESS}) {
                conf.set(key + suffix, "127.0.0.1:" + freePort());
            }
        }
    }

    /**
     * A controller and applier polling every {@code pollSeconds}, each poll's figures deciding: on a host of 4 cores,
     * quiet neighbours give 3 maps + 1 reduce (4 vcores), busy ones (3.5 cores) 1 map (1 vcore, 1024 MB).
     */
    public static ControllerConfig controllerConfig(int pollSeconds) {
        ControllerConfig c = new ControllerConfig();
        c.pollSeconds = pollSeconds;
        c.policy.targetUtilisation = 1.0;
        c.policy.smoothing = 1.0;
        c.policy.maxStep = 8;
        c.policy.minMaps = 1;
        c.policy.maxMaps = 3;
        c.policy.maxReduces = 1;
        c.yarn.pollSeconds = pollSeconds;
        c.yarn.memoryStepMb = 512;
        return c;
    }

    public static int freePort() throws IOException {
        return FreePorts.belowEphemeral();
    }
}
