package org.elastichadoop.iscsi.volume.log;

import java.util.ArrayDeque;

/**
 * The arrays of segments this volume wrote, handed back once nothing reads them (evicted from the cache or deleted,
 * and released by every reader that held them), for the next open segment. A fresh 4 MiB array per segment cost the
 * bridge half its CPU under sequential writes (`perf`: the JVM zeroing it and the kernel faulting in new heap).
 *
 * <p>An array is only handed out to a new open segment under the volume's lock, so a copy made under that lock
 * from a segment found in memory needs no reference of its own; a reader outside the lock holds one
 * ({@link SegmentCache#acquire}).
 */
final class SegmentArrays {
    private final int size;
    private final int keep;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private long reused;
    private long allocated;

    /** Arrays of {@code size} bytes, at most {@code keep} of them kept. */
    SegmentArrays(int size, int keep) {
        this.size = size;
        this.keep = keep;
    }

    synchronized byte[] take() {
        byte[] a = free.pollFirst();
        if (a != null) {
            reused++;
            return a;
        }
        allocated++;
        return new byte[size];
    }

    synchronized void give(byte[] a) {
        if (a.length == size && free.size() < keep) free.addFirst(a);
    }

    synchronized long[] reusedAndAllocated() {
        return new long[] {reused, allocated};
    }

    /** Enough to hold back the arrays a checkpoint's deletions free at once, at most an eighth of the cache. */
    static int keepFor(long cacheBytes, int segmentBytes) {
        return (int) Math.max(4, Math.min(32, cacheBytes / segmentBytes / 8));
    }
}
