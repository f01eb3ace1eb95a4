package org.elastichadoop.iscsi.volume.log;

import org.elastichadoop.iscsi.volume.log.map.LbaMap;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * What one writer of a log volume knows, shared by the parts of {@link LogVolume}. This object is also their lock:
 * every field that is not final is read and changed only while holding it, and waiting writers wait on it.
 */
final class VolumeState {
    final String name;
    final String volumeId;
    final int blockSize;
    final long blockCount;
    final long epoch;
    final List<VolumeRecord.EpochStart> epochs;
    final LogVolumeOptions options;
    final LbaMap map;
    final SegmentCache cache;
    /** Arrays of segments nothing reads any more, for the next open segments. */
    final SegmentArrays arrays;

    long nextSeq;
    OpenSegment open;
    /** Sealed segments not yet acknowledged by the store, and the puts storing them (until done). */
    final Map<Long, Segment> unstored = new TreeMap<>();
    final Map<Long, CompletableFuture<Void>> puts = new TreeMap<>();
    long unstoredBytes;
    int segmentsSinceCheckpoint;
    VolumeRecord.Checkpoint checkpoint;
    /** Dead segments, deleted once a checkpoint that does not need them is recorded. */
    final Set<Long> garbage = new HashSet<>();
    /** Encoded sizes of stored segments this writer knows (the others are taken as full). */
    final Map<Long, Integer> storedSizes = new HashMap<>();
    /** The sum of storedSizes: what this writer keeps in the store, dead segments not yet deleted included. */
    long storedBytes;
    IOException failure;
    boolean closed;
    long lastWriteNanos = System.nanoTime();
    /** Where tests stop the writer; nothing in production. */
    volatile FaultPoints faults = FaultPoints.NONE;

    VolumeState(VolumeRecord record, long epoch, LogVolumeOptions options, LbaMap map, long nextSeq, Set<Long> garbage) {
        this.name = record.name();
        this.volumeId = record.id();
        this.blockSize = record.blockSize();
        this.blockCount = record.sizeBytes() / record.blockSize();
        this.epoch = epoch;
        this.epochs = record.epochs();
        this.options = options;
        this.map = map;
        this.nextSeq = nextSeq;
        this.checkpoint = record.checkpoint();
        this.garbage.addAll(garbage);
        this.arrays = new SegmentArrays(OpenSegment.arraySize(volumeId, options.segmentBytes()),
                SegmentArrays.keepFor(options.cacheBytes(), options.segmentBytes()));
        this.open = newOpenSegment(nextSeq);
        this.cache = new SegmentCache(options.cacheBytes());
    }

    /** The open segment numbered {@code seq}, in a reused array when one is free. The lock is held (or not yet shared). */
    OpenSegment newOpenSegment(long seq) {
        return new OpenSegment(volumeId, epoch, seq, options.segmentBytes(), arrays);
    }

    String segmentKey(long seq) {
        return VolumeKeys.segment(volumeId, VolumeKeys.epochOf(epochs, seq), seq);
    }

    void checkRange(long lba, long blocks) throws IOException {
        if (lba < 0 || blocks < 0 || lba + blocks > blockCount) {
            throw new IOException("blocks " + lba + ".." + (lba + blocks - 1) + " are outside volume '" + name + "' (" + blockCount + " blocks)");
        }
    }

    void ensureUsable() throws IOException {
        if (failure != null) throw failure;
        if (closed) throw new IOException("volume '" + name + "' is closed");
    }

    void ensureReadable() throws IOException {
        if (closed) throw new IOException("volume '" + name + "' is closed");
    }

    /** Stops writes for good (fenced, or the store failed): every later write and flush gets {@code e}. */
    void fail(IOException e) {
        if (failure == null) failure = e;
    }

    long liveBytes() {
        return map.mappedBlocks() * blockSize;
    }

    /** The highest sequence number such that it and every earlier segment are stored. */
    long storedThrough() {
        long lowestUnstored = unstored.isEmpty() ? open.seq : unstored.keySet().iterator().next();
        return lowestUnstored - 1;
    }

    /**
     * Sealed segments the map found dead become garbage. (The open segment can still gain blocks: it is judged when
     * sealed.)
     */
    void collectGarbage() {
        for (long seq : map.drainDied()) if (seq < open.seq) garbage.add(seq);
    }

    /** A dead segment was deleted from the store. */
    void deleted(long seq) {
        garbage.remove(seq);
        cache.remove(seq);
        Integer size = storedSizes.remove(seq);
        if (size != null) storedBytes -= size;
        notifyAll(); // writers waiting for garbage collection
    }
}
