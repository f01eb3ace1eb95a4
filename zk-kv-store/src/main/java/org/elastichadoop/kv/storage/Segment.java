package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One append-only segment file, {@code NNNNNNNNNNNNNNNNNNNN.seg}, with its optional hint file. Only the
 * appender writes to it, under its lock; reads are positional and may run concurrently with anything.
 */
final class Segment {
    private static final Logger log = LogManager.getLogger(Segment.class);

    static final String SEGMENT_SUFFIX = ".seg";
    static final String HINT_SUFFIX = ".hint";
    private static final int SEQUENCE_DIGITS = 20;
    private static final int MAX_REOPENS = 8;

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
    private volatile FileChannel channel;
    private volatile long size;
    private volatile State state;
    private volatile boolean closed;
    private volatile boolean directoryEntryDurable;

    private Segment(long sequence, Path path, long basePosition, boolean writable, FileChannel channel, long size,
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
        return new Segment(sequence, path, basePosition, true, channel, 0, State.ACTIVE, false);
    }

    /** An existing segment file, as found on disk. */
    static Segment open(Path dir, long sequence, long basePosition, boolean writable, State state)
            throws IOException {
        Path path = dir.resolve(fileName(sequence, SEGMENT_SUFFIX));
        FileChannel channel = openChannel(path, writable);
        try {
            return new Segment(sequence, path, basePosition, writable, channel, channel.size(), state, true);
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
        int start = dst.position();
        withChannel(ch -> {
            dst.position(start);
            FileIo.readFully(ch, dst, position);
            return null;
        });
    }

    /** Writes the record at the end of the segment; the caller holds the appender lock. */
    void append(ByteBuffer record) throws IOException {
        long at = size;
        withChannel(ch -> {
            // Positional writes are idempotent, so a retry after a reopen simply writes everything again.
            FileIo.writeFully(ch, record.duplicate(), at);
            return null;
        });
        size = at + record.remaining();
    }

    void force() throws IOException {
        withChannel(ch -> {
            ch.force(false);
            return null;
        });
    }

    void truncate(long newSize) throws IOException {
        withChannel(ch -> ch.truncate(newSize));
        size = newSize;
    }

    synchronized void close() throws IOException {
        closed = true;
        channel.close();
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

    private interface ChannelOperation<T> {
        T apply(FileChannel channel) throws IOException;
    }

    /**
     * A FileChannel closes itself, for every user, when a thread blocked in it is interrupted. The segment's
     * channel is shared, so I/O runs with the caller's interrupt flag cleared (it is restored afterwards) and a
     * channel closed by someone else's interrupt is reopened.
     */
    private <T> T withChannel(ChannelOperation<T> operation) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 0; ; attempt++) {
                FileChannel current = channel;
                try {
                    return operation.apply(current);
                } catch (ClosedChannelException e) {
                    interrupted |= Thread.interrupted();
                    if (closed || state == State.DELETED) {
                        throw new SegmentGoneException(this, e);
                    }
                    if (attempt == MAX_REOPENS) {
                        throw e;
                    }
                    reopen(current);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void reopen(FileChannel broken) throws IOException {
        if (closed || channel != broken) {
            return;
        }
        channel = openChannel(path, writable);
        log.warn("segment {}: its channel was closed by an interrupted thread; reopened it", name());
    }

    private static FileChannel openChannel(Path path, boolean writable) throws IOException {
        return writable
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
    }
}
