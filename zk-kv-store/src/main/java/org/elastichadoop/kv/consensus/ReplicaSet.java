package org.elastichadoop.kv.consensus;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A key's replicas and the configurations they form: one set of RF replica ids while the ring is stable, two
 * (the key's current and next replicas) while a node joins or leaves. Requests go to every replica named.
 */
public record ReplicaSet(List<Replica> replicas, List<Set<String>> configs, Set<String> gone) {

    public ReplicaSet {
        replicas = List.copyOf(replicas);
        configs = List.copyOf(configs);
        gone = Set.copyOf(gone);
    }

    public ReplicaSet(List<Replica> replicas, List<Set<String>> configs) {
        this(replicas, configs, Set.of());
    }

    /** One configuration of all the given replicas. */
    public static ReplicaSet of(List<Replica> replicas) {
        Set<String> ids = new LinkedHashSet<>();
        replicas.forEach(r -> ids.add(r.id()));
        return new ReplicaSet(replicas, List.of(ids));
    }

    /**
     * The same set, knowing that these nodes are gone for good (an operator removed them): they will never answer,
     * and every value that was acknowledged or read survives without them (see Proposer's securing of a chosen
     * value), so a decision may count them as holding nothing.
     */
    public ReplicaSet withGone(Set<String> ids) {
        return new ReplicaSet(replicas, configs, ids);
    }

    /** The union of two configurations, each given as its replicas in preference order. */
    public static ReplicaSet joint(List<Replica> current, List<Replica> next) {
        List<Replica> all = new ArrayList<>(current);
        Set<String> a = new LinkedHashSet<>();
        Set<String> b = new LinkedHashSet<>();
        current.forEach(r -> a.add(r.id()));
        for (Replica r : next) {
            b.add(r.id());
            if (!a.contains(r.id())) {
                all.add(r);
            }
        }
        return a.equals(b) ? new ReplicaSet(current, List.of(a)) : new ReplicaSet(all, List.of(a, b));
    }

    public boolean contains(Replica r) {
        return replicas.contains(r);
    }
}
