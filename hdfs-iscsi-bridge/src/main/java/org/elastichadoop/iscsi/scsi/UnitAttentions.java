package org.elastichadoop.iscsi.scsi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pending unit attention conditions, per nexus. A nexus is known once it has sent a command;
 * conditions raised "for everyone" reach known nexuses only. A fresh nexus starts with none:
 * libiscsi's test tool and LIO both expect a newly logged-in session to run without a POWER ON
 * unit attention.
 */
public final class UnitAttentions {

    private static final int MAX_PENDING = 16;

    private final Map<Nexus, Deque<Integer>> pending = new LinkedHashMap<>();

    /** Records that {@code nexus} exists, so later broadcast conditions reach it. */
    public synchronized void register(Nexus nexus) {
        pending.computeIfAbsent(nexus, n -> new ArrayDeque<>());
    }

    public synchronized void forget(Nexus nexus) {
        pending.remove(nexus);
    }

    /** Raises {@code ascAscq} for {@code nexus}, if it is known. */
    public synchronized void raise(Nexus nexus, int ascAscq) {
        Deque<Integer> q = pending.get(nexus);
        if (q != null) {
            add(q, ascAscq);
        }
    }

    /** Raises {@code ascAscq} for every known nexus except {@code except} (may be null). */
    public synchronized void raiseAllExcept(Nexus except, int ascAscq) {
        for (Map.Entry<Nexus, Deque<Integer>> e : pending.entrySet()) {
            if (!e.getKey().equals(except)) {
                add(e.getValue(), ascAscq);
            }
        }
    }

    /** Removes and returns the oldest pending condition for {@code nexus}, or -1. */
    public synchronized int take(Nexus nexus) {
        Deque<Integer> q = pending.get(nexus);
        return q == null || q.isEmpty() ? -1 : q.poll();
    }

    public synchronized boolean hasPending(Nexus nexus) {
        Deque<Integer> q = pending.get(nexus);
        return q != null && !q.isEmpty();
    }

    private static void add(Deque<Integer> q, int ascAscq) {
        if (!q.contains(ascAscq) && q.size() < MAX_PENDING) {
            q.add(ascAscq);
        }
    }
}
