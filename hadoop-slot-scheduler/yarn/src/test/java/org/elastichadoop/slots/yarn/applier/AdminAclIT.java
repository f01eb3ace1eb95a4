package org.elastichadoop.slots.yarn.applier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.security.PrivilegedExceptionAction;
import java.util.Collections;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.elastichadoop.slots.yarn.capacity.NodeResources;
import org.elastichadoop.slots.yarn.rm.AdminRefusedException;
import org.elastichadoop.slots.yarn.rm.NodeState;
import org.elastichadoop.slots.yarn.rm.ResourceManagerAdmin;
import org.junit.Test;

/** An RM whose admin ACL leaves the service's user out refuses the change: a clear error naming the key, nothing changed. */
public class AdminAclIT {
    @Test
    public void anRmThatRefusesTheAdminCallChangesNothingAndTheErrorNamesTheKey() throws Exception {
        Configuration conf = new YarnConfiguration();
        conf.setInt(YarnConfiguration.NM_VCORES, 4);
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
        conf.setBoolean(YarnConfiguration.YARN_ACL_ENABLE, true);
        conf.set(YarnConfiguration.YARN_ADMIN_ACL, "somebody-else");
        MiniYARNCluster yarn = new MiniYARNCluster("AdminAclIT", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        // the RM's own user is always an admin: the service calls as another one
        UserGroupInformation intruder = UserGroupInformation.createRemoteUser("not-an-admin");
        try (ResourceManagerAdmin rm = intruder.doAs((PrivilegedExceptionAction<ResourceManagerAdmin>) () -> new ResourceManagerAdmin(yarn.getConfig()))) {
            NodeState nm = null;
            for (int i = 0; i < 300 && nm == null; i++) {
                if (!rm.runningNodes().isEmpty()) nm = rm.runningNodes().get(0);
                else Thread.sleep(100);
            }
            assertTrue("the NodeManager registered", nm != null);
            String node = nm.nodeId;
            AdminRefusedException refused = intruder.doAs((PrivilegedExceptionAction<AdminRefusedException>) () -> {
                try {
                    rm.update(Collections.singletonMap(node, new NodeResources(1, 1024)), 10);
                    return null;
                } catch (AdminRefusedException e) {
                    return e;
                }
            });
            assertTrue("the RM took the change without the ACL", refused != null);
            assertTrue(refused.getMessage(), refused.getMessage().contains("'yarn.admin.acl'"));
            assertTrue(refused.getMessage(), refused.getMessage().contains("refused"));
            System.out.println("refused: " + refused.getMessage());
            assertEquals(4, rm.runningNodes().get(0).capability.vcores());
        } finally {
            yarn.stop();
        }
    }
}
