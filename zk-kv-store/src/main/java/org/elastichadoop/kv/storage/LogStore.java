package org.elastichadoop.kv.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * An immutable key-value store kept in a directory of append-only segment files (see {@link RecordFormat} for
 * the record layout), with an in-memory index of every key.
 *
 * <p>Writes are durable when their future completes: records are appended to the tail segment under a short
 * lock and a single sync thread fsyncs on behalf of every writer waiting at that moment (group commit). The
 * tail is written with O_DIRECT where the file system allows it (see {@link StoreOptions}): appends are staged
 * in memory and the sync thread writes them, in aligned blocks, right before it fsyncs.
 * Futures complete on that thread, so stages chained on them without an executor should be short.
 * Argument errors are thrown as {@link IllegalArgumentException}; everything else, including
 * {@link StoreException}s, fails the returned future.
 *
 * <p>Reads are positional and lock-free; every record is verified against both its checksums before a byte of
 * it is returned. All methods are thread-safe.
 */
public final class LogStore implements AutoCloseable {
    private static final Logger log = LogManager.getLogger(LogStore.class);

    private final Path dir;
    private final StoreOptions options;
    private final DirectoryLock directoryLock;
    private final KeyIndex index;
    private final SegmentSet segments;
    private final Appender appender;
    private final GroupCommitter committer;
    private final Maintenance maintenance;
    private final LongAdder syncs = new LongAdder();
    private final RecoveryReport recoveryReport;
    private final Object closeLock = new Object();
    private volatile boolean closed;

    private LogStore(Path dir, StoreOptions options, DirectoryLock directoryLock, KeyIndex index,
                     Recovery.Result recovered, DirectIo directIo) {
        this.dir = dir;
        this.options = options;
        this.directoryLock = directoryLock;
        this.index = index;
        this.segments = recovered.segments();
        this.recoveryReport = recovered.report();
        this.appender = new Appender(dir, options.segmentBytes(), segments, recovered.tail(), recovered.tailHints(),
                directIo);
        String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
        this.committer = new GroupCommitter(appender, dir, recovered.tail().endPosition(), syncs,
                this::segmentSealed, "logstore-sync-" + name);
        Compactor compactor = new Compactor(segments, index, appender, committer, options);
        this.maintenance = new Maintenance(compactor, options.compactionIntervalMillis(),
                "logstore-maintenance-" + name);
        committer.start();
    }

    /** Opens the store in {@code dir}, creating the directory if needed and recovering whatever it holds. */
    public static LogStore open(Path dir, StoreOptions options) throws IOException {
        return open(dir, options, FileChannel::open);
    }

    /** Opens the store with O_DIRECT channels (if {@link StoreOptions#directIo} asks for them) from {@code opener}. */
    static LogStore open(Path dir, StoreOptions options, SharedChannel.Opener opener) throws IOException {
        Objects.requireNonNull(options, "options");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                FileIo.fsyncDirectory(parent);
            }
        }
        DirectoryLock lock = DirectoryLock.acquire(dir);
        Recovery.Result recovered = null;
        try {
            KeyIndex index = new KeyIndex();
            recovered = Recovery.run(dir, index);
            DirectIo directIo = options.directIo() ? DirectIo.probe(dir, options.segmentBytes(), opener) : null;
            return new LogStore(dir, options, lock, index, recovered, directIo);
        } catch (IOException | RuntimeException e) {
            if (recovered != null) {
                recovered.segments().closeAll();
            }
            lock.close();
            throw e;
        }
    }

    /**
     * Stores {@code value} (its remaining bytes; the buffer itself is not modified) under {@code key}.
     *
     * @param valueCrc CRC32C of the value as the caller knows it; a mismatch fails with
     *                 {@link CorruptValueException} and writes nothing
     * @return completes once the record is durable: {@link PutOutcome#STORED}, or
     *         {@link PutOutcome#ALREADY_PRESENT} if the key already held these exact bytes; fails with
     *         {@link ImmutableKeyException} if it holds other bytes and {@link DeletedKeyException} if it is
     *         deleted
     */
    public CompletableFuture<PutOutcome> put(byte[] key, ByteBuffer value, int valueCrc) {
        checkKey(key);
        Objects.requireNonNull(value, "value");
        if (value.remaining() > options.maxValueBytes()) {
            throw new IllegalArgumentException("value of " + value.remaining() + " bytes exceeds maxValueBytes "
                    + options.maxValueBytes());
        }
        Key k = Key.copyOf(key);
        ByteBuffer v = value.duplicate();
        try {
            ensureOpen();
            int actualCrc = Checksums.crc32c(v);
            if (actualCrc != valueCrc) {
                throw new CorruptValueException(String.format(
                        "value for key %s does not match its checksum: given CRC32C %08x, computed %08x",
                        k, valueCrc, actualCrc));
            }
            return putVerified(k, v, valueCrc);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<PutOutcome> putVerified(Key key, ByteBuffer value, int valueCrc) throws IOException {
        RecordHeader header = RecordHeader.put(key.length(), value.remaining(), options.clock().getAsLong(),
                valueCrc);
        ByteBuffer head = RecordFormat.encodeHead(header, key);
        IndexEntry gone = null;
        while (true) {
            ensureOpen();
            IndexEntry existing = index.get(key);
            if (existing == null) {
                IndexEntry stored = appendIfAbsent(key, head, value, header);
                if (stored != null) {
                    return committer.whenDurable(stored.endPosition()).thenApply(done -> PutOutcome.STORED);
                }
                continue; // another put of this key won the race; compare with it
            }
            if (existing.isTombstone()) {
                throw new DeletedKeyException("key " + key + " was deleted and cannot be written again");
            }
            try {
                if (!holdsSameValue(key, existing, value, valueCrc)) {
                    throw new ImmutableKeyException(String.format(
                            "key %s already holds a different value (%d bytes, CRC32C %08x); values are immutable",
                            key, existing.valueLength(), existing.valueCrc()));
                }
                return committer.whenDurable(existing.endPosition()).thenApply(done -> PutOutcome.ALREADY_PRESENT);
            } catch (CorruptRecordException e) {
                // The stored copy was damaged and has been forgotten: this put repairs the key.
            } catch (SegmentGoneException e) {
                checkNotGoneTwice(key, existing, gone);
                gone = existing;
            }
        }
    }

    /** Appends the record if the key is still unknown; null if someone else got there first. */
    private IndexEntry appendIfAbsent(Key key, ByteBuffer head, ByteBuffer value, RecordHeader header) throws IOException {
        return appender.locked(() -> {
            if (index.get(key) != null) {
                return null;
            }
            committer.checkHealthy();
            IndexEntry entry = appender.append(head, value, header);
            index.put(key, entry);
            return entry;
        });
    }

    private boolean holdsSameValue(Key key, IndexEntry existing, ByteBuffer value, int valueCrc) throws IOException {
        if (existing.valueLength() != value.remaining() || existing.valueCrc() != valueCrc) {
            return false;
        }
        return ByteBuffer.wrap(read(key, existing).value()).equals(value);
    }

    /**
     * Writes a tombstone for {@code key}, even if the key is unknown (that is how replicas learn of deletes).
     * Deleting a deleted key writes nothing. Completes once the tombstone is durable.
     */
    public CompletableFuture<Void> delete(byte[] key) {
        checkKey(key);
        Key k = Key.copyOf(key);
        try {
            ensureOpen();
            RecordHeader header = RecordHeader.tombstone(k.length(), options.clock().getAsLong());
            ByteBuffer record = RecordFormat.encode(header, k, null);
            IndexEntry tombstone = appender.locked(() -> {
                IndexEntry current = index.get(k);
                if (current != null && current.isTombstone()) {
                    return current;
                }
                committer.checkHealthy();
                IndexEntry entry = appender.append(record, header);
                index.put(k, entry);
                return entry;
            });
            return committer.whenDurable(tombstone.endPosition());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The value stored under {@code key}, or null if the key is unknown or deleted. The record is verified
     * first; if it is damaged this throws {@link CorruptRecordException} and forgets that copy, so that a later
     * put of the good bytes is accepted.
     */
    public Entry get(byte[] key) throws IOException {
        checkKey(key);
        Key k = Key.wrap(key);
        ensureOpen();
        IndexEntry gone = null;
        while (true) {
            IndexEntry entry = index.get(k);
            if (entry == null || entry.isTombstone()) {
                return null;
            }
            try {
                return read(k, entry);
            } catch (SegmentGoneException e) {
                checkNotGoneTwice(k, entry, gone);
                gone = entry;
            }
        }
    }

    /**
     * A segment disappears under a reader when compaction moved its records, and then the index already points
     * elsewhere; finding the same entry gone twice means the store was closed (or the index is broken).
     */
    private void checkNotGoneTwice(Key key, IndexEntry entry, IndexEntry previouslyGone) throws StoreException {
        ensureOpen();
        log.debug("segment {} was compacted away while reading key {}; looking it up again",
                entry.segment().name(), key);
        if (entry.equals(previouslyGone)) {
            throw new StoreException("segment " + entry.segment().name() + " vanished while reading key " + key);
        }
    }

    private Entry read(Key key, IndexEntry entry) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(entry.recordLength());
        String problem;
        try {
            entry.segment().readFully(record, entry.offset());
            record.flip();
            problem = RecordFormat.problemWith(record, key, entry);
        } catch (EOFException e) {
            problem = "segment file is shorter than the index expects";
        }
        if (problem != null) {
            forgetCorrupt(key, entry, problem);
            throw new CorruptRecordException("corrupt record for key " + key + " at offset " + entry.offset()
                    + " of segment " + entry.segment().name() + ": " + problem);
        }
        byte[] value = new byte[entry.valueLength()];
        record.get(RecordFormat.HEADER_BYTES + key.length(), value);
        return new Entry(key.toByteArray(), value, entry.valueCrc(), entry.timestamp());
    }

    private void forgetCorrupt(Key key, IndexEntry entry, String problem) throws IOException {
        if (appender.locked(() -> index.remove(key, entry))) {
            log.error("{} for key {} is corrupt ({}); forgot it so a replica can repair it", entry.describe(), key,
                    problem);
        }
    }

    /**
     * Forgets a value this store need not keep (the cluster holds it on its replicas): no record is written and
     * its bytes become garbage for compaction. A restart before that compaction brings the value back, which
     * is harmless: whoever evicted it can evict it again. Tombstones are never evicted. True if it was forgotten.
     */
    public boolean evict(byte[] key) throws IOException {
        checkKey(key);
        Key k = Key.wrap(key);
        return appender.locked(() -> {
            IndexEntry entry = index.get(k);
            return entry != null && !entry.isTombstone() && index.remove(k, entry);
        });
    }

    /** What the index holds for {@code key}, without reading the record; null if the key is unknown. */
    public EntryMeta meta(byte[] key) {
        checkKey(key);
        Key k = Key.wrap(key);
        IndexEntry entry = index.get(k);
        return entry == null ? null : entry.toMeta(k);
    }

    /** Calls {@code action} once per known key; weakly consistent with concurrent writes. */
    public void forEachMeta(Consumer<EntryMeta> action) {
        Objects.requireNonNull(action, "action");
        index.forEach((key, entry) -> action.accept(entry.toMeta(key)));
    }

    public StoreStats stats() {
        return new StoreStats(index.presentCount(), index.tombstoneCount(), segments.liveBytes(),
                segments.totalBytes(), segments.count(), syncs.sum(), appender.appends());
    }

    /** What recovery found when this store was opened. */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /** Whether the tail segment is being written with O_DIRECT. */
    boolean writesTailDirectly() {
        return appender.writesDirectly();
    }

    public Path directory() {
        return dir;
    }

    public StoreOptions options() {
        return options;
    }

    /** Runs one compaction pass now, on the calling thread. */
    public void compact() throws IOException {
        ensureOpen();
        maintenance.compactNow();
    }

    /** Waits for pending syncs (completing their futures), stops background work and closes the files. */
    @Override
    public void close() throws IOException {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            maintenance.close();
            appender.close();
            committer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while closing " + dir, e);
        } finally {
            try {
                segments.closeAll();
            } finally {
                directoryLock.close();
            }
        }
    }

    private void segmentSealed(Segment segment) {
        maintenance.segmentSealed(segment, appender.takeHints(segment));
    }

    private void ensureOpen() throws StoreException {
        if (closed) {
            throw new StoreException("store " + dir + " is closed");
        }
    }

    private void checkKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (key.length > options.maxKeyBytes()) {
            throw new IllegalArgumentException("key of " + key.length + " bytes exceeds maxKeyBytes "
                    + options.maxKeyBytes());
        }
    }
}
