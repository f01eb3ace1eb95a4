package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Reads a segment through a window, so scanning many small records costs few system calls. */
final class PositionalInput {
    private static final int WINDOW_BYTES = 1 << 20;

    private final Segment segment;
    private final long limit;
    private ByteBuffer window = ByteBuffer.allocate(0);
    private long windowStart;

    PositionalInput(Segment segment, long limit) {
        this.segment = segment;
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    /**
     * The {@code length} bytes at {@code pos}, as a buffer positioned at 0 that stays valid until the next
     * call; null if they reach past the limit.
     */
    ByteBuffer slice(long pos, int length) throws IOException {
        if (pos < 0 || length < 0 || pos > limit - length) {
            return null;
        }
        if (pos < windowStart || pos + length > windowStart + window.limit()) {
            fill(pos, length);
        }
        return window.slice((int) (pos - windowStart), length);
    }

    /** The unsigned byte at {@code pos}, or -1 past the limit. */
    int byteAt(long pos) throws IOException {
        if (pos < 0 || pos >= limit) {
            return -1;
        }
        if (pos < windowStart || pos >= windowStart + window.limit()) {
            fill(pos, 1);
        }
        return window.get((int) (pos - windowStart)) & 0xFF;
    }

    private void fill(long pos, int length) throws IOException {
        int size = (int) Math.min(Math.max(length, WINDOW_BYTES), limit - pos);
        if (window.capacity() < size) {
            window = ByteBuffer.allocate(size);
        }
        windowStart = pos;
        window.clear().limit(size);
        try {
            segment.readFully(window, pos);
        } catch (IOException | RuntimeException e) {
            window.limit(0);
            throw e;
        }
        window.flip();
    }
}
