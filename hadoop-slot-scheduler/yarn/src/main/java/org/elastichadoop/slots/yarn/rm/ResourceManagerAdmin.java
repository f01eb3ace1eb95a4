package org.elastichadoop.slots.yarn.rm;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.RPC;
import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.ResourceOption;
import org.apache.hadoop.yarn.client.ClientRMProxy;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.server.api.ResourceManagerAdministrationProtocol;
import org.apache.hadoop.yarn.server.api.protocolrecords.UpdateNodeResourceRequest;
import org.elastichadoop.slots.yarn.capacity.NodeResources;

/**
 * The ResourceManager as the applier uses it: the running NodeManagers (client protocol) and one batched
 * updateNodeResource per change (admin protocol). Both proxies follow the active RM under RM HA, as Hadoop's own
 * clients do with yarn.resourcemanager.ha.* set.
 */
public final class ResourceManagerAdmin implements Closeable {
    private final YarnClient client;
    private final ResourceManagerAdministrationProtocol admin;

    public ResourceManagerAdmin(Configuration conf) throws IOException {
        YarnConfiguration yarn = new YarnConfiguration(conf);
        this.client = YarnClient.createYarnClient();
        client.init(yarn);
        client.start();
        this.admin = ClientRMProxy.createRMProxy(yarn, ResourceManagerAdministrationProtocol.class);
    }

    /** The NodeManagers in state RUNNING. */
    public List<NodeState> runningNodes() throws IOException, YarnException {
        List<NodeState> nodes = new ArrayList<>();
        for (NodeReport r : client.getNodeReports(org.apache.hadoop.yarn.api.records.NodeState.RUNNING)) {
            nodes.add(new NodeState(r.getNodeId().toString(), r.getNodeId().getHost(), resources(r.getCapability()),
                    r.getUsed() == null ? new NodeResources(0, 0) : resources(r.getUsed()), r.getNumContainers()));
        }
        return nodes;
    }

    /**
     * The RM takes the overcommit timeout in milliseconds (the scheduler node's deadline is {@code Time.now()} plus
     * it; 'yarn rmadmin -updateNodeResource' passes it through as given), and a negative one as "never".
     */
    static int overcommitTimeoutMillis(int seconds) {
        return seconds < 0 ? -1 : Math.multiplyExact(seconds, 1000);
    }

    /**
     * Sets the resources of the given nodes (NodeId strings) in one call. Containers beyond a shrunk capacity are
     * preempted after {@code overcommitTimeoutSeconds} (-1: never).
     */
    public void update(Map<String, NodeResources> changes, int overcommitTimeoutSeconds)
            throws IOException, YarnException, AdminRefusedException {
        Map<NodeId, ResourceOption> options = new HashMap<>();
        int timeoutMillis = overcommitTimeoutMillis(overcommitTimeoutSeconds);
        for (Map.Entry<String, NodeResources> e : changes.entrySet()) {
            Resource r = Resource.newInstance(e.getValue().memoryMb(), e.getValue().vcores());
            options.put(NodeId.fromString(e.getKey()), ResourceOption.newInstance(r, timeoutMillis));
        }
        try {
            admin.updateNodeResource(UpdateNodeResourceRequest.newInstance(options));
        } catch (YarnException | IOException e) {
            if (refusedForAcl(e)) {
                throw new AdminRefusedException("the ResourceManager refused to change node resources: " + firstLine(e)
                        + "; add this service's user to 'yarn.admin.acl' in the RM's yarn-site.xml and run 'yarn rmadmin "
                        + "-refreshAdminAcls'", e);
            }
            throw e;
        }
    }

    private static boolean refusedForAcl(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AccessControlException) return true;
            String m = String.valueOf(t.getMessage());
            if (m.contains("AccessControlException") || m.contains("User ") && m.contains("doesn't have permission")) return true;
        }
        return false;
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static NodeResources resources(Resource r) {
        return new NodeResources(r.getVirtualCores(), r.getMemorySize());
    }

    @Override
    public void close() {
        client.stop();
        RPC.stopProxy(admin);
    }
}
