package org.elastichadoop.kv.cluster;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class PlacementTest {
    private static List<NodeInfo> nodes(int n) {
        List<NodeInfo> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new NodeInfo("node" + i, "127.0.0.1", 7400 + i, -1, 0, 0));
        }
        return out;
    }

    private static byte[] key(int i) {
        return ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void orderDoesNotDependOnHowNodesAreListed() {
        List<NodeInfo> a = nodes(5);
        List<NodeInfo> b = new ArrayList<>(a);
        java.util.Collections.reverse(b);
        for (int i = 0; i < 200; i++) {
            assertEquals(Placement.preferenceList(key(i), a), Placement.preferenceList(key(i), b));
        }
    }

    @Test
    public void primariesSpreadEvenly() {
        List<NodeInfo> all = nodes(4);
        Map<String, Integer> firsts = new HashMap<>();
        int keys = 40_000;
        for (int i = 0; i < keys; i++) {
            firsts.merge(Placement.preferenceList(key(i), all).get(0).id(), 1, Integer::sum);
        }
        for (int count : firsts.values()) {
            assertTrue("each of 4 nodes leads about a quarter of the keys, got " + firsts, Math.abs(count - keys / 4) < keys / 40);
        }
    }

    @Test
    public void removingANodeOnlyMovesTheKeysItHeld() {
        List<NodeInfo> all = nodes(5);
        List<NodeInfo> fewer = new ArrayList<>(all);
        NodeInfo gone = fewer.remove(2);
        for (int i = 0; i < 5_000; i++) {
            List<NodeInfo> before = new ArrayList<>(Placement.preferenceList(key(i), all));
            before.remove(gone);
            assertEquals("the survivors keep their relative order", before, Placement.preferenceList(key(i), fewer));
        }
    }
}
