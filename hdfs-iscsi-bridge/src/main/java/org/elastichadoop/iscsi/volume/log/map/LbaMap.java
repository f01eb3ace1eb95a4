package org.elastichadoop.iscsi.volume.log.map;

import org.elastichadoop.kv.concurrent.Futures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which segment holds each written block, kept as a log-structured merge tree: the writes since the last checkpoint
 * in memory (the memtable), older ones in sorted runs of immutable pages in the volume's store, read through a
 * cache bounded in bytes. A write only touches the memtable; a checkpoint writes the memtable as a new run, and
 * runs are merged in the background ({@link MergePolicy}). For any block the newest layer that says something about
 * it wins; blocks no layer mentions, or that a hole covers, were never written or were unmapped, and read as zeros.
 *
 * <p>Threads: every method is called under the volume's lock, except {@link #load} and the I/O halves of checkpoints
 * and merges ({@link #flush}, {@link #merge}), which touch only immutable runs, pages and the store.
 */
public final class LbaMap {
    private static final long MERGE_READ_TIMEOUT_SECONDS = 60;

    private final int blockSize;
    private final PageCache cache;
    private final SegmentUsage usage;
    private final long pageEpoch;
    private final AtomicLong pageCounter = new AtomicLong();
    private final AtomicLong pageBytesWritten = new AtomicLong();
    private final PageStore store;
    private MemTable memtable;
    private MemTable frozen;
    /** Newest first; replaced, never changed in place, so that {@link #load} may read it without the lock. */
    private volatile List<MapRun> runs;
    private final List<Long> pageGarbage = new ArrayList<>();
    private long mergeFirstCounter = -1;

    private LbaMap(int blockSize, PageStore store, long cacheBytes, long pageEpoch, List<MapRun> runs, SegmentUsage usage) {
        this.blockSize = blockSize;
        this.store = store;
        this.cache = new PageCache(cacheBytes, store, blockSize);
        this.pageEpoch = pageEpoch;
        this.runs = List.copyOf(runs);
        this.usage = usage;
        this.memtable = new MemTable(blockSize);
    }

    /** A map with nothing written; the pages this writer stores get ids of {@code writerEpoch}. */
    public static LbaMap empty(int blockSize, PageStore store, long cacheBytes, long writerEpoch) {
        return new LbaMap(blockSize, store, cacheBytes, writerEpoch, List.of(), new SegmentUsage());
    }

    /** The map a checkpoint kept; writes replayed after it go on top. */
    public static LbaMap restore(int blockSize, PageStore store, long cacheBytes, long writerEpoch, MapState state) {
        return new LbaMap(blockSize, store, cacheBytes, writerEpoch, state.runs, state.usage.copy());
    }

    // ---- writes ----

    /** Points {@code [lba, lba + blocks)} at {@code seq}/{@code offset}, over whatever was there. */
    public void put(long lba, long blocks, long seq, long offset) {
        memtable.put(new MappedRun(lba, blocks, seq, offset), usage::subtract);
        usage.add(seq, blocks);
    }

    /** Forgets {@code [lba, lba + blocks)}: those blocks read as zeros again. */
    public void remove(long lba, long blocks) {
        memtable.put(MappedRun.hole(lba, blocks), usage::subtract);
    }

    // ---- segments ----

    /**
     * Blocks the map may point to: the volume's live data, from above (blocks overwritten since the last merge into
     * the oldest run may still be counted).
     */
    public long mappedBlocks() {
        return usage.totalBlocks();
    }

    /** Blocks of segment {@code seq} the map may still point to; 0: certainly none (the segment is dead). */
    public long liveBlocks(long seq) {
        return usage.live(seq);
    }

    public Set<Long> liveSegments() {
        return usage.segments();
    }

    /** Segments found dead since the previous call. */
    public List<Long> drainDied() {
        return usage.drainDied();
    }

    /** Compaction moved every block of {@code seq} the map still pointed to: it is dead. */
    public void retire(long seq) {
        usage.retire(seq);
    }

    // ---- lookups ----

    /** Loads (outside the lock) the pages a lookup of {@code [lba, lba + blocks)} may need. */
    public CompletableFuture<Pages> load(long lba, long blocks) {
        List<CompletableFuture<MapPage>> loads = new ArrayList<>();
        for (MapRun run : runs) {
            for (long id : run.pagesOverlapping(lba, lba + blocks)) loads.add(cache.get(id));
        }
        if (loads.isEmpty()) return CompletableFuture.completedFuture(Pages.NONE);
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new))
                .thenApply(v -> Pages.of(loads.stream().map(CompletableFuture::join).toList()));
    }

    /**
     * The mapped runs overlapping {@code [lba, lba + blocks)}, clipped to it, in LBA order.
     *
     * @throws PagesMissingException when a page it needs is neither in {@code pages} nor cached
     */
    public List<MappedRun> lookup(long lba, long blocks, Pages pages) {
        List<MappedRun> found = resolve(lba, lba + blocks, pages);
        found.removeIf(MappedRun::isHole);
        return found;
    }

    /** {@link #lookup} from memory alone; null when a page it needs is not cached. */
    public List<MappedRun> lookupIfCached(long lba, long blocks) {
        try {
            return lookup(lba, blocks, Pages.NONE);
        } catch (PagesMissingException e) {
            return null;
        }
    }

    /**
     * From {@code lba}: whether it is mapped, and how many blocks up to {@code limit} share that state. The pages
     * for {@code [lba, limit)} must be loaded.
     */
    public long[] provisioning(long lba, long limit, Pages pages) {
        List<MappedRun> found = lookup(lba, limit - lba, pages);
        if (found.isEmpty() || found.get(0).lba() > lba) {
            return new long[]{0, (found.isEmpty() ? limit : found.get(0).lba()) - lba};
        }
        long end = found.get(0).end();
        for (int i = 1; i < found.size() && found.get(i).lba() == end; i++) end = found.get(i).end();
        return new long[]{1, end - lba};
    }

    private List<MappedRun> resolve(long from, long to, Pages pages) {
        List<MappedRun> found = new ArrayList<>();
        List<long[]> gaps = List.<long[]>of(new long[]{from, to});
        gaps = uncovered(memtable::collect, gaps, found);
        if (frozen != null && !gaps.isEmpty()) gaps = uncovered(frozen::collect, gaps, found);
        for (MapRun run : runs) {
            if (gaps.isEmpty()) break;
            gaps = uncovered((a, b, out) -> collect(run, a, b, pages, out), gaps, found);
        }
        found.sort(Comparator.comparingLong(MappedRun::lba));
        return found;
    }

    private interface Layer {
        void collect(long from, long to, List<MappedRun> out);
    }

    /** Adds what {@code layer} says about the gaps to {@code found}; returns what is still unsaid. */
    private static List<long[]> uncovered(Layer layer, List<long[]> gaps, List<MappedRun> found) {
        List<long[]> left = new ArrayList<>();
        List<MappedRun> here = new ArrayList<>();
        for (long[] gap : gaps) {
            here.clear();
            layer.collect(gap[0], gap[1], here);
            long at = gap[0];
            for (MappedRun r : here) {
                if (r.lba() > at) left.add(new long[]{at, r.lba()});
                found.add(r);
                at = r.end();
            }
            if (at < gap[1]) left.add(new long[]{at, gap[1]});
        }
        return left;
    }

    private void collect(MapRun run, long from, long to, Pages pages, List<MappedRun> out) {
        for (int i = run.firstPageEndingAfter(from); i < run.pages() && run.firstLba(i) < to; i++) {
            long id = run.pageId(i);
            MapPage page = pages.get(id);
            if (page == null) page = cache.getIfPresent(id);
            if (page == null) throw new PagesMissingException(id);
            page.collect(from, to, blockSize, out);
        }
    }

    // ---- checkpoints ----

    /**
     * Freezes the memtable for a checkpoint: what the map is now (the caller makes sure that is the map as of the
     * checkpoint's last segment) becomes a run by {@link #flush}, outside the lock, while writes go to a new one.
     */
    public Frozen freeze() {
        if (frozen != null) throw new IllegalStateException("a checkpoint is already under way");
        frozen = memtable;
        memtable = new MemTable(blockSize);
        long orphansFrom = mergeFirstCounter >= 0 ? mergeFirstCounter : pageCounter.get();
        List<Long> garbage = new ArrayList<>(pageGarbage);
        pageGarbage.clear();
        return new Frozen(frozen, runs, usage.copy(), garbage, orphansFrom);
    }

    /** Writes the frozen memtable as a run (no run if it is empty). */
    public Flushed flush(Frozen f) throws IOException {
        if (f.table.isEmpty()) return new Flushed(f, null, List.of());
        RunBuilder out = new RunBuilder(store, this::nextPageId, blockSize, true);
        try {
            for (MappedRun r : f.table.all()) out.add(r);
            MapRun run = out.finish();
            return new Flushed(f, run, out.keptPages());
        } finally {
            pageBytesWritten.addAndGet(out.bytesWritten());
        }
    }

    /** Puts the flushed run in the frozen memtable's place; returns the map state for the checkpoint's record. */
    public MapState install(Flushed flushed) {
        Frozen f = flushed.frozen;
        List<MapRun> before = f.runs;
        if (flushed.run != null) {
            List<MapRun> now = new ArrayList<>(runs.size() + 1);
            now.add(flushed.run);
            now.addAll(runs);
            runs = List.copyOf(now);
            before = new ArrayList<>(f.runs);
            before.add(0, flushed.run);
            for (MapPage p : flushed.pages) cache.put(p);
        }
        frozen = null;
        return new MapState(pageEpoch, f.orphansFrom, before, f.usage);
    }

    /** The flush failed: its records go back under the memtable's, as if never frozen. */
    public void unfreeze(Frozen f) {
        if (frozen != f.table) return;
        for (MappedRun r : f.table.all()) memtable.putUnder(r);
        frozen = null;
        pageGarbage.addAll(f.pageGarbage);
    }

    /** Pages a recorded checkpoint listed as no longer needed: deleted after the next checkpoint. */
    public void pageGarbage(List<Long> ids) {
        pageGarbage.addAll(ids);
    }

    /** The checkpoint's record could not be written: the pages it was to let go of wait for the next one. */
    public void checkpointFailed(Frozen f) {
        pageGarbage.addAll(f.pageGarbage);
    }

    /** A memtable frozen for a checkpoint, with the state of the rest of the map at that moment. */
    public static final class Frozen {
        private final MemTable table;
        private final List<MapRun> runs;
        private final SegmentUsage usage;
        private final List<Long> pageGarbage;
        private final long orphansFrom;

        private Frozen(MemTable table, List<MapRun> runs, SegmentUsage usage, List<Long> pageGarbage, long orphansFrom) {
            this.table = table;
            this.runs = runs;
            this.usage = usage;
            this.pageGarbage = pageGarbage;
            this.orphansFrom = orphansFrom;
        }

        /** Pages no run of this checkpoint needs: delete them once its record is durable. */
        public List<Long> pageGarbage() {
            return pageGarbage;
        }

        /** Blocks each segment had, as the checkpoint will record them. */
        public long liveBlocks(long seq) {
            return usage.live(seq);
        }

        public int records() {
            return table.size();
        }
    }

    public static final class Flushed {
        private final Frozen frozen;
        private final MapRun run;
        private final List<MapPage> pages;

        private Flushed(Frozen frozen, MapRun run, List<MapPage> pages) {
            this.frozen = frozen;
            this.run = run;
            this.pages = pages;
        }
    }

    // ---- merges ----

    /** The next merge {@link MergePolicy} asks for, or null (none needed, or one is under way). */
    public Merge planMerge() {
        if (mergeFirstCounter >= 0) return null;
        List<MapRun> now = runs;
        MergePolicy.Plan plan = MergePolicy.plan(now.stream().map(r -> r.records).toList());
        if (plan.isNone()) return null;
        mergeFirstCounter = pageCounter.get();
        return new Merge(now.subList(plan.from(), plan.to()), plan.to() == now.size());
    }

    /** A merge of every run into one, which finds every overwritten block (null if one is under way or there is one run or none). */
    public Merge planFullMerge() {
        List<MapRun> now = runs;
        if (mergeFirstCounter >= 0 || now.size() < 2) return null;
        mergeFirstCounter = pageCounter.get();
        return new Merge(now, true);
    }

    /** Writes the merged run; reads pages past the cache, which a merge would otherwise flush. */
    public Merged merge(Merge m) throws IOException {
        RunBuilder out = new RunBuilder(store, this::nextPageId, blockSize, false);
        RunMerger merger = new RunMerger(blockSize,
                id -> Futures.await(cache.getPassingBy(id), MERGE_READ_TIMEOUT_SECONDS, "reading map page " + id));
        try {
            Map<Long, Long> dead = merger.merge(m.inputs, m.bottom, out);
            return new Merged(m, out.finish(), dead);
        } catch (IOException | RuntimeException e) {
            m.written.addAll(out.pageIds());
            throw e;
        } finally {
            pageBytesWritten.addAndGet(out.bytesWritten());
        }
    }

    /** Puts the merged run in its inputs' place and counts what it found dead. */
    public void install(Merged merged) {
        List<MapRun> now = new ArrayList<>(runs);
        List<MapRun> inputs = merged.merge.inputs;
        int at = indexOf(now, inputs.get(0));
        for (int i = 0; i < inputs.size(); i++) {
            if (at < 0 || now.get(at + i) != inputs.get(i)) throw new IllegalStateException("the merged runs changed under the merge");
        }
        now.subList(at, at + inputs.size()).clear();
        if (merged.run.pages() > 0) now.add(at, merged.run);
        runs = List.copyOf(now);
        for (MapRun r : inputs) {
            for (long id : r.allPageIds()) {
                pageGarbage.add(id);
                cache.forget(id);
            }
        }
        merged.dead.forEach(usage::subtract);
        mergeFirstCounter = -1;
    }

    /** The merge failed: the pages it wrote are garbage, the runs stay as they were. */
    public void abandon(Merge m) {
        pageGarbage.addAll(m.written);
        mergeFirstCounter = -1;
    }

    private static int indexOf(List<MapRun> list, MapRun run) {
        for (int i = 0; i < list.size(); i++) if (list.get(i) == run) return i;
        return -1;
    }

    public static final class Merge {
        private final List<MapRun> inputs;
        private final boolean bottom;
        private final List<Long> written = new ArrayList<>();

        private Merge(List<MapRun> inputs, boolean bottom) {
            this.inputs = List.copyOf(inputs);
            this.bottom = bottom;
        }

        public int runs() {
            return inputs.size();
        }

        public long records() {
            return inputs.stream().mapToLong(r -> r.records).sum();
        }
    }

    public static final class Merged {
        private final Merge merge;
        private final MapRun run;
        private final Map<Long, Long> dead;

        private Merged(Merge merge, MapRun run, Map<Long, Long> dead) {
            this.merge = merge;
            this.run = run;
            this.dead = dead;
        }

        public long records() {
            return run.records;
        }
    }

    // ---- for the volume's status and the benchmarks ----

    private long nextPageId() {
        return PageIds.of(pageEpoch, pageCounter.getAndIncrement());
    }

    /** Bytes of map pages written by this writer (flushes and merges). */
    public long pageBytesWritten() {
        return pageBytesWritten.get();
    }

    /** Records in the memtable(s) and the runs (a block overwritten since the last merge counts twice). */
    public long records() {
        long n = memtable.size() + (frozen == null ? 0 : frozen.size());
        for (MapRun r : runs) n += r.records;
        return n;
    }

    public int runCount() {
        return runs.size();
    }

    public int memtableRecords() {
        return memtable.size() + (frozen == null ? 0 : frozen.size());
    }

    /** Bytes the map holds in memory: cached pages, the runs' page index, and an estimate for the memtables. */
    public long heapBytes() {
        long indexes = 0;
        for (MapRun r : runs) indexes += r.heapBytes();
        return cache.bytes() + indexes + memtableRecords() * 120L + usage.segments().size() * 80L;
    }
}
