package org.elastichadoop.iscsi.volume.log;

import org.elastichadoop.iscsi.volume.log.map.MapState;
import org.elastichadoop.iscsi.volume.log.map.PageIds;
import org.elastichadoop.kv.concurrent.Futures;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Map pages that a writer stored but that no recorded checkpoint came to reference, because the writer stopped (was
 * killed, or fenced) between storing them and recording the checkpoint. A writer numbers its pages from 0 up, so
 * they are found by asking for the ids after the last ones the checkpoint accounts for, until a long run of ids
 * is missing. The checkpoint's writer cleaned up after the epochs before its own before recording it, so only its
 * own epoch and the later ones are looked at.
 */
final class OrphanPages {
    /** A writer has at most this many page puts in flight, so missing ids this many in a row mean the end. */
    private static final int MISSES_TO_STOP = 64;
    private static final long TIMEOUT_SECONDS = 60;

    private OrphanPages() {
    }

    /** Deletes the orphaned pages of writer epochs before {@code currentEpoch}; returns how many. */
    static int delete(StorePages pages, VolumeRecord record, long currentEpoch, Checkpoint.Decoded checkpoint) throws IOException {
        MapState state = checkpoint == null ? null : checkpoint.map();
        Set<Long> referenced = checkpoint == null ? Set.of() : checkpoint.pages();
        Set<Long> epochs = new TreeSet<>();
        for (VolumeRecord.EpochStart e : record.epochs()) {
            if (e.epoch() < currentEpoch && (state == null || e.epoch() >= state.writerEpoch())) epochs.add(e.epoch());
        }
        int deleted = 0;
        for (long epoch : epochs) {
            long from = state != null && epoch == state.writerEpoch() ? state.orphansFrom() : 0;
            long lastReferenced = referenced.stream().filter(id -> PageIds.epoch(id) == epoch)
                    .mapToLong(PageIds::counter).max().orElse(-1);
            int misses = 0;
            for (long counter = from; misses < MISSES_TO_STOP || counter <= lastReferenced; counter++) {
                long id = PageIds.of(epoch, counter);
                if (referenced.contains(id)) {
                    misses = 0;
                    continue;
                }
                if (Futures.await(pages.get(id), TIMEOUT_SECONDS, "map page " + id) == null) {
                    misses++;
                    continue;
                }
                misses = 0;
                Futures.await(pages.delete(id), TIMEOUT_SECONDS, "deleting map page " + id);
                deleted++;
            }
        }
        return deleted;
    }
}
