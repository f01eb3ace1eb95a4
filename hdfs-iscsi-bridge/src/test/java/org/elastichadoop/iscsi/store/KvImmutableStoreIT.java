package org.elastichadoop.iscsi.store;

import org.elastichadoop.kv.node.LocalCluster;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;


import static org.junit.Assert.assertTrue;

/**
 * The zk-kv-store backend against a real cluster: a three-server ZooKeeper ensemble and three
 * nodes in this JVM (zk-kv-store's own test harness), replication factor 3.
 */
public class KvImmutableStoreIT extends ImmutableStoreContract {
    @ClassRule
    public static TemporaryFolder dir = new TemporaryFolder();
    private static LocalCluster cluster;
    private static KvImmutableStore store;

    @BeforeClass
    public static void start() throws Exception {
        cluster = new LocalCluster(dir.getRoot().toPath(), 3);
        store = KvImmutableStore.connect(cluster.zk.getConnectString());
    }

    @AfterClass
    public static void stop() throws Exception {
        if (store != null) store.close();
        if (cluster != null) cluster.close();
    }

    @Override
    protected ImmutableStore store() {
        return store;
    }

    @Test
    public void aPutIsDurableOnWReplicasWhenItCompletes() throws Exception {
        byte[] value = new byte[64 * 1024];
        java.util.Arrays.fill(value, (byte) 7);
        store.putIfAbsent("kv/durable", value).get();
        // accepted by W replicas at the acknowledgement; their commit follows it
        int holding = cluster.heldCopies("kv/durable".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue("at least W=2 copies at acknowledgement, found " + holding, holding >= 2);
        assertTrue(store.describe().startsWith("zk-kv-store at "));
    }
}
