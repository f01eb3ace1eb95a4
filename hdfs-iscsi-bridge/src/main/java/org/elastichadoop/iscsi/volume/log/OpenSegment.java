package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/** The segment being filled: entries and their data, in memory until it is sealed. */
final class OpenSegment {
    final long seq;
    final List<Segment.Entry> entries = new ArrayList<>();
    final byte[] data;
    int length;

    OpenSegment(long seq, int capacity) {
        this.seq = seq;
        this.data = new byte[capacity];
    }

    int roomInBlocks(int blockSize) {
        if (entries.size() >= maxEntries()) return 0;
        return (data.length - length) / blockSize;
    }

    boolean isFull(int blockSize) {
        return roomInBlocks(blockSize) == 0;
    }

    /** Entries per segment are bounded so the header stays small next to the data. */
    int maxEntries() {
        return Math.max(16, data.length / 4096);
    }

    /** Copies bytes in; returns their offset in the data area. */
    long append(ByteBuf src, int index, int bytes) {
        int offset = length;
        src.getBytes(index, data, offset, bytes);
        length += bytes;
        return offset;
    }
}
