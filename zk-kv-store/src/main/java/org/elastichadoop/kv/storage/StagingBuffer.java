package org.elastichadoop.kv.storage;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The end of a tail segment that O_DIRECT writes have not written yet, held in aligned direct memory. What is
 * staged always starts at a block boundary: after a write the last, partial block stays staged, so that the next
 * write can rewrite that block whole, with the records that followed.
 *
 * <p>Two buffers take turns: appends fill the current one while the other one's content is being written.
 * Readers copy records that are not on disk yet from here. Methods are synchronized and do no I/O.
 */
final class StagingBuffer {

    /** Staged bytes taken for one write: {@code buffer[0, paddedBytes)} goes to the file at {@code fileOffset}. */
    record Batch(ByteBuffer buffer, long fileOffset, int bytes, int paddedBytes) {
        long end() {
            return fileOffset + bytes;
        }
    }

    private final int alignment;
    private final byte[] zeros;
    private ByteBuffer current;
    /** File offset of {@code current[0]}; a multiple of the alignment. */
    private long currentStart;
    private int currentBytes;
    /** The other buffer; null while its content is being written. */
    private ByteBuffer spare;
    private Batch writing;
    /** Everything before this file offset has been written (not necessarily forced). */
    private long writtenEnd;

    /**
     * @param current holds the file's bytes from the last block boundary at or before {@code end} up to
     *                {@code end}, at index 0
     * @param end     the file's length, all of it already written
     */
    StagingBuffer(ByteBuffer current, ByteBuffer spare, int alignment, long end) {
        if (current.capacity() != spare.capacity() || current.capacity() < 2 * alignment
                || current.capacity() % alignment != 0) {
            throw new IllegalArgumentException("staging buffers must be equal multiples of " + alignment
                    + " bytes, at least two blocks");
        }
        this.alignment = alignment;
        this.zeros = new byte[alignment];
        this.current = current;
        this.spare = spare;
        this.currentStart = end - end % alignment;
        this.currentBytes = (int) (end - currentStart);
        this.writtenEnd = end;
    }

    /** Copies as much of {@code src} as fits, advancing its position; what is left needs a write first. */
    synchronized void stage(ByteBuffer src) {
        if (current == null) {
            throw new IllegalStateException("staging buffer released");
        }
        int n = Math.min(current.capacity() - currentBytes, src.remaining());
        current.put(currentBytes, src, src.position(), n);
        src.position(src.position() + n);
        currentBytes += n;
    }

    /**
     * Takes everything staged for one write, zero-padded to a whole block; appends continue in the other buffer,
     * which starts with a copy of the partial last block. Null if there is nothing new to write.
     */
    synchronized Batch takeBatch() {
        if (writing != null) {
            throw new IllegalStateException("a write of staged bytes is already in flight");
        }
        if (currentStart + currentBytes <= writtenEnd) {
            return null;
        }
        int bytes = currentBytes;
        int keepFrom = bytes - bytes % alignment;
        int padded = bytes == keepFrom ? bytes : keepFrom + alignment;
        // The buffers are reused: without this, padding would carry bytes of an earlier write.
        current.put(bytes, zeros, 0, padded - bytes);
        spare.put(0, current, keepFrom, bytes - keepFrom);
        writing = new Batch(current, currentStart, bytes, padded);
        current = spare;
        spare = null;
        currentStart += keepFrom;
        currentBytes = bytes - keepFrom;
        return writing;
    }

    /** The batch is on disk: readers may read it from the file, and its buffer is free again. */
    synchronized void written(Batch batch) {
        if (batch != writing) {
            throw new IllegalStateException("not the batch in flight");
        }
        writtenEnd = batch.end();
        spare = batch.buffer();
        writing = null;
    }

    /**
     * Copies into {@code dst}, at the matching places, the not yet written part of the {@code dst.remaining()}
     * bytes at file offset {@code position}; returns how many leading bytes are not copied, to be read from the
     * file. Leaves {@code dst}'s position and limit alone.
     *
     * <p>Written bytes are read from the file even in the partial block that the next write rewrites: the
     * rewrite carries the same bytes there, and Linux keeps the page cache coherent with O_DIRECT writes. So
     * reads still see what is on disk, damage included.
     */
    synchronized int copyStaged(ByteBuffer dst, long position) throws EOFException {
        int length = dst.remaining();
        long end = position + length;
        if (end <= writtenEnd) {
            return length;
        }
        if (end > currentStart + currentBytes) {
            throw new EOFException("reading up to offset " + end + ", past the last staged byte at "
                    + (currentStart + currentBytes));
        }
        // Staged bytes start at a block boundary at or before writtenEnd, so whatever precedes them is written.
        long from = Math.max(position, writing != null ? writing.fileOffset() : currentStart);
        long at = from;
        if (at < currentStart) {
            int n = (int) (Math.min(end, currentStart) - at);
            dst.put(dst.position() + (int) (at - position), writing.buffer(), (int) (at - writing.fileOffset()), n);
            at += n;
        }
        if (at < end) {
            dst.put(dst.position() + (int) (at - position), current, (int) (at - currentStart), (int) (end - at));
        }
        return (int) (from - position);
    }

    /** Hands the buffers back for reuse; everything staged must have been written. Reads then go to the file. */
    synchronized List<ByteBuffer> release() {
        if (writing != null || currentStart + currentBytes > writtenEnd) {
            throw new IllegalStateException("staged bytes not written yet");
        }
        List<ByteBuffer> buffers = List.of(current, spare);
        current = null;
        spare = null;
        return buffers;
    }
}
