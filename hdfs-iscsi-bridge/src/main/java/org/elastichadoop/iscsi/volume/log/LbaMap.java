package org.elastichadoop.iscsi.volume.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Which segment holds each written block: non-overlapping extents keyed by first LBA. Blocks in no
 * extent were never written or were unmapped, and read as zeros. Also counts, per segment, how many
 * of its blocks the map still points to, so that dead segments can be found. Not thread-safe: the
 * volume guards it.
 */
final class LbaMap {
    private final NavigableMap<Long, MappedRun> extents = new TreeMap<>();
    private final Map<Long, Long> liveBlocks = new HashMap<>();
    private final List<Long> died = new ArrayList<>();
    private final int blockSize;
    private long mappedBlocks;

    LbaMap(int blockSize) {
        this.blockSize = blockSize;
    }

    /** Points {@code [lba, lba + blocks)} at {@code seq}/{@code offset}, replacing what was there. */
    void put(long lba, long blocks, long seq, long offset) {
        remove(lba, blocks);
        extents.put(lba, new MappedRun(lba, blocks, seq, offset));
        liveBlocks.merge(seq, blocks, Long::sum);
        mappedBlocks += blocks;
    }

    /** Blocks the map points to: the volume's live data. */
    long mappedBlocks() {
        return mappedBlocks;
    }

    /** Forgets {@code [lba, lba + blocks)}: those blocks read as zeros again. */
    void remove(long lba, long blocks) {
        long end = lba + blocks;
        Map.Entry<Long, MappedRun> before = extents.lowerEntry(lba);
        if (before != null && before.getValue().end() > lba) {
            MappedRun e = before.getValue();
            extents.put(e.lba(), e.slice(e.lba(), lba, blockSize));
            if (e.end() > end) extents.put(end, e.slice(end, e.end(), blockSize));
            dead(e.seq(), Math.min(e.end(), end) - lba);
        }
        for (MappedRun e : new ArrayList<>(extents.subMap(lba, true, end, false).values())) {
            extents.remove(e.lba());
            if (e.end() > end) extents.put(end, e.slice(end, e.end(), blockSize));
            dead(e.seq(), Math.min(e.end(), end) - e.lba());
        }
    }

    private void dead(long seq, long blocks) {
        mappedBlocks -= blocks;
        Long left = liveBlocks.computeIfPresent(seq, (k, v) -> v - blocks == 0 ? null : v - blocks);
        if (left == null) died.add(seq);
    }

    /** Segments whose last live block was overwritten or unmapped since the previous call. */
    List<Long> drainDied() {
        List<Long> out = new ArrayList<>(died);
        died.clear();
        return out;
    }

    /** The extents overlapping {@code [lba, lba + blocks)}, clipped to it, in LBA order. */
    List<MappedRun> lookup(long lba, long blocks) {
        long end = lba + blocks;
        List<MappedRun> found = new ArrayList<>();
        Map.Entry<Long, MappedRun> before = extents.lowerEntry(lba);
        if (before != null && before.getValue().end() > lba) {
            MappedRun e = before.getValue();
            found.add(e.slice(lba, Math.min(e.end(), end), blockSize));
        }
        for (MappedRun e : extents.subMap(lba, true, end, false).values()) {
            found.add(e.slice(e.lba(), Math.min(e.end(), end), blockSize));
        }
        return found;
    }

    /**
     * From {@code lba}: whether it is mapped, and how many blocks (up to {@code limit}) share that
     * state, following adjacent extents.
     */
    long[] provisioning(long lba, long limit) {
        Map.Entry<Long, MappedRun> at = extents.floorEntry(lba);
        boolean mapped = at != null && at.getValue().end() > lba;
        if (!mapped) {
            Long next = extents.ceilingKey(lba);
            return new long[]{0, (next == null ? limit : Math.min(limit, next)) - lba};
        }
        long end = at.getValue().end();
        while (end < limit) {
            MappedRun next = extents.get(end);
            if (next == null) break;
            end = next.end();
        }
        return new long[]{1, Math.min(end, limit) - lba};
    }

    /** Blocks of segment {@code seq} the map still points to (0: the segment is dead). */
    long liveBlocks(long seq) {
        return liveBlocks.getOrDefault(seq, 0L);
    }

    /** Segments the map points to. */
    java.util.Set<Long> liveSegments() {
        return liveBlocks.keySet();
    }

    Iterable<MappedRun> all() {
        return extents.values();
    }

    int size() {
        return extents.size();
    }
}
