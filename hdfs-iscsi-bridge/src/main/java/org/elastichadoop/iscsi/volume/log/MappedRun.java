package org.elastichadoop.iscsi.volume.log;

/**
 * A run of blocks whose data lies contiguously in one segment.
 *
 * @param lba     first block of the run
 * @param blocks  length of the run in blocks
 * @param seq     the segment holding the data
 * @param offset  where the run's first block starts in that segment's data area, in bytes
 */
record MappedRun(long lba, long blocks, long seq, long offset) {

    long end() {
        return lba + blocks;
    }

    /** The part of this run from {@code from} (inclusive) to {@code to} (exclusive). */
    MappedRun slice(long from, long to, int blockSize) {
        return new MappedRun(from, to - from, seq, offset + (from - lba) * blockSize);
    }
}
