package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One append-only segment file, {@code NNNNNNNNNNNNNNNNNNNN.seg}, with its optional hint file. Only the
 * appender writes to it, under its lock; reads are positional and may run concurrently with anything.
 *
 * <p>The tail segment may be written with O_DIRECT by a {@link DirectTailWriter}; its file then ends in zero
 * padding up to a block boundary until the segment is sealed or closed, when the padding is cut off. Reads go
 * through the ordinary channel, except for records still staged in memory.
 */
final class Segment {
    static final String SEGMENT_SUFFIX = ".seg";
    static final String HINT_SUFFIX = ".hint";
    private static final int SEQUENCE_DIGITS = 20;
    private static final OpenOption[] READ_WRITE = {StandardOpenOption.READ, StandardOpenOption.WRITE};
    private static final OpenOption[] READ_ONLY = {StandardOpenOption.READ};

    enum State {
        /** The tail: receives appends. */
        ACTIVE,
        /** Rolled over; waiting for its final fsync. */
        SEALING,
        /** Durable and immutable; may be compacted. */
        SEALED,
        /** Compacted away. */
        DELETED
    }

    private final long sequence;
    private final Path path;
    private final Path hintPath;
    /** Where this segment starts in the store-wide append order; positions compare across segments. */
    private final long basePosition;
    private final boolean writable;
    private final AtomicLong liveBytes = new AtomicLong();
    private final SharedChannel channel;
    /** Set while the tail is written with O_DIRECT. */
    private volatile DirectTailWriter directWriter;
    private volatile long size;
    private volatile State state;
    private volatile boolean directoryEntryDurable;

    private Segment(long sequence, Path path, long basePosition, boolean writable, SharedChannel channel, long size,
                    State state, boolean directoryEntryDurable) {
        this.sequence = sequence;
        this.path = path;
        this.hintPath = path.resolveSibling(fileName(sequence, HINT_SUFFIX));
        this.basePosition = basePosition;
        this.writable = writable;
        this.channel = channel;
        this.size = size;
        this.state = state;
        this.directoryEntryDurable = directoryEntryDurable;
    }

    /** A new, empty tail segment. */
    static Segment create(Path dir, long sequence, long basePosition) throws IOException {
        Path path = dir.resolve(fileName(sequence, SEGMENT_SUFFIX));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return new Segment(sequence, path, basePosition, true,
                new SharedChannel(path, channel, FileChannel::open, READ_WRITE), 0, State.ACTIVE, false);
    }

    /** An existing segment file, as found on disk. */
    static Segment open(Path dir, long sequence, long basePosition, boolean writable, State state)
            throws IOException {
        Path path = dir.resolve(fileName(sequence, SEGMENT_SUFFIX));
        SharedChannel channel = SharedChannel.open(path, FileChannel::open, writable ? READ_WRITE : READ_ONLY);
        try {
            return new Segment(sequence, path, basePosition, writable, channel, channel.run(FileChannel::size),
                    state, true);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static String fileName(long sequence, String suffix) {
        String digits = Long.toString(sequence);
        return "0".repeat(SEQUENCE_DIGITS - digits.length()) + digits + suffix;
    }

    /** The sequence number in a file name with the given suffix, or -1 if the name is not of that form. */
    static long sequenceOf(String fileName, String suffix) {
        if (fileName.length() != SEQUENCE_DIGITS + suffix.length() || !fileName.endsWith(suffix)) {
            return -1;
        }
        for (int i = 0; i < SEQUENCE_DIGITS; i++) {
            if (!Character.isDigit(fileName.charAt(i))) {
                return -1;
            }
        }
        try {
            return Long.parseLong(fileName.substring(0, SEQUENCE_DIGITS));
        } catch (NumberFormatException tooLarge) {
            return -1;
        }
    }

    long sequence() {
        return sequence;
    }

    String name() {
        return path.getFileName().toString();
    }

    Path path() {
        return path;
    }

    Path hintPath() {
        return hintPath;
    }

    long basePosition() {
        return basePosition;
    }

    long size() {
        return size;
    }

    /** The store-wide position just past this segment's last byte. */
    long endPosition() {
        return basePosition + size;
    }

    State state() {
        return state;
    }

    boolean isDeleted() {
        return state == State.DELETED;
    }

    void markSealing() {
        state = State.SEALING;
    }

    void markSealed() {
        state = State.SEALED;
    }

    boolean isDirectoryEntryDurable() {
        return directoryEntryDurable;
    }

    void markDirectoryEntryDurable() {
        directoryEntryDurable = true;
    }

    long liveBytes() {
        return liveBytes.get();
    }

    void addLiveBytes(long delta) {
        liveBytes.addAndGet(delta);
    }

    /** Bytes no index entry points at: superseded, forgotten or unreadable records. */
    long deadBytes() {
        return Math.max(0, size - liveBytes.get());
    }

    void readFully(ByteBuffer dst, long position) throws IOException {
        DirectTailWriter writer = directWriter;
        int start = dst.position();
        int limit = dst.limit();
        int fromFile = writer == null ? limit - start : writer.copyStaged(dst, position);
        if (fromFile > 0) {
            dst.limit(start + fromFile);
            try {
                withChannel(ch -> {
                    dst.position(start);
                    FileIo.readFully(ch, dst, position);
                    return null;
                });
            } finally {
                dst.limit(limit);
            }
        }
        dst.position(limit);
    }

    /** Writes (or stages) a whole record at the end of the segment; the caller holds the appender lock. */
    void append(ByteBuffer record) throws IOException {
        append(record, null);
    }

    /**
     * Writes (or stages) a record at the end of the segment: its head (header and key, or the whole record)
     * and, when given, its value right after it. The caller holds the appender lock.
     */
    void append(ByteBuffer head, ByteBuffer value) throws IOException {
        long at = size;
        long valueAt = at + head.remaining();
        DirectTailWriter writer = directWriter;
        if (writer != null) {
            writer.append(head);
            if (value != null) {
                writer.append(value);
            }
        } else {
            withChannel(ch -> {
                // Positional writes are idempotent, so a retry after a reopen simply writes everything again.
                FileIo.writeFully(ch, head.duplicate(), at);
                if (value != null) {
                    FileIo.writeFully(ch, value.duplicate(), valueAt);
                }
                return null;
            });
        }
        size = valueAt + (value == null ? 0 : value.remaining());
    }

    /** Makes everything appended so far durable. */
    void force() throws IOException {
        DirectTailWriter writer = directWriter;
        if (writer != null) {
            writer.flush();
        }
        withChannel(ch -> {
            ch.force(false);
            return null;
        });
    }

    /** Switches this tail segment to O_DIRECT writes. */
    void startDirectWrites(DirectIo directIo) throws IOException {
        if (directWriter != null) {
            throw new IllegalStateException("segment " + name() + " is already written with O_DIRECT");
        }
        directWriter = directIo.writerFor(this);
    }

    /**
     * Writes out what is staged, ends O_DIRECT writing and cuts the zero padding off the file; called when the
     * segment is sealed or closed. After a failed write the writer stays, to keep failing forces and serving
     * reads of staged records.
     */
    void finishDirectWrites() throws IOException {
        DirectTailWriter writer = directWriter;
        if (writer == null) {
            return;
        }
        writer.finish();
        if (!writer.failed()) {
            directWriter = null;
            withChannel(ch -> ch.truncate(size));
        }
    }

    boolean writesDirectly() {
        return directWriter != null;
    }

    /** Cuts the file to {@code newSize} bytes; a sealed segment's file is opened for writing just for this. */
    void truncate(long newSize) throws IOException {
        if (directWriter != null) {
            throw new IllegalStateException("segment " + name() + " is being written with O_DIRECT");
        }
        if (writable) {
            withChannel(ch -> ch.truncate(newSize));
        } else {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.truncate(newSize);
            }
        }
        size = newSize;
    }

    void close() throws IOException {
        try {
            finishDirectWrites();
        } finally {
            channel.close();
        }
    }

    /** Removes the segment and its hint file; readers still holding it get {@link SegmentGoneException}. */
    void delete() throws IOException {
        state = State.DELETED;
        close();
        Files.deleteIfExists(path);
        Files.deleteIfExists(hintPath);
    }

    @Override
    public String toString() {
        return name();
    }

    private <T> T withChannel(SharedChannel.Operation<T> operation) throws IOException {
        try {
            return channel.run(operation);
        } catch (ClosedChannelException e) {
            if (channel.isClosed() || state == State.DELETED) {
                throw new SegmentGoneException(this, e);
            }
            throw e;
        }
    }
}
