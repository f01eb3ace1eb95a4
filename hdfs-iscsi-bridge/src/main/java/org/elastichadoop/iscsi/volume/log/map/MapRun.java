package org.elastichadoop.iscsi.volume.log.map;

import java.util.ArrayList;
import java.util.List;

/**
 * One sorted run of the map: its records in LBA order, never overlapping, in stored pages. Only the pages' index is
 * in memory (their ids and the LBA range each covers: 28 bytes a page, a page holding up to
 * {@link RunBuilder#RECORDS_PER_PAGE} records); the pages themselves come through the page cache. A run hides, for
 * the blocks its records cover, every older run.
 */
final class MapRun {
    final long records;
    private final long[] pageIds;
    private final long[] firstLba;
    private final long[] endLba;
    private final int[] counts;

    MapRun(long[] pageIds, long[] firstLba, long[] endLba, int[] counts) {
        this.pageIds = pageIds;
        this.firstLba = firstLba;
        this.endLba = endLba;
        this.counts = counts;
        long n = 0;
        for (int c : counts) n += c;
        this.records = n;
    }

    int pages() {
        return pageIds.length;
    }

    long pageId(int i) {
        return pageIds[i];
    }

    long firstLba(int i) {
        return firstLba[i];
    }

    long endLba(int i) {
        return endLba[i];
    }

    int count(int i) {
        return counts[i];
    }

    /** The first page whose records end after {@code at}; {@link #pages()} if none. */
    int firstPageEndingAfter(long at) {
        int lo = 0;
        int hi = pageIds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (endLba[mid] > at) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** Ids of the pages holding records that overlap {@code [from, to)}. */
    List<Long> pagesOverlapping(long from, long to) {
        List<Long> ids = new ArrayList<>(2);
        for (int i = firstPageEndingAfter(from); i < pageIds.length && firstLba[i] < to; i++) ids.add(pageIds[i]);
        return ids;
    }

    List<Long> allPageIds() {
        List<Long> ids = new ArrayList<>(pageIds.length);
        for (long id : pageIds) ids.add(id);
        return ids;
    }

    long heapBytes() {
        return 64 + pageIds.length * 28L;
    }

    void encode(Varints.Writer w) {
        w.putVarLong(pageIds.length);
        long prevEnd = 0;
        for (int i = 0; i < pageIds.length; i++) {
            w.putVarLong(pageIds[i]).putVarLong(firstLba[i] - prevEnd).putVarLong(endLba[i] - firstLba[i]).putVarLong(counts[i]);
            prevEnd = endLba[i];
        }
    }

    static MapRun decode(Varints.Reader r) {
        int n = Math.toIntExact(r.getVarLong());
        long[] ids = new long[n];
        long[] first = new long[n];
        long[] end = new long[n];
        int[] counts = new int[n];
        long prevEnd = 0;
        for (int i = 0; i < n; i++) {
            ids[i] = r.getVarLong();
            first[i] = prevEnd + r.getVarLong();
            end[i] = first[i] + r.getVarLong();
            counts[i] = Math.toIntExact(r.getVarLong());
            prevEnd = end[i];
        }
        return new MapRun(ids, first, end, counts);
    }
}
