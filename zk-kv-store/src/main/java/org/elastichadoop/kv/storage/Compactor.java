package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reclaims sealed segments that are mostly garbage: the records the index still points at are appended again
 * at the tail (byte for byte, timestamps included), and once the tail is durable the old segment and its hint
 * file are deleted.
 *
 * <p>An expired tombstone is dropped instead of carried forward only when its segment is the oldest one left:
 * every put it hides was written before it, so it lies in that same segment and disappears with it. In any
 * newer segment, dropping it could let an older put reappear on recovery.
 */
final class Compactor {
    private static final Logger log = LogManager.getLogger(Compactor.class);

    private final SegmentSet segments;
    private final KeyIndex index;
    private final Appender appender;
    private final GroupCommitter committer;
    private final double garbageRatio;
    private final long tombstoneGraceMillis;
    private final LongSupplier clock;

    Compactor(SegmentSet segments, KeyIndex index, Appender appender, GroupCommitter committer,
              StoreOptions options) {
        this.segments = segments;
        this.index = index;
        this.appender = appender;
        this.committer = committer;
        this.garbageRatio = options.compactionGarbageRatio();
        this.tombstoneGraceMillis = options.tombstoneGraceMillis();
        this.clock = options.clock();
    }

    /** Compacts every sealed segment over the garbage ratio, oldest first; returns how many. */
    int runPass(BooleanSupplier stopRequested) throws IOException {
        int compacted = 0;
        for (Segment segment : segments.snapshot()) {
            if (stopRequested.getAsBoolean()) {
                break;
            }
            if (segment.state() == Segment.State.SEALED && isMostlyGarbage(segment)) {
                compact(segment);
                compacted++;
            }
        }
        return compacted;
    }

    private boolean isMostlyGarbage(Segment segment) {
        long size = segment.size();
        return size == 0 || (double) segment.deadBytes() / size >= garbageRatio;
    }

    private void compact(Segment segment) throws IOException {
        long size = segment.size();
        long deadBefore = segment.deadBytes();
        Carrier carrier = new Carrier(segment, segments.isOldest(segment), clock.getAsLong());
        if (segment.liveBytes() > 0) {
            SegmentScanner.scan(segment, carrier);
        } // else no index entry points into it (tombstones count as live): nothing to read, only to delete
        if (carrier.lastEndPosition > 0) {
            awaitDurable(carrier.lastEndPosition);
        }
        forgetUnreadable(segment);
        segments.remove(segment);
        segment.delete();
        // A deletion that a crash could undo would bring back puts hidden by tombstones dropped later.
        FileIo.fsyncDirectory(segment.path().getParent());
        log.info("compacted segment {}: {} of {} bytes were garbage; {} records carried forward, "
                        + "{} expired tombstones dropped", segment.name(), deadBefore, size, carrier.carried,
                carrier.droppedTombstones);
    }

    /** Carries the live records of one segment to the tail. */
    private final class Carrier implements SegmentScanner.Visitor {
        private final Segment segment;
        private final boolean oldest;
        private final long now;
        long lastEndPosition = -1;
        int carried;
        int droppedTombstones;

        Carrier(Segment segment, boolean oldest, long now) {
            this.segment = segment;
            this.oldest = oldest;
            this.now = now;
        }

        @Override
        public void record(SegmentScanner.ScannedRecord record) throws IOException {
            Key key = record.key();
            if (record.header().type() == RecordType.PROMISE) {
                carryPromise(record);
                return;
            }
            IndexEntry entry = index.get(key);
            if (entry == null || entry.segment() != segment || entry.offset() != record.offset()) {
                return; // COMMIT records are never pointed at: a committed ACCEPTED record is carried as a PUT
            }
            if (oldest && entry.isTombstone() && now - entry.timestamp() >= tombstoneGraceMillis) {
                if (appender.locked(() -> index.remove(key, entry))) {
                    droppedTombstones++;
                }
                return;
            }
            IndexEntry moved = appender.locked(() -> {
                if (!entry.equals(index.get(key))) {
                    return null;
                }
                committer.checkHealthy();
                IndexEntry copy = entry.type() == RecordType.ACCEPTED && entry.isCommittedValue()
                        ? appendAsPut(record, entry)
                        : appender.append(record.bytes(), record.header());
                index.replace(key, entry, copy);
                return copy;
            });
            if (moved != null) {
                lastEndPosition = moved.endPosition();
                carried++;
            }
        }

        /** A committed value needs no COMMIT record beside it once it is written as what it is. */
        private IndexEntry appendAsPut(SegmentScanner.ScannedRecord record, IndexEntry entry) throws IOException {
            RecordHeader put = RecordHeader.put(record.key().length(), entry.valueLength(), entry.committedAt(),
                    entry.valueCrc());
            ByteBuffer value = record.bytes().duplicate();
            value.position(RecordFormat.HEADER_BYTES + record.key().length());
            return appender.append(RecordFormat.encodeHead(put, record.key()), value, put);
        }

        private void carryPromise(SegmentScanner.ScannedRecord record) throws IOException {
            Key key = record.key();
            IndexEntry promise = index.promise(key);
            if (promise == null || promise.segment() != segment || promise.offset() != record.offset()) {
                return;
            }
            IndexEntry moved = appender.locked(() -> {
                if (!promise.equals(index.promise(key))) {
                    return null;
                }
                committer.checkHealthy();
                IndexEntry copy = appender.append(record.bytes(), record.header());
                index.replacePromise(key, promise, copy);
                return copy;
            });
            if (moved != null) {
                lastEndPosition = moved.endPosition();
                carried++;
            }
        }
    }

    /**
     * Keys still pointing into the segment after the scan point at records the scan could not verify (the
     * index may have come from a hint file); they are unreadable, so deleting the segment loses nothing more.
     */
    private void forgetUnreadable(Segment segment) throws IOException {
        if (segment.liveBytes() <= 0) {
            return;
        }
        List<Key> keys = new ArrayList<>();
        List<IndexEntry> entries = new ArrayList<>();
        index.forEach((key, entry) -> {
            if (entry.segment() == segment) {
                keys.add(key);
                entries.add(entry);
            }
        });
        for (int i = 0; i < keys.size(); i++) {
            Key key = keys.get(i);
            IndexEntry entry = entries.get(i);
            if (appender.locked(() -> index.remove(key, entry))) {
                log.error("compaction of segment {}: the {} for key {} failed verification; forgot it",
                        segment.name(), entry.describe(), key);
            }
        }
    }

    private void awaitDurable(long position) throws IOException {
        try {
            committer.whenDurable(position).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for compacted records to be durable");
        } catch (ExecutionException e) {
            throw new StoreException("compacted records could not be made durable", e.getCause());
        }
    }
}
