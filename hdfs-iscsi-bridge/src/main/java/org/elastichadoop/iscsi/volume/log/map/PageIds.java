package org.elastichadoop.iscsi.volume.log.map;

/**
 * A page id is the writer epoch that wrote the page and a counter of that writer's pages: two writers of one volume
 * (the second fencing the first) never pick the same id.
 */
public final class PageIds {
    private static final int COUNTER_BITS = 40;
    private static final long COUNTER_MASK = (1L << COUNTER_BITS) - 1;

    private PageIds() {
    }

    public static long of(long epoch, long counter) {
        if (epoch < 0 || epoch >= 1L << (63 - COUNTER_BITS) || counter < 0 || counter > COUNTER_MASK) {
            throw new IllegalArgumentException("page id out of range: epoch " + epoch + ", counter " + counter);
        }
        return epoch << COUNTER_BITS | counter;
    }

    public static long epoch(long id) {
        return id >>> COUNTER_BITS;
    }

    public static long counter(long id) {
        return id & COUNTER_MASK;
    }
}
