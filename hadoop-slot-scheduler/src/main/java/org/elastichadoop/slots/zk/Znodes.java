package org.elastichadoop.slots.zk;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** Znode writes shared by the stores of elastic slots. */
public final class Znodes {
    private Znodes() {}

    /**
     * Replaces the data of the znode, or creates it (and its parents) with {@code data}: one round trip when it is
     * there, as it is on every write after the first.
     */
    public static void put(CuratorFramework zk, String path, byte[] data) throws Exception {
        try {
            zk.setData().forPath(path, data);
            return;
        } catch (KeeperException.NoNodeException absent) {
            // created below
        }
        try {
            zk.create().creatingParentsIfNeeded().forPath(path, data);
        } catch (KeeperException.NodeExistsException raced) {
            zk.setData().forPath(path, data);
        }
    }
}
