package org.elastichadoop.kv.consensus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.elastichadoop.kv.storage.Ballots;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.ReplicaState;

/**
 * The quorum arithmetic of one key, over the answers of its RF replicas (W of which make a value chosen). Pure:
 * it decides from what the replicas said, and from how many did not answer, which could hold anything.
 */
public final class Choice {
    private final int rf;
    private final int w;

    public Choice(int rf, int w) {
        if (w * 2 <= rf || w > rf) {
            throw new IllegalArgumentException("W " + w + " must be more than half of RF " + rf + " and at most RF");
        }
        this.rf = rf;
        this.w = w;
    }

    /** Answers needed before "nothing was chosen" can be trusted: every W replicas share one with them. */
    public int readQuorum() {
        return rf - w + 1;
    }

    public int w() {
        return w;
    }

    /**
     * A value these answers prove chosen: committed on any replica, or accepted by W replicas in one round (the
     * same bytes in the fast round, the same ballot in a classic one). Null when they prove none.
     */
    public ReplicaState chosen(List<ReplicaState> answers) {
        for (ReplicaState a : answers) {
            if (a.state() == KeyState.State.PRESENT) {
                return a;
            }
        }
        for (ReplicaState a : answers) {
            if (a.state() == KeyState.State.PROVISIONAL && votesFor(a, answers) >= w) {
                return a;
            }
        }
        return null;
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
     * value of the highest classic ballot seen; else, among fast-round values, the one that W replicas could
     * hold given the answers and the {@code unanswered} replicas.
     */
    public Decision decide(List<ReplicaState> answers, int unanswered) {
        ReplicaState highest = null;
        for (ReplicaState a : answers) {
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
        for (ReplicaState a : answers) {
            if (a.state() == KeyState.State.PROVISIONAL && votesFor(a, answers) + unanswered >= w
                    && choosable.stream().noneMatch(c -> sameValue(c, a))) {
                choosable.add(a);
            }
        }
        if (choosable.size() > 1) {
            return new Ambiguous();
        }
        return choosable.isEmpty() ? new Free() : new Propose(choosable.get(0));
    }
}
