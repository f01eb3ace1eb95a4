package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * The segment being filled. Its array is laid out as the stored segment will be (header, data,
 * then room for the entry table), so sealing it writes the trailer and nothing is copied again.
 */
final class OpenSegment {
    final long seq;
    final List<Segment.Entry> entries = new ArrayList<>();
    final byte[] bytes;
    final int dataStart;
    private final int capacity;
    int length;

    private final SegmentArrays arrays;

    /** A segment in a new array that is not reused afterwards. */
    OpenSegment(String volumeId, long epoch, long seq, int capacity) {
        this(volumeId, epoch, seq, capacity, null);
    }

    /** A segment in an array from {@code arrays} (sized by {@link #arraySize}), returned there once nothing reads it. */
    OpenSegment(String volumeId, long epoch, long seq, int capacity, SegmentArrays arrays) {
        this.seq = seq;
        this.capacity = capacity;
        this.arrays = arrays;
        this.dataStart = Segment.headerBytes(volumeId);
        this.bytes = arrays != null ? arrays.take() : new byte[arraySize(volumeId, capacity)];
        Segment.writeHeader(bytes, volumeId, epoch, seq);
    }

    /** The array a segment of {@code capacity} data bytes is built in: header, data, room for the trailer. */
    static int arraySize(String volumeId, int capacity) {
        return Segment.headerBytes(volumeId) + capacity + Segment.trailerBytes(maxEntriesFor(capacity), capacity);
    }

    int roomInBlocks(int blockSize) {
        if (entries.size() >= maxEntries()) return 0;
        return (capacity - length) / blockSize;
    }

    boolean isFull(int blockSize) {
        return roomInBlocks(blockSize) == 0;
    }

    /** Entries per segment are bounded so the entry table stays small next to the data. */
    int maxEntries() {
        return maxEntriesFor(capacity);
    }

    private static int maxEntriesFor(int capacity) {
        return Math.max(16, capacity / 4096);
    }

    /** Copies bytes in; returns their offset in the data area. */
    long append(ByteBuf src, int index, int count) {
        int offset = length;
        src.getBytes(index, bytes, dataStart + offset, count);
        length += count;
        return offset;
    }

    Segment seal() {
        return Segment.seal(bytes, dataStart, seq, entries, length, arrays);
    }
}
