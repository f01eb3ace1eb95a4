package org.elastichadoop.iscsi.volume.log;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.store.ImmutableStore;

import java.util.concurrent.CompletableFuture;

/**
 * Reads a few KiB of a stored segment instead of all of it: the 4 KiB chunks holding the wanted bytes, checked
 * against the segment's chunk table ({@link SegmentChunks}), which is fetched once per segment from the end of the
 * stored value and kept in a cache bounded in bytes. A random read of a volume then moves what it asked for,
 * not a whole segment. Whenever a part cannot be trusted (a segment without a table, a table or a chunk that
 * fails its CRC) the answer is null and the caller fetches the whole segment, which the store verifies whole.
 */
final class RangedReads {
    private static final Logger LOG = LogManager.getLogger(RangedReads.class);
    /** Cached for segments written before chunk tables were: read them whole, without asking again. */
    private static final SegmentChunks NO_TABLE = new SegmentChunks(-1, new int[0]);

    private final VolumeState s;
    private final ImmutableStore store;
    private final AsyncCache<Long, SegmentChunks> tables;
    private final int dataStart;
    private final int tableGuess;

    RangedReads(VolumeState s, ImmutableStore store, long tableCacheBytes) {
        this.s = s;
        this.store = store;
        this.tables = Caffeine.newBuilder()
                .maximumWeight(tableCacheBytes)
                .weigher((Long seq, SegmentChunks t) -> (int) t.heapBytes())
                .executor(Runnable::run)
                .buildAsync();
        this.dataStart = Segment.headerBytes(s.volumeId);
        this.tableGuess = SegmentChunks.suffixBytes(SegmentChunks.chunksFor(s.options.segmentBytes()));
    }

    /**
     * The data-area bytes from the chunk-aligned start of {@code [from, to)} of stored segment {@code seq}, verified
     * chunk by chunk: the answer's first byte is the data area's byte {@link SegmentChunks#alignedStart}{@code (from)}.
     * Null when the segment is gone or cannot be read in part; the caller then fetches it whole.
     */
    CompletableFuture<byte[]> read(long seq, long from, long to) {
        String key = s.segmentKey(seq);
        return tables.get(seq, (k, executor) -> table(key, seq)).thenCompose(table -> {
            if (table == null || table == NO_TABLE || to > table.dataLength) return CompletableFuture.completedFuture(null);
            long start = SegmentChunks.alignedStart(from);
            int length = (int) (table.alignedEnd(to) - start);
            return store.getRange(key, dataStart + start, length).thenApply(bytes -> {
                if (bytes == null) return null;
                if (table.matches(start, bytes)) return bytes;
                LOG.warn("Volume '{}': bytes {}..{} of segment {} ({}) arrived but fail their chunks' CRC32C; reading the whole"
                        + " segment instead (the store checks a whole value and repairs a damaged copy)", s.name, start,
                        start + length - 1, seq, key);
                return null;
            });
        }).exceptionally(e -> null);
    }

    void forget(long seq) {
        tables.synchronous().invalidate(seq);
    }

    long cachedBytes() {
        return tables.synchronous().policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** The segment's chunk table from its last bytes (one read, two if the table is larger than guessed). */
    private CompletableFuture<SegmentChunks> table(String key, long seq) {
        return store.getRange(key, -tableGuess, tableGuess).thenCompose(suffix -> {
            if (suffix == null) return CompletableFuture.completedFuture(null); // deleted: not cached
            int needed = SegmentChunks.suffixNeeded(suffix);
            if (needed < 0) return CompletableFuture.completedFuture(NO_TABLE);
            if (needed <= suffix.length) return CompletableFuture.completedFuture(decode(suffix, seq));
            return store.getRange(key, -needed, needed).thenApply(longer -> longer == null ? null : decode(longer, seq));
        });
    }

    private SegmentChunks decode(byte[] suffix, long seq) {
        try {
            return SegmentChunks.decodeSuffix(suffix, seq);
        } catch (Segment.CorruptSegmentException e) {
            LOG.warn("Volume '{}': {}; reading the segment whole instead", s.name, e.getMessage());
            return null;
        }
    }
}
