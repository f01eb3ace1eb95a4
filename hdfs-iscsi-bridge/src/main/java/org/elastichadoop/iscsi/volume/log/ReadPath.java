package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.ByteBuf;
import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.volume.BlockVolume;
import org.elastichadoop.iscsi.volume.log.map.MappedRun;
import org.elastichadoop.iscsi.volume.log.map.Pages;
import org.elastichadoop.iscsi.volume.log.map.PagesMissingException;
import org.elastichadoop.kv.concurrent.Futures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The read path: finds the blocks' segments in the map, copies what is in memory (the open segment, unstored and
 * cached segments) and fetches the rest from the store, sharing a fetch between concurrent misses; and when reads
 * follow one another, fetches the segments ahead of them.
 */
final class ReadPath {
    /** How far ahead of a block GET LBA STATUS looks for where its state changes. */
    private static final long PROVISIONING_WINDOW_BLOCKS = 1 << 16;
    private static final int LOOKUP_ATTEMPTS = 5;

    private final VolumeState s;
    private final ImmutableStore store;
    private final RangedReads ranged;
    /** The recent reads, where the current stream has got to, and how far it has been read ahead. Guarded by s. */
    private final RecentReads recent = new RecentReads();
    private long streamNext = -1;
    private long readAheadUpTo = -1;

    ReadPath(VolumeState s, ImmutableStore store) {
        this.s = s;
        this.store = store;
        this.ranged = new RangedReads(s, store, Math.max(1 << 20, s.options.cacheBytes() / 16));
    }

    interface Locked<T> {
        T run(Pages pages) throws IOException;
    }

    /**
     * Runs {@code body} under the lock with the map pages for {@code [lba, lba + blocks)} loaded; loads again when
     * the map's runs changed in between (a flush or a merge).
     */
    <T> T withPages(long lba, long blocks, Locked<T> body) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Pages pages;
            try {
                pages = Futures.await(s.map.load(lba, blocks), SegmentWriter.STORE_TIMEOUT_SECONDS, "map pages for LBA " + lba);
            } catch (IOException e) {
                if (attempt < LOOKUP_ATTEMPTS) continue; // a page deleted after a merge replaced its run: look again
                throw new IOException("volume '" + s.name + "': " + e.getMessage(), e);
            }
            synchronized (s) {
                try {
                    return body.run(pages);
                } catch (PagesMissingException e) {
                    if (attempt == LOOKUP_ATTEMPTS) throw new IOException("volume '" + s.name + "': the map kept changing while reading LBA " + lba);
                }
            }
        }
    }

    void read(long lba, int blocks, ByteBuf dst) throws IOException {
        s.checkRange(lba, blocks);
        int start = dst.writerIndex();
        dst.ensureWritable(blocks * s.blockSize);
        dst.writeZero(blocks * s.blockSize);
        for (int attempt = 0; ; attempt++) {
            List<MappedRun> fromStore = withPages(lba, blocks, pages -> {
                s.ensureReadable();
                List<MappedRun> missing = new ArrayList<>();
                for (MappedRun run : s.map.lookup(lba, blocks, pages)) {
                    if (!copyFromMemory(run, lba, dst, start)) missing.add(run);
                }
                readAhead(lba, blocks);
                return missing;
            });
            if (fromStore.isEmpty()) return;
            if (copyFromStore(fromStore, lba, dst, start)) return;
            if (attempt == 3) throw new IOException("volume '" + s.name + "': segments kept disappearing while reading LBA " + lba);
        }
    }

    /**
     * {@link LogVolume#readAsync}: the lookup on the caller's thread if the map's pages for the blocks are in memory
     * (else null: the blocking read loads them), the blocks in memory copied at once, the others fetched without a
     * thread waiting; the future completes on the store's thread with true, or false when a segment was deleted as
     * garbage meanwhile (the blocking read then looks again).
     */
    CompletableFuture<Boolean> readAsync(long lba, int blocks, ByteBuf dst) throws IOException {
        s.checkRange(lba, blocks);
        List<MappedRun> missing = new ArrayList<>();
        int start;
        synchronized (s) {
            s.ensureReadable();
            List<MappedRun> runs = s.map.lookupIfCached(lba, blocks);
            if (runs == null) return null;
            start = dst.writerIndex();
            dst.ensureWritable(blocks * s.blockSize);
            dst.writeZero(blocks * s.blockSize);
            for (MappedRun run : runs) {
                if (!copyFromMemory(run, lba, dst, start)) missing.add(run);
            }
            readAhead(lba, blocks);
        }
        if (missing.isEmpty()) return CompletableFuture.completedFuture(true);
        return fetch(missing, lba, dst, start).orTimeout(SegmentWriter.STORE_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** {@link #fetch}, waited for. */
    private boolean copyFromStore(List<MappedRun> runs, long lba, ByteBuf dst, int start) throws IOException {
        return Futures.await(fetch(runs, lba, dst, start), SegmentWriter.STORE_TIMEOUT_SECONDS, "segments for LBA " + lba);
    }

    /**
     * Fetches the runs' blocks into {@code dst}, segment by segment (see {@link #fetchSegment}), without holding the
     * lock; completes with false when a segment was deleted as garbage after the map was read: the map has moved on,
     * and the caller looks again.
     */
    private CompletableFuture<Boolean> fetch(List<MappedRun> runs, long lba, ByteBuf dst, int start) {
        Map<Long, Wanted> bySegment = new LinkedHashMap<>();
        for (MappedRun run : runs) bySegment.computeIfAbsent(run.seq(), seq -> new Wanted()).add(run, s.blockSize);
        List<CompletableFuture<Boolean>> each = new ArrayList<>();
        bySegment.forEach((seq, w) -> each.add(fetchSegment(seq, w, lba, dst, start)));
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(v -> each.stream().allMatch(CompletableFuture::join));
    }

    /**
     * From a segment already cached or being fetched (read ahead), or the whole segment when the runs span much of
     * it, else only the chunks holding them ({@link RangedReads}), and the whole segment if those cannot be trusted.
     */
    private CompletableFuture<Boolean> fetchSegment(long seq, Wanted w, long lba, ByteBuf dst, int start) {
        if (s.cache.contains(seq) || w.to - w.from > rangedReadLimit()) return fetchWhole(seq, w, lba, dst, start);
        return ranged.read(seq, w.from, w.to).thenCompose(part -> {
            if (part == null) return fetchWhole(seq, w, lba, dst, start);
            long partStart = SegmentChunks.alignedStart(w.from);
            for (MappedRun run : w.runs) {
                dst.setBytes(start + (int) ((run.lba() - lba) * s.blockSize), part, (int) (run.offset() - partStart),
                        (int) (run.blocks() * s.blockSize));
            }
            return CompletableFuture.completedFuture(true);
        });
    }

    private CompletableFuture<Boolean> fetchWhole(long seq, Wanted w, long lba, ByteBuf dst, int start) {
        return s.cache.acquire(seq, this::loadFromStore).thenApply(segment -> {
            if (segment == null) return false; // deleted as garbage after we looked
            try {
                for (MappedRun run : w.runs) copy(segment, run, lba, dst, start);
            } finally {
                segment.release();
            }
            return true;
        });
    }

    /** The runs a read wants from one segment, and the span of its data area they cover. */
    private static final class Wanted {
        final List<MappedRun> runs = new ArrayList<>();
        long from = Long.MAX_VALUE;
        long to;

        void add(MappedRun run, int blockSize) {
            runs.add(run);
            from = Math.min(from, run.offset());
            to = Math.max(to, run.offset() + run.blocks() * blockSize);
        }
    }

    /** Runs spanning more of a segment than this are read with the whole segment, which is then cached. */
    private long rangedReadLimit() {
        return Math.min(1 << 20, s.options.segmentBytes() / 4);
    }

    /** Serves the read only if every block is in memory (open, unstored or cached segments); else leaves dst alone. */
    boolean readIfCached(long lba, int blocks, ByteBuf dst) throws IOException {
        s.checkRange(lba, blocks);
        synchronized (s) {
            s.ensureReadable();
            List<MappedRun> runs = s.map.lookupIfCached(lba, blocks);
            if (runs == null) return false;
            for (MappedRun run : runs) {
                if (run.seq() != s.open.seq && !s.unstored.containsKey(run.seq()) && s.cache.get(run.seq()) == null) return false;
            }
            int start = dst.writerIndex();
            dst.ensureWritable(blocks * s.blockSize);
            dst.writeZero(blocks * s.blockSize);
            for (MappedRun run : runs) copyFromMemory(run, lba, dst, start);
            readAhead(lba, blocks);
            return true;
        }
    }

    BlockVolume.Extent extentAt(long lba) throws IOException {
        s.checkRange(lba, 1);
        long limit = Math.min(s.blockCount, lba + PROVISIONING_WINDOW_BLOCKS);
        long[] p = withPages(lba, limit - lba, pages -> s.map.provisioning(lba, limit, pages));
        return new BlockVolume.Extent(lba, p[1], p[0] == 1);
    }

    /**
     * A stored segment, from the cache or the store, for the caller to {@link Segment#release} when done with it; null
     * if it is not (or no longer) stored.
     */
    Segment acquire(long seq) throws IOException {
        return Futures.await(s.cache.acquire(seq, this::loadFromStore), SegmentWriter.STORE_TIMEOUT_SECONDS, "segment " + seq);
    }

    /** Copies a run from the open segment, an unstored one, or the cache; false if it is in none. The lock is held. */
    private boolean copyFromMemory(MappedRun run, long lba, ByteBuf dst, int start) {
        if (run.seq() == s.open.seq) {
            dst.setBytes(start + (int) ((run.lba() - lba) * s.blockSize), s.open.bytes, s.open.dataStart + (int) run.offset(),
                    (int) (run.blocks() * s.blockSize));
            return true;
        }
        Segment segment = s.unstored.get(run.seq());
        if (segment == null) segment = s.cache.get(run.seq());
        if (segment == null) return false;
        copy(segment, run, lba, dst, start);
        return true;
    }

    private void copy(Segment segment, MappedRun run, long lba, ByteBuf dst, int start) {
        dst.setBytes(start + (int) ((run.lba() - lba) * s.blockSize), segment.bytes, segment.dataStart + (int) run.offset(),
                (int) (run.blocks() * s.blockSize));
    }

    /**
     * When reads follow one another (a read begins where a recent one ended, or ends where one began: see
     * {@link RecentReads}), starts fetching the segments that hold the next {@code readAheadBytes} of blocks, each
     * range once, and at most {@code readAheadBytes} of segments: on a volume written at random the next blocks lie
     * in as many segments as there are blocks. The lock is held.
     */
    private void readAhead(long lba, int blocks) {
        long window = s.options.readAheadBytes() / s.blockSize;
        long end = lba + blocks;
        boolean follows = recent.followsAndAdd(lba, end);
        if (window == 0 || !follows) return; // random reads leave the stream's bookkeeping alone
        if (Math.abs(end - streamNext) > window) { // a new stream
            streamNext = end;
            readAheadUpTo = end;
        }
        streamNext = Math.max(streamNext, end);
        if (streamNext + window / 2 <= readAheadUpTo) return; // still well inside what was read ahead
        long from = Math.max(readAheadUpTo, streamNext);
        long to = Math.min(s.blockCount, streamNext + window);
        readAheadUpTo = to;
        if (from >= to) return;
        List<MappedRun> runs = s.map.lookupIfCached(from, to - from);
        if (runs != null) {
            fetchAhead(runs);
        } else {
            s.map.load(from, to - from).thenAccept(pages -> {
                synchronized (s) {
                    if (s.closed) return;
                    try {
                        fetchAhead(s.map.lookup(from, to - from, pages));
                    } catch (PagesMissingException changed) {
                        // the map changed meanwhile: this read-ahead is skipped, the next one catches up
                    }
                }
            });
        }
    }

    private void fetchAhead(List<MappedRun> runs) {
        Set<Long> wanted = new LinkedHashSet<>();
        long budget = Math.max(1, s.options.readAheadBytes() / s.options.segmentBytes());
        for (MappedRun run : runs) {
            if (wanted.size() >= budget) break;
            if (run.seq() != s.open.seq && !s.unstored.containsKey(run.seq()) && !s.cache.contains(run.seq())) wanted.add(run.seq());
        }
        for (long seq : wanted) s.cache.load(seq, this::loadFromStore);
    }

    private CompletableFuture<Segment> loadFromStore(long seq) {
        return store.get(s.segmentKey(seq)).thenApply(bytes -> bytes == null ? null : Segment.decode(bytes, s.volumeId, seq));
    }
}
