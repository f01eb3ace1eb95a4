package org.elastichadoop.slots.zk;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** Znode writes shared by the stores of elastic slots. */
public final class Znodes {
    private Znodes() {}

    /** Creates the znode (and its parents) with {@code data}, or replaces the data of the one there. */
    public static void put(CuratorFramework zk, String path, byte[] data) throws Exception {
        if (zk.checkExists().forPath(path) == null) {
            try {
                zk.create().creatingParentsIfNeeded().forPath(path, data);
                return;
            } catch (KeeperException.NodeExistsException raced) {
                // replaced below
            }
        }
        zk.setData().forPath(path, data);
    }
}
