package org.elastichadoop.iscsi.volume.log.map;

import java.util.ArrayList;
import java.util.List;

/**
 * What a checkpoint keeps of the map: the index of its runs (not their pages, which are already stored), each
 * segment's live-block count, and where pages the writer may have left unreferenced start.
 *
 * <pre>
 * writer epoch varint | orphans from (page counter) varint | runs varint | per run: pages varint,
 *   per page: id, first LBA (as a gap from the previous page's end), LBA span, records (varints)
 * | segments varint | per segment: seq (as a gap from the previous) varint, live blocks varint
 * </pre>
 */
public final class MapState {
    final long writerEpoch;
    /** Pages of {@link #writerEpoch} from this counter on may exist without being referenced here. */
    final long orphansFrom;
    final List<MapRun> runs;
    final SegmentUsage usage;

    MapState(long writerEpoch, long orphansFrom, List<MapRun> runs, SegmentUsage usage) {
        this.writerEpoch = writerEpoch;
        this.orphansFrom = orphansFrom;
        this.runs = List.copyOf(runs);
        this.usage = usage;
    }

    public long writerEpoch() {
        return writerEpoch;
    }

    public long orphansFrom() {
        return orphansFrom;
    }

    /** Every page the runs are made of. */
    public List<Long> pageIds() {
        List<Long> ids = new ArrayList<>();
        for (MapRun r : runs) ids.addAll(r.allPageIds());
        return ids;
    }

    /** Segments the map may point into. */
    public java.util.Set<Long> segments() {
        return usage.segments();
    }

    public int runCount() {
        return runs.size();
    }

    public long records() {
        long n = 0;
        for (MapRun r : runs) n += r.records;
        return n;
    }

    /**
     * The segments this state's runs point into for some block (newest record winning), read from the stored pages
     * rather than taken from the segment counts: for checks that the counts and the store agree.
     */
    public java.util.Set<Long> segmentsPointedTo(PageStore store, int blockSize) throws java.io.IOException {
        java.util.Set<Long> seqs = new java.util.TreeSet<>();
        RunMerger merger = new RunMerger(blockSize, id -> {
            byte[] bytes = org.elastichadoop.kv.concurrent.Futures.await(store.get(id), 60, "map page " + id);
            if (bytes == null) throw new java.io.IOException("map page " + id + " is missing from the store");
            return MapPage.decode(id, bytes, blockSize);
        });
        merger.merge(runs, true, r -> seqs.add(r.seq()));
        return seqs;
    }

    public byte[] encode() {
        Varints.Writer w = new Varints.Writer(64 + runs.stream().mapToInt(MapRun::pages).sum() * 12 + usage.segments().size() * 4);
        w.putVarLong(writerEpoch).putVarLong(orphansFrom).putVarLong(runs.size());
        for (MapRun r : runs) r.encode(w);
        usage.encode(w);
        return w.toArray();
    }

    public static MapState decode(byte[] bytes, int from, int to) {
        Varints.Reader r = new Varints.Reader(bytes, from, to);
        long epoch = r.getVarLong();
        long orphansFrom = r.getVarLong();
        int n = Math.toIntExact(r.getVarLong());
        List<MapRun> runs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) runs.add(MapRun.decode(r));
        SegmentUsage usage = SegmentUsage.decode(r);
        if (!r.atEnd()) throw new IllegalArgumentException("map state has " + (to - r.position()) + " bytes too many");
        return new MapState(epoch, orphansFrom, runs, usage);
    }
}
