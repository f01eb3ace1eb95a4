package org.elastichadoop.kv.client;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.cluster.Placement;
import org.elastichadoop.kv.net.ConnectionPool;
import org.elastichadoop.kv.net.PeerClient;
import org.elastichadoop.kv.node.KvNode;
import org.elastichadoop.kv.node.LocalCluster;
import org.elastichadoop.kv.wire.RangePayload;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link KvClient#getRange} against a real ensemble and three real nodes (RF 3): every range equals the same slice
 * of the whole value, whether the coordinator reads it from its own copy, from the other replicas (its copy gone),
 * or is not a replica of the key at all.
 */
public class RangedGetIT {
    private static final int VALUE_BYTES = 4 << 20;
    /** offset, length; and the resolved [from, to) of a 4 MiB value. */
    private static final long[][] RANGES = {
            {0, 4096, 0, 4096},
            {1_000_003, 8192, 1_000_003, 1_008_195},
            {-4096, 4096, VALUE_BYTES - 4096, VALUE_BYTES},
            {-4096, 100, VALUE_BYTES - 4096, VALUE_BYTES - 3996},
            {VALUE_BYTES - 100, 4096, VALUE_BYTES - 100, VALUE_BYTES},
            {VALUE_BYTES, 4096, VALUE_BYTES, VALUE_BYTES},
            {Long.MAX_VALUE, 10, VALUE_BYTES, VALUE_BYTES},
            {12_345, 0, 12_345, 12_345},
            {-(VALUE_BYTES + 10L), 4096, 0, 4096},
            {0, Integer.MAX_VALUE, 0, VALUE_BYTES},
    };

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private LocalCluster cluster;
    private KvClient client;
    private final Random random = new Random(11);

    @Before
    public void start() throws Exception {
        cluster = new LocalCluster(tmp.getRoot().toPath(), 3);
        client = cluster.client();
        LocalCluster.await("3 members", 10_000, () -> client.nodes().size() == 3);
        LocalCluster.awaitStableRing(client, 3);
    }

    @After
    public void stop() throws Exception {
        cluster.close();
    }

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] putValue(byte[] key) {
        byte[] value = new byte[VALUE_BYTES];
        random.nextBytes(value);
        client.put(key, value).join();
        return value;
    }

    private static void assertSlice(String what, byte[] value, long[] range, long offset, int valueLength,
                                    int valueCrc, byte[] bytes) {
        String of = what + ", range [" + range[0] + ", +" + range[1] + ")";
        assertEquals(of + ": value length", value.length, valueLength);
        assertEquals(of + ": value CRC", KvClient.crc32c(value), valueCrc);
        assertEquals(of + ": resolved offset", range[2], offset);
        assertArrayEquals(of, Arrays.copyOfRange(value, (int) range[2], (int) range[3]), bytes);
    }

    private ValueRange getRange(byte[] key, long[] range) {
        ValueRange r = client.getRange(key, range[0], (int) range[1]).join();
        assertNotNull("range [" + range[0] + ", +" + range[1] + ")", r);
        return r;
    }

    private KvNode firstReplica(byte[] key) {
        return cluster.byId(Placement.preferenceList(key, client.nodes()).get(0).id());
    }

    @Test
    public void rangesEqualSlicesOfTheWholeValue() throws Exception {
        byte[] k = key("block-0");
        putValue(k);
        LocalCluster.await("3 copies", 10_000, () -> cluster.copies(k) == 3);
        byte[] whole = client.get(k).join();
        for (long[] range : RANGES) {
            ValueRange r = getRange(k, range);
            assertSlice("from the coordinator's copy", whole, range, r.offset(), r.valueLength(), r.valueCrc(),
                    r.bytes());
            assertTrue("the copy's timestamp", r.timestamp() > 0);
        }
        // the coordinator counts the bytes it sent: the range and its 24-byte header, not the value
        KvNode coordinator = firstReplica(k);
        long before = coordinator.metrics().getGetBytes();
        getRange(k, RANGES[0]);
        assertEquals(24 + 4096, coordinator.metrics().getGetBytes() - before);
    }

    @Test
    public void aCoordinatorWithoutItsCopySlicesTheValueItReadsFromTheOthers() throws Exception {
        byte[] k = key("block-1");
        byte[] value = putValue(k);
        LocalCluster.await("3 copies", 10_000, () -> cluster.copies(k) == 3);
        for (long[] range : RANGES) {
            assertTrue("the coordinator forgot its copy", firstReplica(k).store().evict(k));
            ValueRange r = getRange(k, range);
            assertSlice("read from the other replicas", value, range, r.offset(), r.valueLength(), r.valueCrc(),
                    r.bytes());
            assertEquals("a value read from the replicas carries no timestamp", 0, r.timestamp());
            LocalCluster.await("the copy repaired by the read", 10_000, () -> cluster.copies(k) == 3);
        }
    }

    @Test
    public void aCoordinatorThatIsNotAReplicaSlicesTheValue() throws Exception {
        KvNode outsider = cluster.startNode(3);
        LocalCluster.await("4 members", 10_000, () -> client.nodes().size() == 4);
        LocalCluster.awaitStableRing(client, 4);
        byte[] k = null;
        for (int i = 0; k == null; i++) {
            byte[] candidate = key("outside-" + i);
            List<NodeInfo> replicas = Placement.preferenceList(candidate, client.nodes()).subList(0, 3);
            if (replicas.stream().noneMatch(n -> n.id().equals(outsider.id()))) {
                k = candidate;
            }
        }
        byte[] value = putValue(k);
        try (PeerClient peers = new PeerClient(new ConnectionPool(1, 2_000), 10_000)) {
            for (long[] range : RANGES) {
                Response answer = peers.getRange(outsider.info().address(), k, range[0], (int) range[1]).join();
                assertEquals(answer.message(), Status.OK, answer.status());
                RangePayload p = RangePayload.decode(answer.payload());
                assertSlice("through a node that is not a replica", value, range, p.offset(), p.valueLength(),
                        p.valueCrc(), p.bytes());
            }
        }
        assertNull("it holds no copy of its own", outsider.store().meta(k));
    }

    @Test
    public void deletedAndMissingKeysHaveNoRange() throws Exception {
        byte[] k = key("doomed");
        putValue(k);
        client.delete(k).join();
        assertNull(client.getRange(k, 0, 4096).join());
        assertNull(client.getRange(key("never-written"), -10, 10).join());
        assertThrows(IllegalArgumentException.class, () -> client.getRange(k, 0, -1));
    }
}
