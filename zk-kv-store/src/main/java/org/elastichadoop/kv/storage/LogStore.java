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
 * it is returned, except by {@link #getRange}, which verifies the header but not the value's bytes. All methods
 * are thread-safe.
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
        Key k = Key.copyOf(key);
        ByteBuffer v = checkValue(k, value, valueCrc);
        try {
            ensureOpen();
            verifyCrc(k, v, valueCrc);
            return putVerified(k, v, valueCrc);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The value as this store reads it (a duplicate: the caller's buffer is not moved); refuses one too big. */
    private ByteBuffer checkValue(Key key, ByteBuffer value, int valueCrc) {
        Objects.requireNonNull(value, "value");
        if (value.remaining() > options.maxValueBytes()) {
            throw new IllegalArgumentException("value of " + value.remaining() + " bytes for key " + key
                    + " exceeds maxValueBytes " + options.maxValueBytes());
        }
        return value.duplicate();
    }

    private static void verifyCrc(Key key, ByteBuffer value, int valueCrc) throws CorruptValueException {
        int actualCrc = Checksums.crc32c(value);
        if (actualCrc != valueCrc) {
            throw new CorruptValueException(String.format(
                    "value for key %s does not match its checksum: given CRC32C %08x, computed %08x",
                    key, valueCrc, actualCrc));
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
            if (existing == null || existing.isProvisional() && !sameValueOrGone(key, existing, value, valueCrc)) {
                // a value stored with put() is known to be the key's value: it replaces any undecided proposal
                IndexEntry stored = appendUnlessChanged(key, existing, head, value, header);
                if (stored != null) {
                    return committer.whenDurable(stored.endPosition()).thenApply(done -> PutOutcome.STORED);
                }
                continue; // another write of this key won the race; compare with it
            }
            if (existing.isTombstone()) {
                throw new DeletedKeyException("key " + key + " was deleted and cannot be written again");
            }
            if (existing.isProvisional()) {
                Long durableAt = commitIfStill(key, existing);
                if (durableAt != null) {
                    return committer.whenDurable(durableAt).thenApply(done -> PutOutcome.STORED);
                }
                continue;
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

    /** Whether a provisional entry holds these bytes; a copy that cannot be read counts as other bytes. */
    private boolean sameValueOrGone(Key key, IndexEntry entry, ByteBuffer value, int valueCrc) {
        try {
            return holdsSameValue(key, entry, value, valueCrc);
        } catch (IOException e) {
            return false;
        }
    }

    /** Appends the record if the key still points at {@code expected} (null: is unknown); null otherwise. */
    private IndexEntry appendUnlessChanged(Key key, IndexEntry expected, ByteBuffer head, ByteBuffer value,
                                           RecordHeader header) throws IOException {
        return appender.locked(() -> {
            if (!Objects.equals(index.get(key), expected)) {
                return null;
            }
            committer.checkHealthy();
            IndexEntry entry = appender.append(head, value, header);
            index.put(key, entry);
            return entry;
        });
    }

    // ---- consensus: the replica's side of deciding a key (see Ballots and AcceptorState) ----

    /** What this replica holds and has promised for the key. */
    public AcceptorState acceptorState(byte[] key) {
        checkKey(key);
        Key k = Key.wrap(key);
        IndexEntry entry = index.get(k);
        IndexEntry promise = index.promise(k);
        return new AcceptorState(entry == null ? null : entry.toMeta(k), promise == null ? -1 : promise.ballot());
    }

    /**
     * Takes {@code value} as this replica's proposal for the key in {@code ballot}, if the rules allow: in the
     * fast round only when the replica holds nothing and promised nothing; in a classic round when the ballot is
     * at least every ballot promised or accepted here. A committed value is never replaced.
     *
     * @return completes once durable: {@link Vote#ACCEPTED} if the replica now holds these bytes in this ballot
     *         (or a retry of it), {@link Vote#HOLDS_SAME} if it already held the same bytes (provisional in the
     *         fast round, or committed), {@link Vote#REFUSED} otherwise (see {@link #acceptorState} for why);
     *         fails with {@link DeletedKeyException} on a deleted key
     */
    public CompletableFuture<Vote> accept(byte[] key, long ballot, ByteBuffer value, int valueCrc) {
        checkKey(key);
        Key k = Key.copyOf(key);
        ByteBuffer v = checkValue(k, value, valueCrc);
        try {
            ensureOpen();
            verifyCrc(k, v, valueCrc);
            RecordHeader header = RecordHeader.accepted(k.length(), v.remaining(), ballot, valueCrc);
            ByteBuffer head = RecordFormat.encodeHead(header, k);
            while (true) {
                IndexEntry seen = index.get(k);
                if (seen != null && seen.isTombstone()) {
                    throw new DeletedKeyException("key " + k + " was deleted and cannot be written again");
                }
                boolean sameProposal = seen != null && seen.isProvisional() && (seen.ballot() == ballot
                        || Ballots.isFast(ballot) && Ballots.isFast(seen.ballot()));
                if (seen != null && (seen.isCommittedValue() || sameProposal)
                        && seen.valueCrc() == valueCrc && seen.valueLength() == v.remaining()
                        && sameValueOrGone(k, seen, v, valueCrc)) {
                    Vote vote = seen.isProvisional() && seen.ballot() == ballot ? Vote.ACCEPTED : Vote.HOLDS_SAME;
                    return committer.whenDurable(seen.endPosition()).thenApply(d -> vote);
                }
                Object outcome = appender.locked(() -> {
                    if (!Objects.equals(index.get(k), seen)) {
                        return null; // changed under us: look again
                    }
                    if (!mayAccept(seen, index.promise(k), ballot)) {
                        return Vote.REFUSED;
                    }
                    committer.checkHealthy();
                    IndexEntry entry = appender.append(head, v, header);
                    index.put(k, entry);
                    return entry;
                });
                if (outcome == Vote.REFUSED) {
                    return CompletableFuture.completedFuture(Vote.REFUSED);
                }
                if (outcome instanceof IndexEntry stored) {
                    return committer.whenDurable(stored.endPosition()).thenApply(d -> Vote.ACCEPTED);
                }
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The acceptance rule, for a key that is neither committed here nor holds this exact proposal. */
    private static boolean mayAccept(IndexEntry held, IndexEntry promise, long ballot) {
        if (held != null && (held.isCommittedValue() || held.isTombstone())) {
            return false;
        }
        if (Ballots.isFast(ballot)) {
            return held == null && promise == null;
        }
        return (promise == null || ballot >= promise.ballot()) && (held == null || ballot > held.ballot());
    }

    public enum Vote { ACCEPTED, HOLDS_SAME, REFUSED }

    /**
     * Promises to refuse every ballot below {@code ballot} for this key, if no higher ballot was promised or
     * accepted here and the key is not decided here. Completes with true once the promise is durable; false
     * when refused (see {@link #acceptorState}).
     */
    public CompletableFuture<Boolean> promise(byte[] key, long ballot) {
        checkKey(key);
        if (Ballots.isFast(ballot)) {
            throw new IllegalArgumentException("promises are made for classic ballots, not the fast round");
        }
        Key k = Key.copyOf(key);
        try {
            ensureOpen();
            RecordHeader header = RecordHeader.marker(RecordType.PROMISE, k.length(), ballot);
            ByteBuffer record = RecordFormat.encode(header, k, null);
            IndexEntry stored = appender.locked(() -> {
                IndexEntry held = index.get(k);
                IndexEntry promise = index.promise(k);
                if (held != null && !held.isProvisional() || promise != null && promise.ballot() >= ballot
                        || held != null && held.ballot() >= ballot) {
                    return null;
                }
                committer.checkHealthy();
                IndexEntry entry = appender.append(record, header);
                index.putPromise(k, entry);
                return entry;
            });
            return stored == null ? CompletableFuture.completedFuture(false)
                    : committer.whenDurable(stored.endPosition()).thenApply(d -> true);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Marks the value this replica accepted in {@code ballot} as the key's value, once the proposer knows it
     * was chosen (in the fast round, the same bytes accepted from another proposer count too: the replica
     * compared them when it voted). True if the key now holds a committed value of that CRC and length (also when it already
     * did); false if this replica holds something else, which a later put() of the chosen bytes repairs. Completes
     * without waiting for an fsync: a COMMIT lost in a crash only leaves the value provisional again.
     */
    public CompletableFuture<Boolean> commit(byte[] key, long ballot, int valueCrc, int valueLength) {
        return commit(key, ballot, valueCrc, valueLength, false);
    }

    /**
     * Like {@link #commit(byte[], long, int, int)}; with {@code durable} it completes only once the COMMIT record is
     * durable, so that the value's committed copy survives a crash of this replica. A durable commit, which secures a
     * value that W replicas chose (rather than all RF), is refused (false) when the replica has promised a ballot above
     * the one it accepted the value in: that round may count a node removed as lost as holding nothing.
     */
    public CompletableFuture<Boolean> commit(byte[] key, long ballot, int valueCrc, int valueLength, boolean durable) {
        checkKey(key);
        Key k = Key.copyOf(key);
        try {
            ensureOpen();
            IndexEntry held = index.get(k);
            if (held == null || held.valueCrc() != valueCrc || held.valueLength() != valueLength
                    || held.isProvisional() && !sameDecision(held.ballot(), ballot) || !held.holdsValue()) {
                return CompletableFuture.completedFuture(false);
            }
            if (held.isCommittedValue()) {
                return durable ? committer.whenDurable(held.endPosition()).thenApply(d -> true) : CompletableFuture.completedFuture(true);
            }
            IndexEntry promise = index.promise(k);
            if (durable && promise != null && Long.compareUnsigned(promise.ballot(), held.ballot()) > 0) {
                // a classic round above the accepted ballot may be deciding the key anew (a node removed as lost
                // counts as holding nothing there): the proposer that asked confirms its value in a new round
                return CompletableFuture.completedFuture(false);
            }
            Long durableAt = commitIfStill(k, held);
            if (durableAt == null) {
                return commit(key, ballot, valueCrc, valueLength, durable); // it changed meanwhile: look again
            }
            // without durable, no fsync of its own: the record rides with the next one, and losing it only leaves
            // the value provisional, which the next read settles
            return durable ? committer.whenDurable(durableAt).thenApply(d -> true) : CompletableFuture.completedFuture(true);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Whether a value held from {@code heldBallot} is the one chosen in {@code chosenBallot}: the same ballot; any two
     * fast-round ballots (the replica compared the bytes when it voted); or a later ballot, since once a value is
     * chosen every later ballot proposes that value (the CRC and length, checked by the caller, must match too).
     */
    private static boolean sameDecision(long heldBallot, long chosenBallot) {
        return heldBallot == chosenBallot || Ballots.isFast(heldBallot) && Ballots.isFast(chosenBallot)
                || Long.compareUnsigned(heldBallot, chosenBallot) > 0;
    }

    /**
     * Appends a COMMIT for the provisional entry if the key still points at it: the store position that makes
     * the commit durable, or null if the key changed meanwhile.
     */
    private Long commitIfStill(Key key, IndexEntry provisional) throws IOException {
        return appender.locked(() -> {
            if (!provisional.equals(index.get(key))) {
                return null;
            }
            committer.checkHealthy();
            long now = options.clock().getAsLong();
            RecordHeader header = RecordHeader.marker(RecordType.COMMIT, key.length(), now);
            IndexEntry marker = appender.append(RecordFormat.encode(header, key, null), header);
            IndexEntry committed = provisional.committed(now);
            index.replace(key, provisional, committed);
            index.removePromise(key);
            return marker.endPosition();
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
        return read(key, false);
    }

    /**
     * Like {@link #get}, but also returns a provisional value (one a consensus round proposed and this replica
     * accepted, not yet known to be chosen); its {@link Entry#timestamp} is then the ballot.
     */
    public Entry getHeld(byte[] key) throws IOException {
        return read(key, true);
    }

    /**
     * Part of the committed value stored under {@code key}: {@code length} bytes from {@code offset}, resolved as
     * {@link RangeBounds#of} says (a negative offset counts from the end; the range stops at the value's end), or
     * null if the key is unknown, deleted or holds only a provisional value. Reads the record's header and key,
     * verifies them against their checksum and the index (a mismatch throws {@link CorruptRecordException} and
     * forgets that copy, as {@link #get} does), then reads just the range's bytes.
     *
     * <p>The range's bytes are <em>not</em> verified: the value's CRC32C covers the whole value, and checking it
     * would mean reading all of it. A caller that needs parts it can trust keeps its own checksums over them and,
     * on a mismatch, falls back to {@link #get}, which verifies the whole value and forgets a corrupt copy so
     * that it is repaired.
     */
    public ValueRange getRange(byte[] key, long offset, int length) throws IOException {
        checkKey(key);
        if (length < 0) {
            throw new IllegalArgumentException("range length " + length + " is negative");
        }
        return readNewest(Key.wrap(key), false, (k, entry) -> readRange(k, entry, offset, length));
    }

    private Entry read(byte[] key, boolean provisionalToo) throws IOException {
        checkKey(key);
        return readNewest(Key.wrap(key), provisionalToo, this::read);
    }

    /**
     * Reads the key's value record with {@code reader}; null if it holds none (or only a provisional one and
     * {@code provisionalToo} is false). A record that compaction moved meanwhile is looked up again.
     */
    private <T> T readNewest(Key k, boolean provisionalToo, RecordReader<T> reader) throws IOException {
        ensureOpen();
        IndexEntry gone = null;
        while (true) {
            IndexEntry entry = index.get(k);
            if (entry == null || !entry.holdsValue() || entry.isProvisional() && !provisionalToo) {
                return null;
            }
            try {
                return reader.read(k, entry);
            } catch (SegmentGoneException e) {
                checkNotGoneTwice(k, entry, gone);
                gone = entry;
            }
        }
    }

    @FunctionalInterface
    private interface RecordReader<T> {
        T read(Key key, IndexEntry entry) throws IOException;
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
            throw forgetCorrupt(key, entry, problem);
        }
        byte[] value = new byte[entry.valueLength()];
        record.get(RecordFormat.HEADER_BYTES + key.length(), value);
        long timestamp = entry.isProvisional() ? entry.ballot() : entry.valueTimestamp();
        return new Entry(key.toByteArray(), value, entry.valueCrc(), timestamp);
    }

    /** Verifies the record's header and key, then reads the range's bytes of its value and nothing more. */
    private ValueRange readRange(Key key, IndexEntry entry, long offset, int length) throws IOException {
        RangeBounds range = RangeBounds.of(offset, length, entry.valueLength());
        int valueAt = RecordFormat.HEADER_BYTES + key.length();
        ByteBuffer head = ByteBuffer.allocate(valueAt);
        ByteBuffer bytes = ByteBuffer.allocate(range.length());
        String problem;
        try {
            entry.segment().readFully(head, entry.offset());
            head.flip();
            problem = RecordFormat.problemWithHead(head, key, entry);
            if (problem == null && range.length() > 0) {
                entry.segment().readFully(bytes, entry.offset() + valueAt + range.offset());
            }
        } catch (EOFException e) {
            problem = "segment file is shorter than the index expects";
        }
        if (problem != null) {
            throw forgetCorrupt(key, entry, problem);
        }
        return new ValueRange(entry.valueLength(), entry.valueCrc(), entry.valueTimestamp(), range.offset(),
                bytes.array());
    }

    /** Forgets a copy that failed verification; returns the exception to throw. */
    private CorruptRecordException forgetCorrupt(Key key, IndexEntry entry, String problem) throws IOException {
        if (appender.locked(() -> index.remove(key, entry))) {
            log.error("{} for key {} is corrupt ({}); forgot it so a replica can repair it", entry.describe(), key,
                    problem);
        }
        return new CorruptRecordException("corrupt record for key " + key + " at offset " + entry.offset()
                + " of segment " + entry.segment().name() + ": " + problem);
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
            return entry != null && entry.isCommittedValue() && index.remove(k, entry);
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
