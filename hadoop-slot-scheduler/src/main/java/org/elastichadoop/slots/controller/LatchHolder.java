package org.elastichadoop.slots.controller;

import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.Participant;

/** Who holds a leader latch, for the "stands by" log line of the services that share one. */
public final class LatchHolder {
    private LatchHolder() {
    }

    /**
     * The id of the participant that holds {@code latch}, if it is not {@code self}; null while no one holds it
     * (the election is still running, or this one is about to win it) or ZooKeeper cannot say.
     */
    public static String other(LeaderLatch latch, String self) {
        try {
            Participant leader = latch.getLeader();
            return leader.isLeader() && !leader.getId().isEmpty() && !leader.getId().equals(self) ? leader.getId() : null;
        } catch (Exception unknown) {
            return null;
        }
    }
}
