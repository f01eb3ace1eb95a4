package org.elastichadoop.iscsi.volume.log.map;

/**
 * A run of blocks whose data lies contiguously in one segment, or a hole: blocks unmapped at that point of the log,
 * which hide what older layers of the map say about them.
 *
 * @param lba     first block of the run
 * @param blocks  length of the run in blocks
 * @param seq     the segment holding the data; {@link #HOLE} for a hole
 * @param offset  where the run's first block starts in that segment's data area, in bytes (0 for a hole)
 */
public record MappedRun(long lba, long blocks, long seq, long offset) {
    public static final long HOLE = -1;

    public static MappedRun hole(long lba, long blocks) {
        return new MappedRun(lba, blocks, HOLE, 0);
    }

    public boolean isHole() {
        return seq == HOLE;
    }

    public long end() {
        return lba + blocks;
    }

    /** The part of this run from {@code from} (inclusive) to {@code to} (exclusive). */
    public MappedRun slice(long from, long to, int blockSize) {
        return new MappedRun(from, to - from, seq, isHole() ? 0 : offset + (from - lba) * blockSize);
    }

    /** Whether {@code next} continues this run: it starts where this ends, in the same segment, right after its data. */
    boolean continuedBy(MappedRun next, int blockSize) {
        return next.lba == end() && next.seq == seq && (isHole() || next.offset == offset + blocks * blockSize);
    }
}
