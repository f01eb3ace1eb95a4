package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.ByteBuf;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.volume.BlockVolume;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * A block device made of immutable entries in a store. Writes gather into an open segment (the write-back cache),
 * which is sealed and stored as one entry when full or when the initiator asks for durability; an LBA map, itself
 * kept in the store as pages, says which segment holds each block; checkpoints record the map's state. The volume
 * record in the catalog names the writer's epoch and the last checkpoint, and changes only by compare-and-set, so a
 * second bridge either takes the volume over (fencing this one) or is refused.
 *
 * <p>This class only wires its parts together, each a stage of a flow:
 * {@link Recovery} (open), {@link SegmentWriter} and {@link SegmentUploader} (writes), {@link ReadPath} (reads),
 * {@link Checkpointer}, {@link MapMerger} and {@link Compactor} run by {@link Maintenance} (background work); they
 * share a {@link VolumeState}, which is also their lock.
 */
public final class LogVolume implements BlockVolume {
    private static final Logger LOG = LogManager.getLogger(LogVolume.class);

    private final VolumeState state;
    private final ImmutableStore store;
    private final SegmentWriter writer;
    private final ReadPath reads;
    private final Checkpointer checkpointer;
    private final Compactor compactor;
    private final Maintenance maintenance;

    private LogVolume(ImmutableStore store, VolumeCatalog catalog, LogVolumeOptions options, Recovery.Recovered r) {
        this.store = store;
        this.state = new VolumeState(r.record(), r.epoch(), options, r.map(), r.nextSeq(), r.garbage());
        StorePages pages = new StorePages(store, r.record().id());
        CompletableFuture<Void> orphansDeleted = new CompletableFuture<>();
        SegmentUploader uploader = new SegmentUploader(state, store, this::maintenanceWanted);
        this.writer = new SegmentWriter(state, uploader, catalog, this::maintenanceWanted);
        this.reads = new ReadPath(state, store);
        this.checkpointer = new Checkpointer(state, store, pages, catalog, writer, orphansDeleted);
        this.compactor = new Compactor(state, writer, reads);
        this.maintenance = new Maintenance(state, checkpointer, new MapMerger(state), compactor);
        maintenance.first(() -> {
            try {
                int deleted = Orphans.delete(store, r.record(), r.epoch(), r.checkpoint());
                if (deleted > 0) LOG.info("Volume '{}': deleted {} entries an earlier writer stored but left unaccounted for", state.name, deleted);
                orphansDeleted.complete(null);
            } catch (IOException | RuntimeException e) {
                orphansDeleted.completeExceptionally(e);
            }
        });
    }

    /** Takes the volume over with a new writer epoch, recovers its state from the store, and serves it. */
    public static LogVolume open(ImmutableStore store, VolumeCatalog catalog, String name, LogVolumeOptions options) throws IOException {
        return new LogVolume(store, catalog, options, Recovery.recover(store, catalog, name, options));
    }

    /** For tests: a writer that calls {@code faults} at each named step of its background work. */
    static LogVolume open(ImmutableStore store, VolumeCatalog catalog, String name, LogVolumeOptions options, FaultPoints faults)
            throws IOException {
        LogVolume v = new LogVolume(store, catalog, options, Recovery.recover(store, catalog, name, options));
        synchronized (v.state) {
            v.state.faults = faults;
        }
        return v;
    }

    /** For tests: stops every thread of this writer at once, flushing and recording nothing (as kill -9 would). */
    void halt() {
        synchronized (state) {
            state.closed = true;
            state.fail(new IOException("volume '" + state.name + "': this writer was halted"));
            state.notifyAll();
        }
        maintenance.close();
    }

    private void maintenanceWanted() {
        maintenance.request();
    }

    @Override public int blockSize() { return state.blockSize; }
    @Override public long blockCount() { return state.blockCount; }
    @Override public boolean supportsUnmap() { return true; }
    @Override public String describe() { return "log volume '" + state.name + "' on " + store.describe(); }

    public long epoch() {
        return state.epoch;
    }

    @Override
    public void write(long lba, ByteBuf src, boolean fua) throws IOException {
        writer.write(lba, src, fua);
    }

    @Override
    public void unmap(long lba, long blocks) throws IOException {
        writer.unmap(lba, blocks);
    }

    @Override
    public void flush() throws IOException {
        writer.flush();
    }

    @Override
    public void read(long lba, int blocks, ByteBuf dst) throws IOException {
        reads.read(lba, blocks, dst);
    }

    @Override
    public boolean readIfCached(long lba, int blocks, ByteBuf dst) throws IOException {
        return reads.readIfCached(lba, blocks, dst);
    }

    @Override
    public java.util.concurrent.CompletableFuture<Boolean> readAsync(long lba, int blocks, ByteBuf dst) throws IOException {
        return reads.readAsync(lba, blocks, dst);
    }

    @Override
    public BlockVolume.Extent extentAt(long lba) throws IOException {
        return reads.extentAt(lba);
    }

    /**
     * Stores the map as of the last stored segment, points the record at it, then deletes what only older
     * checkpoints needed.
     */
    public void checkpoint() throws IOException {
        checkpointer.checkpoint();
    }

    /** Rewrites the live blocks of mostly dead segments; returns how many segments it emptied. */
    public int compact(int maxSegments) throws IOException {
        return compactor.compact(maxSegments);
    }

    /** Flushes and checkpoints (when this writer still owns the volume), then stops serving it. */
    @Override
    public void close() throws IOException {
        try {
            synchronized (state) {
                if (state.closed) return;
            }
            if (state.failure == null) {
                flush();
                checkpoint();
            }
        } finally {
            synchronized (state) {
                state.closed = true;
            }
            maintenance.close();
            state.cache.clear(); // a closed volume may stay referenced (a LUN being replaced); its cache need not
        }
    }

    /** For tests: where block {@code lba} comes from. */
    String explain(long lba) {
        synchronized (state) {
            return "LBA " + lba + " maps to " + state.map.lookupIfCached(lba, 1) + "; epochs " + state.epochs + ", open " + state.open.seq;
        }
    }

    /** For tests and benchmarks: the map's figures. */
    MapFigures mapFigures() {
        synchronized (state) {
            return new MapFigures(state.map.records(), state.map.runCount(), state.map.memtableRecords(), state.map.heapBytes(),
                    state.map.pageBytesWritten());
        }
    }

    record MapFigures(long records, int runs, int memtableRecords, long heapBytes, long pageBytesWritten) {}

    /** How often a new open segment reused an array (and how often it took a new one). */
    long[] segmentArraysReusedAndAllocated() {
        return state.arrays.reusedAndAllocated();
    }
}
