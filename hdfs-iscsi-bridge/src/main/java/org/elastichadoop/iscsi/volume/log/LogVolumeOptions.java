package org.elastichadoop.iscsi.volume.log;

/**
 * How a log-structured volume batches and caches.
 *
 * @param segmentBytes            data gathered into one segment before it is stored
 * @param maxUnstoredBytes        sealed segments not yet acknowledged by the store; writers wait
 *                                beyond it, so memory stays bounded when the store is slow
 * @param checkpointEverySegments a map checkpoint after this many stored segments (and on close)
 * @param cacheBytes              stored segments kept in memory (written or read), least recently used evicted
 * @param readAheadBytes          how far past a sequential read the segments holding the next blocks are fetched
 * @param writeThrough            every write is durable in the store before it completes (no
 *                                write-back cache; WCE off)
 * @param checkpointPartBytes     a checkpoint is stored in entries of at most this size
 * @param mapCacheBytes           pages of the LBA map kept in memory (decoded, 32 bytes per extent)
 */
public record LogVolumeOptions(int segmentBytes, long maxUnstoredBytes, int checkpointEverySegments,
                               long cacheBytes, long readAheadBytes, boolean writeThrough,
                               int checkpointPartBytes, long mapCacheBytes) {

    public static final long DEFAULT_CACHE_BYTES = 512L << 20;
    public static final long DEFAULT_MAP_CACHE_BYTES = 64L << 20;

    public static LogVolumeOptions defaults() {
        return new LogVolumeOptions(4 << 20, 64L << 20, 64, DEFAULT_CACHE_BYTES, 32L << 20, false, 16 << 20, DEFAULT_MAP_CACHE_BYTES);
    }

    public LogVolumeOptions withWriteThrough(boolean on) {
        return new LogVolumeOptions(segmentBytes, maxUnstoredBytes, checkpointEverySegments, cacheBytes, readAheadBytes, on, checkpointPartBytes, mapCacheBytes);
    }

    public LogVolumeOptions withSegmentBytes(int bytes) {
        return new LogVolumeOptions(bytes, maxUnstoredBytes, checkpointEverySegments, cacheBytes, readAheadBytes, writeThrough, checkpointPartBytes, mapCacheBytes);
    }

    public LogVolumeOptions withCheckpointEvery(int segments) {
        return new LogVolumeOptions(segmentBytes, maxUnstoredBytes, segments, cacheBytes, readAheadBytes, writeThrough, checkpointPartBytes, mapCacheBytes);
    }

    public LogVolumeOptions withCacheBytes(long bytes) {
        return new LogVolumeOptions(segmentBytes, maxUnstoredBytes, checkpointEverySegments, bytes, readAheadBytes, writeThrough, checkpointPartBytes, mapCacheBytes);
    }

    public LogVolumeOptions withReadAheadBytes(long bytes) {
        return new LogVolumeOptions(segmentBytes, maxUnstoredBytes, checkpointEverySegments, cacheBytes, bytes, writeThrough, checkpointPartBytes, mapCacheBytes);
    }

    public LogVolumeOptions withCheckpointPartBytes(int bytes) {
        return new LogVolumeOptions(segmentBytes, maxUnstoredBytes, checkpointEverySegments, cacheBytes, readAheadBytes, writeThrough, bytes, mapCacheBytes);
    }

    public LogVolumeOptions withMapCacheBytes(long bytes) {
        return new LogVolumeOptions(segmentBytes, maxUnstoredBytes, checkpointEverySegments, cacheBytes, readAheadBytes, writeThrough, checkpointPartBytes, bytes);
    }
}
