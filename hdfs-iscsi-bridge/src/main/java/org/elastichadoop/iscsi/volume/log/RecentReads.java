package org.elastichadoop.iscsi.volume.log;

/**
 * Where the last reads began and ended, to tell a stream from random reads: a read belongs to a stream when it
 * begins where one of them ended, or ends where one began (an initiator queues a stream's reads, and they may
 * arrive out of order). Random reads all but never do: the chance is about {@link #SIZE} in the volume's blocks.
 */
final class RecentReads {
    static final int SIZE = 64;
    private final long[] starts = new long[SIZE];
    private final long[] ends = new long[SIZE];
    private int next;
    private int count;

    /** Whether {@code [lba, end)} continues or precedes a recent read; then records it among the recent ones. */
    boolean followsAndAdd(long lba, long end) {
        boolean follows = false;
        for (int i = 0; i < count && !follows; i++) follows = ends[i] == lba || starts[i] == end;
        starts[next] = lba;
        ends[next] = end;
        next = (next + 1) % SIZE;
        count = Math.min(SIZE, count + 1);
        return follows;
    }
}
