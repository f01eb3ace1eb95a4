package org.elastichadoop.iscsi.volume.log;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.volume.log.map.LbaMap;
import org.elastichadoop.iscsi.volume.log.map.MapState;
import org.elastichadoop.kv.concurrent.Futures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Checkpoints: seals the open segment, freezes the map's memtable and writes it as a run, stores the checkpoint
 * (the map's state as of the last sealed segment), points the volume record at it, then deletes what only older
 * checkpoints needed: dead segments, map pages merged away, the previous checkpoint.
 */
final class Checkpointer {
    private static final Logger LOG = LogManager.getLogger(Checkpointer.class);
    private static final int PARALLEL_DELETES = 16;

    private final VolumeState s;
    private final ImmutableStore store;
    private final StorePages pages;
    private final VolumeCatalog catalog;
    private final SegmentWriter writer;
    /** One checkpoint at a time: concurrent ones would race for the catalog record and the memtable. */
    private final ReentrantLock checkpointing = new ReentrantLock();
    /** Orphaned map pages of earlier writers are deleted before this writer records its first checkpoint. */
    private final CompletableFuture<?> orphansDeleted;
    /** Checkpoints this writer stored (recorded or not): the next one's number. */
    private long stored;

    Checkpointer(VolumeState s, ImmutableStore store, StorePages pages, VolumeCatalog catalog, SegmentWriter writer,
                 CompletableFuture<?> orphansDeleted) {
        this.s = s;
        this.store = store;
        this.pages = pages;
        this.catalog = catalog;
        this.writer = writer;
        this.orphansDeleted = orphansDeleted;
    }

    void checkpoint() throws IOException {
        checkpointing.lock();
        try {
            record();
        } finally {
            checkpointing.unlock();
        }
    }

    private void record() throws IOException {
        long seq;
        List<Long> dead = new ArrayList<>();
        VolumeRecord.Checkpoint previous;
        List<CompletableFuture<Void>> unstoredBefore = new ArrayList<>();
        LbaMap.Frozen frozen;
        synchronized (s) {
            s.ensureUsable();
            // the map as of the end of segment seq: seal the open segment so that no record points past it
            if (!s.open.entries.isEmpty()) writer.seal();
            seq = s.nextSeq - 1;
            if (seq < 0) return;
            s.collectGarbage();
            for (Long g : s.garbage) if (g <= seq && s.map.liveBlocks(g) == 0) dead.add(g);
            frozen = s.map.freeze();
            if (s.checkpoint != null && s.checkpoint.seq() >= seq && dead.isEmpty() && frozen.pageGarbage().isEmpty()
                    && frozen.records() == 0) {
                s.map.unfreeze(frozen);
                return; // nothing new
            }
            previous = s.checkpoint;
            s.segmentsSinceCheckpoint = 0;
            for (Map.Entry<Long, CompletableFuture<Void>> e : s.puts.entrySet()) if (e.getKey() <= seq) unstoredBefore.add(e.getValue());
        }
        MapState state;
        try {
            for (CompletableFuture<Void> f : unstoredBefore) Futures.await(f, SegmentWriter.STORE_TIMEOUT_SECONDS, "segment"); // the checkpoint may name only stored segments
            s.faults.reached("checkpoint.frozen");
            LbaMap.Flushed flushed = s.map.flush(frozen);
            s.faults.reached("checkpoint.flushed");
            synchronized (s) {
                s.ensureUsable();
                state = s.map.install(flushed);
            }
        } catch (IOException | RuntimeException e) {
            synchronized (s) {
                s.map.unfreeze(frozen);
            }
            throw e;
        }
        awaitOrphans();
        String key = VolumeKeys.checkpoint(s.volumeId, s.epoch, stored++);
        byte[] bytes = Checkpoint.encode(seq, dead, frozen.pageGarbage(), previous == null ? List.of() : List.of(previous), state);
        VolumeRecord.Checkpoint next = new VolumeRecord.Checkpoint(key, seq, Checkpoint.partCount(bytes.length, s.options.checkpointPartBytes()));
        try {
            Futures.await(Checkpoint.store(store, key, bytes, s.options.checkpointPartBytes()), SegmentWriter.STORE_TIMEOUT_SECONDS, "checkpoint " + key);
            s.faults.reached("checkpoint.stored");
            recordInCatalog(next);
        } catch (IOException e) {
            synchronized (s) {
                s.map.checkpointFailed(frozen);
            }
            // fenced or deleted: nothing will ever point at this checkpoint, so it goes now
            try {
                Futures.await(Checkpoint.delete(store, next), SegmentWriter.STORE_TIMEOUT_SECONDS, "checkpoint " + key);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        synchronized (s) {
            s.checkpoint = next;
        }
        // the new checkpoint no longer needs these: delete them (a crash here leaves them listed in it)
        s.faults.reached("checkpoint.recorded");
        deleteSegments(dead);
        s.faults.reached("checkpoint.segments-deleted");
        deletePages(frozen.pageGarbage());
        s.faults.reached("checkpoint.pages-deleted");
        if (previous != null) Futures.await(Checkpoint.delete(store, previous), SegmentWriter.STORE_TIMEOUT_SECONDS, "checkpoint " + previous.key());
        LOG.debug("Volume '{}': checkpoint {} ({} map records in {} runs, {} written now), {} dead segment(s) and {} map page(s) deleted",
                s.name, key, state.records(), state.runCount(), frozen.records(), dead.size(), frozen.pageGarbage().size());
    }

    private void awaitOrphans() {
        try {
            orphansDeleted.get(SegmentWriter.STORE_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Volume '{}': map pages left by an earlier writer may stay in the store ({}); they take space, nothing else",
                    s.name, Futures.cause(e).getMessage());
        }
    }

    private void deleteSegments(List<Long> dead) throws IOException {
        for (int from = 0; from < dead.size(); from += PARALLEL_DELETES) {
            List<Long> batch = dead.subList(from, Math.min(dead.size(), from + PARALLEL_DELETES));
            List<CompletableFuture<Void>> deletes = new ArrayList<>();
            for (long g : batch) deletes.add(store.delete(s.segmentKey(g)));
            for (int i = 0; i < batch.size(); i++) {
                Futures.await(deletes.get(i), SegmentWriter.STORE_TIMEOUT_SECONDS, "segment " + batch.get(i));
                s.faults.reached("checkpoint.segment-deleted");
                synchronized (s) {
                    s.deleted(batch.get(i));
                }
            }
        }
    }

    private void deletePages(List<Long> ids) throws IOException {
        for (int from = 0; from < ids.size(); from += PARALLEL_DELETES) {
            List<CompletableFuture<Void>> deletes = new ArrayList<>();
            for (long id : ids.subList(from, Math.min(ids.size(), from + PARALLEL_DELETES))) deletes.add(pages.delete(id));
            for (CompletableFuture<Void> d : deletes) Futures.await(d, SegmentWriter.STORE_TIMEOUT_SECONDS, "map page");
        }
    }

    /** Points the volume record at {@code next}; the record may also change for a resize, which is retried. */
    private void recordInCatalog(VolumeRecord.Checkpoint next) throws IOException {
        for (int attempt = 0; ; attempt++) {
            VolumeCatalog.Versioned v = catalog.read(s.name).orElseThrow(() -> new FencedException("volume '" + s.name + "' was deleted"));
            if (v.record().epoch() != s.epoch) throw new FencedException("volume '" + s.name + "' was taken over by writer epoch " + v.record().epoch());
            if (catalog.compareAndSet(s.name, v.version(), v.record().withCheckpoint(next, v.record().epochs())).isPresent()) return;
            if (attempt == 99) throw new IOException("volume '" + s.name + "' kept changing while recording checkpoint " + next.key());
            if (attempt >= 3) sleep(10);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
