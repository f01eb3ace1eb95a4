package org.elastichadoop.iscsi.volume.log.map;

import java.util.List;

/**
 * Which runs to merge next, newest first. Two rules, the first that applies wins:
 * <ol>
 *   <li><b>Into the oldest run</b> once the newer runs together hold half as many records as it does: only a merge
 *   that reaches the oldest run finds every block they overwrote, so this bounds how long dead blocks go unnoticed
 *   (and so how much the store holds for them), at the price of rewriting the oldest run once per half its size
 *   written.</li>
 *   <li><b>Tiers</b>: runs are grouped by size, each tier {@link #FANOUT} times larger than the one before; four
 *   consecutive runs of one tier merge into one of the next. Each record is rewritten about once per tier.</li>
 * </ol>
 * At most {@link #MAX_RUNS} runs are kept (a lookup visits each), merging the newest when there are more.
 */
final class MergePolicy {
    static final int FANOUT = 4;
    static final int MAX_RUNS = 12;
    private static final long SMALLEST_TIER_RECORDS = RunBuilder.RECORDS_PER_PAGE;

    /** Runs {@code [from, to)} of the list, newest first; none when {@code from == to}. */
    record Plan(int from, int to) {
        static final Plan NONE = new Plan(0, 0);

        boolean isNone() {
            return from == to;
        }

        int size() {
            return to - from;
        }
    }

    private MergePolicy() {
    }

    static Plan plan(List<Long> recordsNewestFirst) {
        int n = recordsNewestFirst.size();
        if (n < 2) return Plan.NONE;
        long newer = 0;
        for (int i = 0; i < n - 1; i++) newer += recordsNewestFirst.get(i);
        if (newer * 2 >= recordsNewestFirst.get(n - 1)) return new Plan(0, n);
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || tier(recordsNewestFirst.get(i)) != tier(recordsNewestFirst.get(start))) {
                if (i - start >= FANOUT) return new Plan(start, i);
                start = i;
            }
        }
        return n > MAX_RUNS ? new Plan(0, FANOUT) : Plan.NONE;
    }

    static int tier(long records) {
        int t = 0;
        for (long r = records / SMALLEST_TIER_RECORDS; r >= FANOUT; r /= FANOUT) t++;
        return t;
    }
}
