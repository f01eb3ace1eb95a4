package org.elastichadoop.kv.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Rendezvous (highest random weight) hashing: every node gets a score per key and the key's preference
 * list is the nodes by falling score. A node joining or leaving moves only the keys it wins or held.
 */
public final class Placement {
    private Placement() {
    }

    /** All given nodes, best first, for this key. */
    public static List<NodeInfo> preferenceList(byte[] key, Collection<NodeInfo> nodes) {
        long keyHash = hash(key);
        List<Scored> scored = new ArrayList<>(nodes.size());
        for (NodeInfo n : nodes) {
            scored.add(new Scored(n, mix(keyHash ^ nodeHash(n.id()))));
        }
        scored.sort((a, b) -> Long.compareUnsigned(b.score, a.score));
        List<NodeInfo> out = new ArrayList<>(scored.size());
        for (Scored s : scored) {
            out.add(s.node);
        }
        return out;
    }

    private record Scored(NodeInfo node, long score) {
    }

    private static long nodeHash(String id) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < id.length(); i++) {
            h = mix(h ^ id.charAt(i));
        }
        return h;
    }

    /** FNV-1a over the key, finished with a 64-bit mixer. */
    static long hash(byte[] key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** The splitmix64 finaliser: spreads every input bit over the whole word. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
