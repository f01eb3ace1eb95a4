package org.elastichadoop.iscsi.volume.log;

import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.volume.log.map.MapState;
import org.elastichadoop.iscsi.volume.log.map.PageIds;
import org.elastichadoop.kv.concurrent.Futures;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Entries that earlier writers stored but that the recorded checkpoint does not account for, because a writer stopped
 * (was killed, or fenced) in the middle of its work: map pages stored for a checkpoint or a merge that was never
 * recorded, a checkpoint stored but never recorded, the checkpoint a recorded one replaced but that was not deleted
 * yet. A writer numbers its pages and its checkpoints from 0 up, so they are found by asking for the numbers after
 * the last ones the recorded checkpoint accounts for. The recorded checkpoint's writer cleaned up after the epochs
 * before its own before recording it, so only its own epoch and the later ones are looked at.
 */
final class Orphans {
    /** A writer has at most this many page puts in flight, so missing ids this many in a row mean the end. */
    private static final int MISSES_TO_STOP = 64;
    /** A writer that stopped left at most one checkpoint unrecorded; a few more numbers are asked for all the same. */
    private static final int CHECKPOINTS_TO_PROBE = 3;
    private static final long TIMEOUT_SECONDS = 60;

    private Orphans() {
    }

    /** Deletes what writer epochs before {@code currentEpoch} left behind; returns how many entries. */
    static int delete(ImmutableStore store, VolumeRecord record, long currentEpoch, Checkpoint.Decoded checkpoint) throws IOException {
        long[] recorded = record.checkpoint() == null ? null : VolumeKeys.checkpointNumber(record.id(), record.checkpoint().key());
        long from = checkpoint != null && checkpoint.map() != null ? checkpoint.map().writerEpoch() : recorded != null ? recorded[0] : 0;
        Set<Long> epochs = new TreeSet<>();
        for (VolumeRecord.EpochStart e : record.epochs()) if (e.epoch() < currentEpoch && e.epoch() >= from) epochs.add(e.epoch());
        int deleted = pages(new StorePages(store, record.id()), epochs, checkpoint);
        if (checkpoint != null) {
            for (VolumeRecord.Checkpoint replaced : checkpoint.checkpointGarbage()) {
                Futures.await(Checkpoint.delete(store, replaced), TIMEOUT_SECONDS, "checkpoint " + replaced.key());
                deleted += replaced.partCount();
            }
        }
        for (long epoch : epochs) {
            long first = recorded != null && recorded[0] == epoch ? recorded[1] + 1 : 0;
            for (long n = first; n < first + CHECKPOINTS_TO_PROBE; n++) deleted += checkpoint(store, VolumeKeys.checkpoint(record.id(), epoch, n));
        }
        return deleted;
    }

    private static int pages(StorePages pages, Set<Long> epochs, Checkpoint.Decoded checkpoint) throws IOException {
        MapState state = checkpoint == null ? null : checkpoint.map();
        Set<Long> referenced = checkpoint == null ? Set.of() : checkpoint.pages();
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

    /** Deletes the checkpoint stored under {@code key}, every part of it, if it exists. */
    private static int checkpoint(ImmutableStore store, String key) throws IOException {
        int deleted = 0;
        for (int part = 0; ; part++) {
            String partKey = Checkpoint.partKey(key, part);
            if (Futures.await(store.get(partKey), TIMEOUT_SECONDS, "checkpoint " + partKey) == null) return deleted;
            Futures.await(store.delete(partKey), TIMEOUT_SECONDS, "deleting checkpoint " + partKey);
            deleted++;
        }
    }
}
