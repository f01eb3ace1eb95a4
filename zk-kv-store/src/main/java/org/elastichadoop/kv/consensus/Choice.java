package org.elastichadoop.kv.consensus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elastichadoop.kv.storage.Ballots;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.ReplicaState;

/**
 * The quorum arithmetic of one key. Pure: it decides from what the replicas said (answers by replica id), and
 * from which replicas of each configuration did not answer, which could hold anything. With one configuration of
 * RF replicas a value is chosen by W of them; while the ring changes there are two, and a decision needs its
 * quorum in each, so that it meets every decision made before, during and after the change.
 */
public final class Choice {
    private final int w;
    private final int readQuorum;

    public Choice(int rf, int w) {
        if (w * 2 <= rf || w > rf) {
            throw new IllegalArgumentException("W " + w + " must be more than half of RF " + rf + " and at most RF");
        }
        this.w = w;
        this.readQuorum = rf - w + 1;
    }

    /** Answers needed per configuration before "nothing was chosen" can be trusted: every W replicas share one with them. */
    public int readQuorum() {
        return readQuorum;
    }

    public int w() {
        return w;
    }

    /** Whether these replicas make W in every configuration (votes that choose a value). */
    public boolean votesChoose(Collection<String> voters, List<Set<String>> configs) {
        return configs.stream().allMatch(c -> c.stream().filter(voters::contains).count() >= w);
    }

    /** Whether these replicas make RF - W + 1 in every configuration (promises a classic round can rest on). */
    public boolean quorumInEach(Collection<String> ids, List<Set<String>> configs) {
        return configs.stream().allMatch(c -> c.stream().filter(ids::contains).count() >= readQuorum);
    }

    /**
     * A value these answers prove chosen: committed on any replica, or accepted by W replicas of the key's current
     * configuration in one round (the same bytes in the fast round, the same ballot in a classic one). While the ring
     * changes, W there may have chosen a value before the change began, and every decision since needs W there too;
     * W in the next configuration alone is no proof, as two fast-round values can each have it, one in each set
     * (seen: KvConsistencyIT seed 2763, a node joining, readers committed one value on two replicas and the other on a
     * third); such a value is left to a classic round, which proposes it only if no other can have been chosen (see
     * {@link #decide}). Null when they prove none.
     */
    public ReplicaState chosen(Map<String, ReplicaState> answers, List<Set<String>> configs) {
        for (ReplicaState a : answers.values()) {
            if (a.state() == KeyState.State.PRESENT) {
                return a;
            }
        }
        List<ReplicaState> current = within(answers, configs.get(0));
        for (ReplicaState a : current) {
            if (a.state() == KeyState.State.PROVISIONAL && votesFor(a, current) >= w) {
                return a;
            }
        }
        return null;
    }

    /** Whether RF - W + 1 replicas of every configuration hold nothing: no value can have been chosen. */
    public boolean provenEmpty(Map<String, ReplicaState> answers, List<Set<String>> configs) {
        return configs.stream().allMatch(c -> within(answers, c).stream()
                .filter(a -> a.state() == KeyState.State.ABSENT).count() >= readQuorum);
    }

    private static List<ReplicaState> within(Map<String, ReplicaState> answers, Set<String> config) {
        List<ReplicaState> out = new ArrayList<>();
        for (String id : config) {
            ReplicaState a = answers.get(id);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    /** How many answers hold the value {@code a} holds, in a way that counts towards it being chosen in a's round. */
    private static int votesFor(ReplicaState a, List<ReplicaState> answers) {
        int votes = 0;
        for (ReplicaState b : answers) {
            if (b.state() == KeyState.State.PROVISIONAL && sameRoundAndValue(a, b)) {
                votes++;
            }
        }
        return votes;
    }

    private static boolean sameRoundAndValue(ReplicaState a, ReplicaState b) {
        if (Ballots.isFast(a.ballot()) && Ballots.isFast(b.ballot())) {
            return sameValue(a, b);
        }
        return a.ballot() == b.ballot();
    }

    static boolean sameValue(ReplicaState a, ReplicaState b) {
        if (a.valueCrc() != b.valueCrc() || a.valueLength() != b.valueLength()) {
            return false;
        }
        return a.value() == null || b.value() == null || Arrays.equals(a.value(), b.value());
    }

    /** What a proposer of a classic round must do, given the answers to its PREPARE. */
    public sealed interface Decision permits Known, Propose, Free, Ambiguous {
    }

    /** A replica holds the key's value as committed: it is decided. */
    public record Known(ReplicaState value) implements Decision {
    }

    /** This value may have been chosen (and no other could have been): propose it. */
    public record Propose(ReplicaState value) implements Decision {
    }

    /** No value can have been chosen: the proposer may propose its own (a reader concludes "no entry"). */
    public record Free() implements Decision {
    }

    /** More than one value could still have been chosen by the replicas that did not answer: hear from more. */
    public record Ambiguous() implements Decision {
    }

    /**
     * Paxos's rule, extended to a fast round in which several proposers may have placed different values: the
     * value of the highest classic ballot seen; else, among fast-round values, the one that W replicas of some
     * configuration could hold, given the answers and that configuration's replicas that did not answer. Unlike
     * {@link #chosen}, this counts the next set alone too: a proposer still on the joint ring after the change
     * completed may meet a value decided under the next ring, and must not propose over it.
     */
    public Decision decide(Map<String, ReplicaState> answers, List<Set<String>> configs) {
        return decide(answers, configs, Set.of());
    }

    /** As {@link #decide(Map, List)}, with replicas {@code gone} for good counted as holding nothing. */
    public Decision decide(Map<String, ReplicaState> answers, List<Set<String>> configs, Set<String> gone) {
        ReplicaState highest = null;
        for (ReplicaState a : answers.values()) {
            if (a.state() == KeyState.State.PRESENT) {
                return new Known(a);
            }
            if (a.state() == KeyState.State.PROVISIONAL && !Ballots.isFast(a.ballot())
                    && (highest == null || Long.compareUnsigned(a.ballot(), highest.ballot()) > 0)) {
                highest = a;
            }
        }
        if (highest != null) {
            return new Propose(highest);
        }
        List<ReplicaState> choosable = new ArrayList<>();
        for (Set<String> config : configs) {
            List<ReplicaState> in = within(answers, config);
            int unanswered = (int) config.stream().filter(id -> !answers.containsKey(id) && !gone.contains(id)).count();
            for (ReplicaState a : in) {
                if (a.state() == KeyState.State.PROVISIONAL && votesFor(a, in) + unanswered >= w
                        && choosable.stream().noneMatch(c -> sameValue(c, a))) {
                    choosable.add(a);
                }
            }
        }
        if (choosable.size() > 1) {
            return new Ambiguous();
        }
        return choosable.isEmpty() ? new Free() : new Propose(choosable.get(0));
    }
}
