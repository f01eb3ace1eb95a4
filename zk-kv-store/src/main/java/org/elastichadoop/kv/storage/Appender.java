package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Appends records to the tail segment and rolls over to a new one when the tail is full. One lock
 * serialises appends; callers also update the index under it, so that for any key the order of index changes
 * is the order of its records in the log. The lock covers a copy into the O_DIRECT staging buffer (or a
 * page-cache write), an aligned write when that buffer is full or the tail rolls over, and never an fsync.
 */
final class Appender {
    private static final Logger log = LogManager.getLogger(Appender.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Path dir;
    private final long segmentBytes;
    private final SegmentSet segments;
    private final LongAdder appends = new LongAdder();
    /** Null when tail segments are written through the page cache. */
    private final DirectIo directIo;
    /** Rolled-over segments whose final fsync the committer has not done yet. Guarded by lock. */
    private final List<Segment> sealing = new ArrayList<>();
    /** Hint entries of rolled-over segments, until their hint file is written. Guarded by lock. */
    private final Map<Segment, HintCollector> sealingHints = new HashMap<>();
    private Segment tail;
    /** Hint entries of the tail; null once there were too many. */
    private HintCollector tailHints;
    private boolean closed;

    /** @param tailHints hint entries of the records already in the tail, or null */
    Appender(Path dir, long segmentBytes, SegmentSet segments, Segment tail, HintCollector tailHints,
             DirectIo directIo) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.segments = segments;
        this.tail = tail;
        this.tailHints = tailHints;
        this.directIo = directIo;
        startDirectWrites(tail);
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
        return append(record, null, header);
    }

    /**
     * Appends a record given as its header and key ({@code head}) and its value, which is copied straight from
     * the caller's buffer (no record-sized buffer in between); the caller holds the lock.
     */
    IndexEntry append(ByteBuffer head, ByteBuffer value, RecordHeader header) throws IOException {
        ByteBuffer record = head;
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("append outside the appender lock");
        }
        if (closed) {
            throw new StoreException("store is closed");
        }
        int length = record.remaining() + (value == null ? 0 : value.remaining());
        if (tail.size() > 0 && tail.size() + length > segmentBytes) {
            roll();
        }
        long offset = tail.size();
        tail.append(record, value);
        if (tailHints != null && !tailHints.add(offset, record, header)) {
            tailHints = null;
        }
        appends.increment();
        return new IndexEntry(tail, offset, header);
    }

    private void roll() throws IOException {
        // The committer only forces sealing segments, so their staged bytes must be in the file first.
        tail.finishDirectWrites();
        Segment next = Segment.create(dir, tail.sequence() + 1, tail.endPosition());
        startDirectWrites(next);
        tail.markSealing();
        sealing.add(tail);
        if (tailHints != null) {
            sealingHints.put(tail, tailHints);
        }
        tailHints = new HintCollector();
        segments.add(next);
        tail = next;
    }

    private void startDirectWrites(Segment segment) {
        if (directIo == null) {
            return;
        }
        try {
            segment.startDirectWrites(directIo);
        } catch (IOException e) {
            log.warn("segment {}: cannot write it with O_DIRECT ({}); writing it through the page cache",
                    segment.name(), e.toString());
        }
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

    /** The hint entries collected for a sealed segment, or null; handed out once. */
    HintCollector takeHints(Segment segment) {
        lock.lock();
        try {
            return sealingHints.remove(segment);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the tail segment is written with O_DIRECT. */
    boolean writesDirectly() {
        lock.lock();
        try {
            return tail.writesDirectly();
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
