package org.elastichadoop.kv.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The nodes that hold the cluster's data, as one ZooKeeper znode, changed only by compare-and-set. Stable: keys
 * live on the first RF of {@code current} by preference. Joint ({@code next} set, while a node joins or leaves):
 * every decision needs its quorums in both the current and the next replica set of a key, so decisions made
 * before, during and after the change all meet; the change completes once every node has applied it and handed
 * over the keys that move. Each change bumps the epoch; nodes refuse requests from a coordinator on an older one.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Ring(long epoch, List<String> current, List<String> next) {
    public static final Ring NONE = new Ring(0, List.of(), null);

    public Ring {
        current = List.copyOf(current);
        next = next == null ? null : List.copyOf(next);
    }

    @JsonIgnore
    public boolean isJoint() {
        return next != null;
    }

    /** Every node the ring names, current first. */
    @JsonIgnore
    public Set<String> all() {
        Set<String> out = new LinkedHashSet<>(current);
        if (next != null) {
            out.addAll(next);
        }
        return out;
    }

    /** The ring with {@code id} joining ({@code joining}) or leaving. */
    public Ring changing(String id, boolean joining) {
        List<String> n = new ArrayList<>(current);
        if (joining) {
            n.add(id);
        } else {
            n.remove(id);
        }
        return new Ring(epoch + 1, current, n);
    }

    /** The joint ring's change completed. */
    public Ring completed() {
        return new Ring(epoch + 1, next, null);
    }
}
