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
     * Whether the segments' live counts add up to more than the volume's size by a margin: over 1.25 times it while
     * written, over 1 + 1/16 times it once idle. The counts fall only as merges find overwritten blocks, so they are
     * then proven stale by at least that margin: blocks that lie in segments compaction would reclaim but cannot
     * choose, seeing them as live. A merge of every run makes the counts exact (up to the memtable's writes). While
     * written, with a run per merge tier's worth of writes, it comes once per quarter of the volume overwritten at
     * most and writes the map once (0.2% of the overwritten bytes for a map of one extent per 4 KiB block); idle,
     * it costs no writer anything, and the margin keeps a trickle of writes from rewriting the map each time.
     * Compaction keeps the stored bytes under 1.5 times the counts, so an idle volume settles under 1.6 times its size.
     */
    private boolean countsOverVolume(boolean idle) {
        long size = s.blockCount * s.blockSize;
        return s.liveBytes() > (idle ? size + size / 16 : size / 4 * 5);
    }

    /** Merges until the policy asks for nothing more; returns how many merges it made. */
    int mergeAll(boolean idle) {
        int merges = 0;
        while (mergeOnce(idle)) merges++;
        return merges;
    }

    private boolean mergeOnce(boolean idle) {
        LbaMap.Merge merge;
        synchronized (s) {
            if (s.failure != null || s.closed) return false;
            merge = s.map.planMerge();
            if (merge == null && countsOverVolume(idle)) merge = s.map.planFullMerge();
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
