package org.elastichadoop.kv.client;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.elastichadoop.kv.cluster.ZkPaths;
import org.elastichadoop.kv.node.LocalCluster;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.Status;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * {@link KvClient#once}, kvctl's client (the cluster read once, plain sockets), against a real ensemble and three
 * real nodes: it answers every request as the long-lived client does.
 */
public class OneCallClientIT {
    private Path dir;
    private LocalCluster cluster;

    @Before
    public void start() throws Exception {
        dir = Files.createTempDirectory("once");
        cluster = new LocalCluster(dir, 3);
        LocalCluster.awaitStableRing(cluster.client(), 3);
    }

    @After
    public void stop() throws Exception {
        cluster.close();
    }

    private KvClient once() throws InterruptedException {
        return KvClient.once(cluster.zk.getConnectString(), ZkPaths.DEFAULT_CLUSTER, 10_000);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void putGetDeleteAndMissingKeysAnswerAsTheLongLivedClientDoes() throws Exception {
        KvClient longLived = cluster.client();
        try (KvClient c = once()) {
            c.put(b("k1"), b("one")).join();
            assertArrayEquals(b("one"), longLived.get(b("k1")).join());
            assertArrayEquals(b("one"), c.get(b("k1")).join());
            c.put(b("k1"), b("one")).join();
            CompletionException refused = assertThrows(CompletionException.class, () -> c.put(b("k1"), b("two")).join());
            assertEquals(Status.IMMUTABLE_KEY, ((KvException) refused.getCause()).status());
            assertNull(c.get(b("never written")).join());
            c.delete(b("k1")).join();
            assertNull(c.get(b("k1")).join());
            assertNull(longLived.get(b("k1")).join());
        }
    }

    @Test
    public void largeValuesCrossIntact() throws Exception {
        byte[] value = new byte[8 << 20];
        new Random(7).nextBytes(value);
        try (KvClient c = once()) {
            c.put(b("big"), value).join();
        }
        try (KvClient c = once()) {
            assertArrayEquals(value, c.get(b("big")).join());
        }
    }

    @Test
    public void statAndStatusReachEveryNode() throws Exception {
        try (KvClient c = once()) {
            c.put(b("k"), b("v")).join();
            Map<String, KeyState> states = c.stat(b("k")).join();
            assertEquals(states.toString(), 3, states.size());
            Map<String, Map<String, Object>> status = c.status().join();
            assertEquals(3, status.size());
            status.values().forEach(n -> assertTrue(n.toString(), !n.containsKey("error")));
            assertEquals(3, c.members().size());
            assertEquals(3, c.ring().current().size());
        }
    }

    @Test
    public void aStoppedNodeIsPassedOver() throws Exception {
        try (KvClient c = once()) {
            c.put(b("k"), b("v")).join();
        }
        cluster.stopNode(0);
        try (KvClient c = once()) {
            assertArrayEquals(b("v"), c.get(b("k")).join());
            c.put(b("k2"), b("v2")).join();
            assertArrayEquals(b("v2"), c.get(b("k2")).join());
        }
    }
}
