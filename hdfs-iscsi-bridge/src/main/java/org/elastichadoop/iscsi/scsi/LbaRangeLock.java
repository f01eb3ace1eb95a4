package org.elastichadoop.iscsi.scsi;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes COMPARE AND WRITE atomic: it holds its range exclusively, while ordinary writes hold
 * theirs shared (they may overlap each other, as on a disk, but never a COMPARE AND WRITE).
 * Callers block, so this is used on I/O threads only.
 */
public final class LbaRangeLock {

    private final List<Range> held = new ArrayList<>();

    public Range lockShared(long lba, long blocks) throws InterruptedException {
        return lock(new Range(lba, lba + blocks, false));
    }

    public Range lockExclusive(long lba, long blocks) throws InterruptedException {
        return lock(new Range(lba, lba + blocks, true));
    }

    private synchronized Range lock(Range r) throws InterruptedException {
        while (conflicts(r)) {
            wait();
        }
        held.add(r);
        return r;
    }

    private boolean conflicts(Range r) {
        for (Range h : held) {
            if ((h.exclusive || r.exclusive) && h.start < r.end && r.start < h.end) {
                return true;
            }
        }
        return false;
    }

    public synchronized void unlock(Range r) {
        held.remove(r);
        notifyAll();
    }

    /** A held range; identity matters, two equal ranges are distinct holds. */
    public static final class Range {
        final long start;
        final long end;
        final boolean exclusive;

        Range(long start, long end, boolean exclusive) {
            this.start = start;
            this.end = Math.max(end, start + 1);
            this.exclusive = exclusive;
        }
    }
}
