package org.elastichadoop.iscsi.volume.log;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.volume.log.map.LbaMap;

import java.io.IOException;

/**
 * Merges the map's runs as its merge policy asks, one merge at a time, outside the volume's lock: reading and
 * writing pages takes as long as it takes while writes and checkpoints go on; only installing the result is locked.
 */
final class MapMerger {
    private static final Logger LOG = LogManager.getLogger(MapMerger.class);

    private final VolumeState s;

    MapMerger(VolumeState s) {
        this.s = s;
    }

    /**
     * Whether the segments' live counts add up to over 1.25 times the volume's size. The counts fall only as merges
     * find overwritten blocks, so they are then proven stale by at least a quarter of the volume: the blocks that
     * lie in segments compaction would reclaim but cannot choose, seeing them as live. A merge of every run makes
     * the counts exact (up to the memtable's writes); with a run per merge tier's worth of writes, it comes once
     * per quarter of the volume overwritten at most, and writes the map once (0.2% of the overwritten bytes for
     * a map of one extent per 4 KiB block).
     */
    private boolean countsOverVolume() {
        return s.liveBytes() > s.blockCount * s.blockSize / 4 * 5;
    }

    /** Merges until the policy asks for nothing more; returns how many merges it made. */
    int mergeAll() {
        int merges = 0;
        while (mergeOnce()) merges++;
        return merges;
    }

    private boolean mergeOnce() {
        LbaMap.Merge merge;
        synchronized (s) {
            if (s.failure != null || s.closed) return false;
            merge = s.map.planMerge();
            if (merge == null && countsOverVolume()) merge = s.map.planFullMerge();
        }
        if (merge == null) return false;
        long started = System.nanoTime();
        LbaMap.Merged merged;
        try {
            s.faults.reached("merge.planned");
            merged = s.map.merge(merge);
            s.faults.reached("merge.written");
        } catch (IOException | RuntimeException e) {
            synchronized (s) {
                s.map.abandon(merge);
            }
            LOG.warn("Volume '{}': merging {} map runs failed ({}); the runs stay as they are and the merge is tried again later",
                    s.name, merge.runs(), e.getMessage());
            return false;
        }
        synchronized (s) {
            s.map.install(merged);
            s.collectGarbage();
            s.notifyAll();
        }
        LOG.debug("Volume '{}': merged {} map runs ({} records) into one of {} in {} ms", s.name, merge.runs(), merge.records(),
                merged.records(), (System.nanoTime() - started) / 1_000_000);
        return true;
    }
}
