package org.elastichadoop.iscsi.volume.log;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.store.StoreException;
import org.elastichadoop.kv.concurrent.Futures;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stores sealed segments, retrying while the store is unavailable, and books each one when the store acknowledges
 * it: into the segment cache, the stored sizes, and the count that calls for the next checkpoint.
 */
final class SegmentUploader {
    private static final Logger LOG = LogManager.getLogger(SegmentUploader.class);
    private static final int RETRIES = 8;
    /** Dead segments awaiting deletion that call for a checkpoint before the usual count of segments. */
    static final int GARBAGE_CHECKPOINT_SEGMENTS = 16;

    private final VolumeState s;
    private final ImmutableStore store;
    private final Runnable maintenanceWanted;

    SegmentUploader(VolumeState s, ImmutableStore store, Runnable maintenanceWanted) {
        this.s = s;
        this.store = store;
        this.maintenanceWanted = maintenanceWanted;
    }

    /** Starts storing a sealed segment (the caller holds the lock and has put it among the unstored ones). */
    CompletableFuture<Void> upload(Segment segment) {
        CompletableFuture<Void> put = storeWithRetry(s.segmentKey(segment.seq), segment.bytes, segment.length, 0);
        put.whenComplete((v, e) -> stored(segment, e));
        return put;
    }

    private CompletableFuture<Void> storeWithRetry(String key, byte[] bytes, int length, int attempt) {
        return store.putIfAbsent(key, bytes, length).exceptionallyCompose(e -> {
            Throwable cause = Futures.cause(e);
            if (cause instanceof StoreException se && se.reason() == StoreException.Reason.UNAVAILABLE && attempt < RETRIES) {
                LOG.warn("Storing {} failed ({}); retrying", key, se.getMessage());
                return CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(100L << Math.min(attempt, 5), TimeUnit.MILLISECONDS))
                        .thenCompose(x -> storeWithRetry(key, bytes, length, attempt + 1));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private void stored(Segment segment, Throwable error) {
        boolean wantMaintenance = false;
        synchronized (s) {
            if (error != null) {
                s.fail(new IOException("volume '" + s.name + "': storing segment " + segment.seq + " failed: " + error.getMessage(), error));
                LOG.error("Volume '{}' can no longer write: {}. Writes and flushes fail until the bridge reopens it.",
                        s.name, s.failure.getMessage());
            } else {
                s.cache.put(segment);
                Integer before = s.storedSizes.put(segment.seq, segment.length);
                s.storedBytes += segment.length - (before == null ? 0 : before);
                s.segmentsSinceCheckpoint++;
                s.puts.remove(segment.seq); // done: nobody needs to wait for it any more
                wantMaintenance = s.segmentsSinceCheckpoint >= s.options.checkpointEverySegments()
                        || (s.garbage.size() >= GARBAGE_CHECKPOINT_SEGMENTS && s.segmentsSinceCheckpoint >= GARBAGE_CHECKPOINT_SEGMENTS / 4)
                        || s.storedBytes > s.liveBytes() * 3 / 2 + s.options.segmentBytes();
            }
            s.unstored.remove(segment.seq);
            s.unstoredBytes -= segment.length;
            s.notifyAll();
        }
        if (wantMaintenance) maintenanceWanted.run();
    }
}
