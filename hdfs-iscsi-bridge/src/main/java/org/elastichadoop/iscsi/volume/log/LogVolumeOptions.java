package org.elastichadoop.iscsi.volume.log;

/**
 * How a log-structured volume batches and caches.
 *
 * @param segmentBytes            data gathered into one segment before it is stored
 * @param maxUnstoredBytes        sealed segments not yet acknowledged by the store; writers wait
 *                                beyond it, so memory stays bounded when the store is slow
 * @param checkpointEverySegments a map checkpoint after this many stored segments (and on close)
 * @param cachedSegments          recently read segments kept in memory
 * @param writeThrough            every write is durable in the store before it completes (no
 *                                write-back cache; WCE off)
 */
public record LogVolumeOptions(int segmentBytes, long maxUnstoredBytes, int checkpointEverySegments,
                               int cachedSegments, boolean writeThrough) {

    public static LogVolumeOptions defaults() {
        return new LogVolumeOptions(4 << 20, 64L << 20, 64, 16, false);
    }

    public LogVolumeOptions withWriteThrough(boolean on) {
        return new LogVolumeOptions(segmentBytes, maxUnstoredBytes, checkpointEverySegments, cachedSegments, on);
    }

    public LogVolumeOptions withSegmentBytes(int bytes) {
        return new LogVolumeOptions(bytes, maxUnstoredBytes, checkpointEverySegments, cachedSegments, writeThrough);
    }

    public LogVolumeOptions withCheckpointEvery(int segments) {
        return new LogVolumeOptions(segmentBytes, maxUnstoredBytes, segments, cachedSegments, writeThrough);
    }
}
