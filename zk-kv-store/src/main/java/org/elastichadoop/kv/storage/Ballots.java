package org.elastichadoop.kv.storage;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A ballot names one attempt to decide a key's value: its round in the high 16 bits (0 is the fast round, in
 * which a proposer asks replicas to take its value only if they hold nothing) and a random proposal id in the
 * low 48 bits, so that two proposers never share a ballot in practice and a COMMIT names the exact proposal.
 * Ballots order by round first; all rounds but 0 are classic Paxos rounds.
 */
public final class Ballots {
    private static final int ID_BITS = 48;
    private static final long ID_MASK = (1L << ID_BITS) - 1;
    public static final int MAX_ROUND = Short.MAX_VALUE;

    private Ballots() {
    }

    public static long of(int round, long proposalId) {
        if (round < 0 || round > MAX_ROUND) {
            throw new IllegalArgumentException("round " + round + " is outside 0.." + MAX_ROUND);
        }
        return ((long) round << ID_BITS) | (proposalId & ID_MASK);
    }

    public static long fresh(int round) {
        return of(round, ThreadLocalRandom.current().nextLong());
    }

    public static int round(long ballot) {
        return (int) (ballot >>> ID_BITS);
    }

    public static boolean isFast(long ballot) {
        return round(ballot) == 0;
    }
}
