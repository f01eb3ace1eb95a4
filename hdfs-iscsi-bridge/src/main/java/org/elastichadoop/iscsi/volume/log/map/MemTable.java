package org.elastichadoop.iscsi.volume.log.map;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The newest layer of the map, in memory: what the writes since the last checkpoint did, mappings and holes, newest
 * winning. Records never overlap; a put replaces what it covers and reports the mapped pieces it replaced, so that
 * their segments lose those blocks at once.
 */
final class MemTable {
    /** Receives the mapped blocks a put replaced. */
    interface Replaced {
        void blocks(long seq, long blocks);
    }

    private final NavigableMap<Long, MappedRun> records = new TreeMap<>();
    private final int blockSize;

    MemTable(int blockSize) {
        this.blockSize = blockSize;
    }

    void put(MappedRun run, Replaced replaced) {
        long from = run.lba();
        long to = run.end();
        Map.Entry<Long, MappedRun> before = records.lowerEntry(from);
        if (before != null && before.getValue().end() > from) {
            MappedRun r = before.getValue();
            records.put(r.lba(), r.slice(r.lba(), from, blockSize));
            if (r.end() > to) records.put(to, r.slice(to, r.end(), blockSize));
            report(r, Math.min(r.end(), to) - from, replaced);
        }
        for (MappedRun r : new ArrayList<>(records.subMap(from, true, to, false).values())) {
            records.remove(r.lba());
            if (r.end() > to) records.put(to, r.slice(to, r.end(), blockSize));
            report(r, Math.min(r.end(), to) - r.lba(), replaced);
        }
        records.put(from, run);
    }

    /** Puts the parts of an older {@code run} that no record here covers (a frozen memtable put back). */
    void putUnder(MappedRun run) {
        List<MappedRun> newer = new ArrayList<>();
        collect(run.lba(), run.end(), newer);
        long at = run.lba();
        for (MappedRun n : newer) {
            if (n.lba() > at) records.put(at, run.slice(at, n.lba(), blockSize));
            at = n.end();
        }
        if (at < run.end()) records.put(at, run.slice(at, run.end(), blockSize));
    }

    private static void report(MappedRun r, long blocks, Replaced replaced) {
        if (!r.isHole()) replaced.blocks(r.seq(), blocks);
    }

    /** Appends the records overlapping {@code [from, to)}, clipped to it, in LBA order. */
    void collect(long from, long to, List<MappedRun> out) {
        Map.Entry<Long, MappedRun> before = records.lowerEntry(from);
        if (before != null && before.getValue().end() > from) {
            MappedRun r = before.getValue();
            out.add(r.slice(from, Math.min(r.end(), to), blockSize));
        }
        for (MappedRun r : records.subMap(from, true, to, false).values()) {
            out.add(r.end() > to ? r.slice(r.lba(), to, blockSize) : r);
        }
    }

    /** Every record in LBA order. */
    Collection<MappedRun> all() {
        return records.values();
    }

    int size() {
        return records.size();
    }

    boolean isEmpty() {
        return records.isEmpty();
    }
}
