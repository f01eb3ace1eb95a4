package org.elastichadoop.iscsi.volume.log.map;

import org.elastichadoop.kv.concurrent.Futures;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Writes a run: takes records in LBA order, joins a record to the one before when it continues it, cuts pages of
 * {@link #RECORDS_PER_PAGE} records and stores them with a few puts in flight.
 */
final class RunBuilder implements RunMerger.Sink {
    static final int RECORDS_PER_PAGE = 4096;
    private static final int PUTS_IN_FLIGHT = 16;
    private static final long PUT_TIMEOUT_SECONDS = 60;

    private final PageStore store;
    private final LongSupplier nextPageId;
    private final int blockSize;
    private final boolean keepPages;
    private final List<MappedRun> pending = new ArrayList<>();
    private final Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    private final List<Long> ids = new ArrayList<>();
    private final List<Long> first = new ArrayList<>();
    private final List<Long> end = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private final List<MapPage> kept = new ArrayList<>();
    private long bytesWritten;

    /** {@code keepPages}: also keep the pages decoded (a flushed memtable's pages are the hottest; they go to the cache). */
    RunBuilder(PageStore store, LongSupplier nextPageId, int blockSize, boolean keepPages) {
        this.store = store;
        this.nextPageId = nextPageId;
        this.blockSize = blockSize;
        this.keepPages = keepPages;
    }

    @Override
    public void add(MappedRun r) throws IOException {
        if (!pending.isEmpty()) {
            MappedRun last = pending.get(pending.size() - 1);
            if (r.lba() < last.end()) throw new IllegalArgumentException("record at LBA " + r.lba() + " overlaps the one before");
            if (last.continuedBy(r, blockSize)) {
                pending.set(pending.size() - 1, new MappedRun(last.lba(), last.blocks() + r.blocks(), last.seq(), last.offset()));
                return;
            }
        }
        if (pending.size() == RECORDS_PER_PAGE) writePage();
        pending.add(r);
    }

    MapRun finish() throws IOException {
        if (!pending.isEmpty()) writePage();
        while (!inFlight.isEmpty()) Futures.await(inFlight.removeFirst(), PUT_TIMEOUT_SECONDS, "storing a map page");
        long[] idArray = new long[ids.size()];
        long[] firstArray = new long[ids.size()];
        long[] endArray = new long[ids.size()];
        int[] countArray = new int[ids.size()];
        for (int i = 0; i < idArray.length; i++) {
            idArray[i] = ids.get(i);
            firstArray[i] = first.get(i);
            endArray[i] = end.get(i);
            countArray[i] = counts.get(i);
        }
        return new MapRun(idArray, firstArray, endArray, countArray);
    }

    /** Ids of the pages written so far (to delete them when the run is abandoned). */
    List<Long> pageIds() {
        return List.copyOf(ids);
    }

    List<MapPage> keptPages() {
        return kept;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    private void writePage() throws IOException {
        long id = nextPageId.getAsLong();
        byte[] bytes = MapPage.encode(id, pending, blockSize);
        ids.add(id);
        first.add(pending.get(0).lba());
        end.add(pending.get(pending.size() - 1).end());
        counts.add(pending.size());
        if (keepPages) kept.add(MapPage.of(id, pending));
        pending.clear();
        while (inFlight.size() >= PUTS_IN_FLIGHT) Futures.await(inFlight.removeFirst(), PUT_TIMEOUT_SECONDS, "storing a map page");
        inFlight.addLast(store.put(id, bytes));
        bytesWritten += bytes.length;
    }
}
