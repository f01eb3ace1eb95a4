package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends records to the tail segment and rolls over to a new one when the tail is full. One lock
 * serialises appends; callers also update the index under it, so that for any key the order of index changes
 * is the order of its records in the log. The lock covers only a page-cache write, never an fsync.
 */
final class Appender {
    private final ReentrantLock lock = new ReentrantLock();
    private final Path dir;
    private final long segmentBytes;
    private final SegmentSet segments;
    private final LongAdder appends = new LongAdder();
    /** Rolled-over segments whose final fsync the committer has not done yet. Guarded by lock. */
    private final List<Segment> sealing = new ArrayList<>();
    private Segment tail;
    private boolean closed;

    Appender(Path dir, long segmentBytes, SegmentSet segments, Segment tail) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.segments = segments;
        this.tail = tail;
    }

    interface LockedAction<T> {
        T run() throws IOException;
    }

    <T> T locked(LockedAction<T> action) throws IOException {
        lock.lock();
        try {
            return action.run();
        } finally {
            lock.unlock();
        }
    }

    /** Appends a complete record; the caller holds the lock (see {@link #locked}). */
    IndexEntry append(ByteBuffer record, RecordHeader header) throws IOException {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("append outside the appender lock");
        }
        if (closed) {
            throw new StoreException("store is closed");
        }
        int length = record.remaining();
        if (tail.size() > 0 && tail.size() + length > segmentBytes) {
            roll();
        }
        long offset = tail.size();
        tail.append(record);
        appends.increment();
        return new IndexEntry(tail, offset, header);
    }

    private void roll() throws IOException {
        Segment next = Segment.create(dir, tail.sequence() + 1, tail.endPosition());
        tail.markSealing();
        sealing.add(tail);
        segments.add(next);
        tail = next;
    }

    /** What the committer must make durable: everything appended so far. */
    record SyncBatch(long position, List<Segment> sealing, Segment tail) {
    }

    SyncBatch syncBatch() {
        lock.lock();
        try {
            return new SyncBatch(tail.endPosition(), List.copyOf(sealing), tail);
        } finally {
            lock.unlock();
        }
    }

    /** The committer has fsync'd these rolled-over segments. */
    void sealed(List<Segment> forced) {
        lock.lock();
        try {
            sealing.removeAll(forced);
            forced.forEach(Segment::markSealed);
        } finally {
            lock.unlock();
        }
    }

    long appends() {
        return appends.sum();
    }

    /** Refuses every later append. */
    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }
}
