package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.ByteBuf;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.store.StoreException;
import org.elastichadoop.iscsi.volume.BlockVolume;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A block device made of immutable entries: writes gather into an open segment (the write-back
 * cache), which is sealed and stored as one entry when full or when the initiator asks for
 * durability (SYNCHRONIZE CACHE, FUA); an LBA map says which segment holds each block; the map is
 * checkpointed into the store from time to time. The volume record in the catalog names the
 * writer's epoch and the last checkpoint, and changes only by compare-and-set, so a second bridge
 * either takes the volume over (fencing this one) or is refused.
 *
 * <p>Recovery ({@link #open}): take a new epoch, load the checkpoint, replay the segments after it
 * up to the first missing one, record where the new epoch starts, serve. A durability request
 * completes only when every earlier segment is stored <em>and</em> the catalog still names this
 * writer's epoch, so nothing acknowledged by a fenced writer can be missed by the one that replaced it.
 */
public final class LogVolume implements BlockVolume {
    private static final Logger LOG = LogManager.getLogger(LogVolume.class);
    private static final long STORE_TIMEOUT_SECONDS = 60;

    private final ImmutableStore store;
    private final VolumeCatalog catalog;
    private final LogVolumeOptions options;
    private final String name;
    private final String volumeId;
    private final int blockSize;
    private final long blockCount;
    private final long epoch;

    // guarded by this
    private final LbaMap map;
    private final List<VolumeRecord.EpochStart> epochs;
    private long nextSeq;
    private OpenSegment open;
    private final Map<Long, Segment> unstored = new TreeMap<>();
    private final Map<Long, CompletableFuture<Void>> puts = new TreeMap<>();
    private long unstoredBytes;
    private int segmentsSinceCheckpoint;
    private VolumeRecord.Checkpoint checkpoint;
    private final Set<Long> garbage = new HashSet<>();
    /** Encoded sizes of stored segments this writer knows (the others are taken as full). */
    private final Map<Long, Integer> storedSizes = new java.util.HashMap<>();
    /** The sum of storedSizes: what this writer keeps in the store, dead segments not yet deleted included. */
    private long storedBytes;
    private IOException failure;
    private boolean closed;

    private final SegmentCache cache;
    /** Where the current sequential stream of reads is expected next, and how far it has been read ahead. */
    private long streamNext = -1;
    private long readAheadUpTo = -1;
    /** One checkpoint at a time: concurrent flushes would otherwise race for the catalog record. */
    private final java.util.concurrent.locks.ReentrantLock checkpointing = new java.util.concurrent.locks.ReentrantLock();
    /** Checkpoints, deletes and compaction run here, off the I/O path. */
    private final java.util.concurrent.ScheduledExecutorService maintenance;
    private boolean maintenanceQueued;
    private long lastWriteNanos = System.nanoTime();

    private LogVolume(ImmutableStore store, VolumeCatalog catalog, LogVolumeOptions options, VolumeRecord record,
                      long epoch, LbaMap map, long nextSeq, Set<Long> garbage) {
        this.store = store;
        this.catalog = catalog;
        this.options = options;
        this.name = record.name();
        this.volumeId = record.id();
        this.blockSize = record.blockSize();
        this.blockCount = record.sizeBytes() / record.blockSize();
        this.epoch = epoch;
        this.map = map;
        this.epochs = record.epochs();
        this.nextSeq = nextSeq;
        this.checkpoint = record.checkpoint();
        this.garbage.addAll(garbage);
        this.open = new OpenSegment(volumeId, epoch, nextSeq, options.segmentBytes());
        this.cache = new SegmentCache(options.cacheBytes());
        this.maintenance = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "volume-" + record.name() + "-maintenance");
            t.setDaemon(true);
            return t;
        });
        maintenance.scheduleWithFixedDelay(this::checkpointIfIdle, IDLE_CHECKPOINT_SECONDS, IDLE_CHECKPOINT_SECONDS, TimeUnit.SECONDS);
    }

    /** Takes the volume over with a new writer epoch, recovers its state from the store, and serves it. */
    public static LogVolume open(ImmutableStore store, VolumeCatalog catalog, String name, LogVolumeOptions options) throws IOException {
        VolumeCatalog.Versioned current = catalog.read(name)
                .orElseThrow(() -> new IOException("no volume named '" + name + "'; create it with 'iscsi-bridge volume create'"));
        VolumeRecord record = current.record();
        long epoch = record.epoch() + 1;
        // 1. fence: from here on the previous writer cannot complete a durability request
        VolumeCatalog.Versioned fenced = catalog.compareAndSet(name, current.version(), record.withEpoch(epoch, record.epochs()))
                .orElseThrow(() -> new FencedException("volume '" + name + "' changed while opening it: another bridge is taking it over"));
        record = fenced.record();
        // 2. load the checkpoint, 3. replay what follows it
        LbaMap map = new LbaMap(record.blockSize());
        Set<Long> garbage = new HashSet<>();
        long seq = 0;
        if (record.checkpoint() != null) {
            byte[] bytes = await(Checkpoint.load(store, record.checkpoint()), "checkpoint " + record.checkpoint().key());
            if (bytes == null) throw new IOException("checkpoint " + record.checkpoint().key() + " of volume '" + name + "' is missing from the store");
            Checkpoint.Decoded c = Checkpoint.decode(bytes, record.checkpoint().key());
            for (MappedRun e : c.extents()) map.put(e.lba(), e.blocks(), e.seq(), e.offset());
            garbage.addAll(c.garbage());
            seq = c.seq() + 1;
        }
        int replayed = 0;
        long replayFrom = seq;
        while (true) {
            long segEpoch = epochOf(record.epochs(), seq);
            if (segEpoch < 0) break;
            byte[] bytes = await(store.get(segmentKey(record.id(), segEpoch, seq)), "segment " + seq);
            if (bytes == null) break;
            apply(map, Segment.decode(bytes, record.id(), seq));
            seq++;
            replayed++;
        }
        map.drainDied();
        for (long r = replayFrom; r < seq; r++) if (map.liveBlocks(r) == 0) garbage.add(r);
        // 4. the new epoch starts at the first missing segment; later ones of the old epoch are ignored
        List<VolumeRecord.EpochStart> epochs = new ArrayList<>(record.epochs());
        epochs.add(new VolumeRecord.EpochStart(epoch, seq));
        VolumeCatalog.Versioned started = catalog.compareAndSet(name, fenced.version(), record.withEpoch(epoch, epochs))
                .orElseThrow(() -> new FencedException("volume '" + name + "' was taken over by another bridge while this one recovered it"));
        LOG.info("Volume '{}' opened as writer epoch {}: checkpoint {}, {} segment(s) replayed, {} extent(s), next segment {}",
                name, epoch, record.checkpoint() == null ? "none" : record.checkpoint().key(), replayed, map.size(), seq);
        return new LogVolume(store, catalog, options, started.record(), epoch, map, seq, garbage);
    }

    private static void apply(LbaMap map, Segment s) {
        for (Segment.Entry e : s.entries) {
            if (e.kind() == Segment.Kind.DATA) map.put(e.lba(), e.blocks(), s.seq, e.dataOffset());
            else map.remove(e.lba(), e.blocks());
        }
    }

    /** The writer epoch whose key holds segment {@code seq}, or -1 if no epoch has started by then. */
    static long epochOf(List<VolumeRecord.EpochStart> epochs, long seq) {
        long found = -1;
        for (VolumeRecord.EpochStart e : epochs) if (e.firstSeq() <= seq) found = e.epoch();
        return found;
    }

    static String segmentKey(String volumeId, long epoch, long seq) {
        return volumeId + "/s/" + epoch + "/" + seq;
    }

    static String checkpointKey(String volumeId, long epoch, long seq) {
        return volumeId + "/c/" + epoch + "/" + seq;
    }

    @Override public int blockSize() { return blockSize; }
    @Override public long blockCount() { return blockCount; }
    @Override public boolean supportsUnmap() { return true; }
    @Override public String describe() { return "log volume '" + name + "' on " + store.describe(); }

    public long epoch() {
        return epoch;
    }

    // ---- writes ----

    @Override
    public void write(long lba, ByteBuf src, boolean fua) throws IOException {
        int blocks = src.readableBytes() / blockSize;
        checkRange(lba, blocks);
        long sealedUpTo;
        synchronized (this) {
            ensureUsable();
            lastWriteNanos = System.nanoTime();
            int done = 0;
            while (done < blocks) {
                int room = open.roomInBlocks(blockSize);
                if (room == 0) {
                    seal();
                    continue;
                }
                int n = Math.min(room, blocks - done);
                long offset = open.append(src, src.readerIndex() + done * blockSize, n * blockSize);
                open.entries.add(new Segment.Entry(lba + done, n, Segment.Kind.DATA, offset));
                map.put(lba + done, n, open.seq, offset);
                done += n;
            }
            if (open.isFull(blockSize)) seal();
            collectGarbage();
            sealedUpTo = fua || options.writeThrough() ? sealIfNeeded() : -1;
            waitForRoom();
        }
        if (sealedUpTo >= 0) awaitDurable(sealedUpTo);
    }

    @Override
    public void unmap(long lba, long blocks) throws IOException {
        checkRange(lba, blocks);
        long sealedUpTo;
        synchronized (this) {
            ensureUsable();
            lastWriteNanos = System.nanoTime();
            if (open.entries.size() >= open.maxEntries()) seal();
            open.entries.add(new Segment.Entry(lba, blocks, Segment.Kind.UNMAP, 0));
            map.remove(lba, blocks);
            collectGarbage();
            sealedUpTo = options.writeThrough() ? sealIfNeeded() : -1;
        }
        if (sealedUpTo >= 0) awaitDurable(sealedUpTo);
    }

    @Override
    public void flush() throws IOException {
        long upTo;
        synchronized (this) {
            ensureUsable();
            upTo = sealIfNeeded();
        }
        awaitDurable(upTo);
    }

    /** Seals the open segment if it holds anything; returns the last sealed sequence number. */
    private long sealIfNeeded() {
        if (!open.entries.isEmpty()) seal();
        return nextSeq - 1;
    }

    /**
     * Sealed segments the map no longer points to become garbage; they are deleted once a checkpoint
     * that does not need them is durable. (The open segment can still gain blocks: it is judged when sealed.)
     */
    private void collectGarbage() {
        for (long seq : map.drainDied()) if (seq < open.seq) garbage.add(seq);
    }

    /** Encodes the open segment, stores it asynchronously, and opens the next one. */
    private void seal() {
        if (map.liveBlocks(open.seq) == 0) garbage.add(open.seq); // only overwritten or unmapped blocks
        Segment s = open.seal();
        nextSeq = open.seq + 1;
        open = new OpenSegment(volumeId, epoch, nextSeq, options.segmentBytes());
        unstored.put(s.seq, s);
        unstoredBytes += s.length;
        CompletableFuture<Void> put = storeWithRetry(segmentKey(volumeId, epoch, s.seq), s.bytes, s.length, 0);
        puts.put(s.seq, put);
        put.whenComplete((v, e) -> stored(s, e));
    }

    private CompletableFuture<Void> storeWithRetry(String key, byte[] bytes, int length, int attempt) {
        return store.putIfAbsent(key, bytes, length).exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof StoreException se && se.reason() == StoreException.Reason.UNAVAILABLE && attempt < 8) {
                LOG.warn("Storing {} failed ({}); retrying", key, se.getMessage());
                return CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(100L << Math.min(attempt, 5), TimeUnit.MILLISECONDS))
                        .thenCompose(x -> storeWithRetry(key, bytes, length, attempt + 1));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private synchronized void stored(Segment s, Throwable error) {
        if (error != null) {
            failure = new IOException("volume '" + name + "': storing segment " + s.seq + " failed: " + error.getMessage(), error);
            LOG.error("Volume '{}' can no longer write: {}. Writes and flushes fail until the bridge reopens it.",
                    name, failure.getMessage());
        } else {
            cache.put(s);
            Integer before = storedSizes.put(s.seq, s.length);
            storedBytes += s.length - (before == null ? 0 : before);
            segmentsSinceCheckpoint++;
            puts.remove(s.seq); // done: nobody needs to wait for it any more
            if (segmentsSinceCheckpoint >= options.checkpointEverySegments()
                    || (garbage.size() >= GARBAGE_CHECKPOINT_SEGMENTS && segmentsSinceCheckpoint >= GARBAGE_CHECKPOINT_SEGMENTS / 4)
                    || storedBytes > liveBytes() * 3 / 2 + options.segmentBytes()) {
                scheduleMaintenance();
            }
        }
        unstored.remove(s.seq);
        unstoredBytes -= s.length;
        notifyAll();
    }

    /**
     * Holds the writer while the store has too many unstored segments, or while garbage collection
     * is far behind (the volume stores over 1.75 times its live data): so rewriting a volume cannot
     * fill the store faster than dead segments are deleted. The latter wait is bounded: a write must
     * not time out at the initiator because collection is slow.
     */
    private void waitForRoom() throws IOException {
        long gcDeadline = 0;
        while (failure == null) {
            boolean storeBehind = unstoredBytes > options.maxUnstoredBytes();
            boolean gcBehind = storedBytes > liveBytes() * 7 / 4 + options.maxUnstoredBytes();
            if (gcBehind && !storeBehind) {
                if (gcDeadline == 0) {
                    gcDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GC_STALL_SECONDS);
                    scheduleMaintenance();
                } else if (System.nanoTime() > gcDeadline) {
                    if (gcStallsLogged++ % 100 == 0) {
                        LOG.warn("Volume '{}': garbage collection is behind ({} MiB stored for {} MiB of live data); writes go on "
                                + "after waiting {} s", name, storedBytes >> 20, liveBytes() >> 20, GC_STALL_SECONDS);
                    }
                    break;
                }
            }
            if (!storeBehind && !gcBehind) break;
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the store");
            }
        }
        ensureUsable();
    }

    private long liveBytes() {
        return map.mappedBlocks() * blockSize;
    }

    /** Waits until segments up to {@code seq} are stored, then confirms this writer still owns the volume. */
    private void awaitDurable(long seq) throws IOException {
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<Long, CompletableFuture<Void>> e : puts.entrySet()) if (e.getKey() <= seq) waiting.add(e.getValue());
        }
        for (CompletableFuture<Void> f : waiting) await(f, "segment");
        synchronized (this) {
            puts.keySet().removeIf(k -> k <= seq && puts.get(k).isDone() && !puts.get(k).isCompletedExceptionally());
            ensureUsable();
        }
        confirmOwnership();
    }

    private void confirmOwnership() throws IOException {
        Optional<VolumeCatalog.Versioned> now;
        try {
            now = catalog.read(name);
        } catch (CatalogException e) {
            throw new IOException("volume '" + name + "': cannot confirm this bridge still owns it: " + e.getMessage(), e);
        }
        if (now.isEmpty() || now.get().record().epoch() != epoch) {
            IOException fenced = new FencedException("volume '" + name + "' was taken over by writer epoch "
                    + now.map(v -> Long.toString(v.record().epoch())).orElse("(deleted)") + "; this bridge (epoch " + epoch + ") stops writing it");
            synchronized (this) {
                failure = fenced;
            }
            throw fenced;
        }
    }

    // ---- checkpoints and garbage ----

    /** Dead segments awaiting deletion that call for a checkpoint before the usual count of segments. */
    private static final int GARBAGE_CHECKPOINT_SEGMENTS = 16;
    private static final int IDLE_CHECKPOINT_SECONDS = 5;
    private static final int PARALLEL_DELETES = 16;
    private static final int GC_STALL_SECONDS = 10;
    private long gcStallsLogged;

    /** Queues a checkpoint and a compaction pass on the maintenance thread (once, however often asked). */
    private synchronized void scheduleMaintenance() {
        if (maintenanceQueued || closed || failure != null) return;
        maintenanceQueued = true;
        try {
            maintenance.execute(this::maintain);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            maintenanceQueued = false; // closing
        }
    }

    private void checkpointIfIdle() {
        synchronized (this) {
            // written since the last checkpoint, or dead segments left to delete, and no write for a while
            if (segmentsSinceCheckpoint == 0 && open.entries.isEmpty() && garbage.isEmpty()) return;
            if (System.nanoTime() - lastWriteNanos < TimeUnit.SECONDS.toNanos(IDLE_CHECKPOINT_SECONDS)) return;
        }
        scheduleMaintenance();
    }

    private void maintain() {
        synchronized (this) {
            maintenanceQueued = false;
            if (closed || failure != null) return;
        }
        try {
            checkpoint();
            compact(COMPACT_PER_PASS);
        } catch (FencedException e) {
            synchronized (this) {
                if (failure == null) failure = e;
            }
            LOG.error("Volume '{}': {}", name, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Volume '{}': checkpoint or garbage collection failed ({}); it is retried after the next segments "
                    + "(nothing acknowledged is at risk: recovery replays the segments after the last checkpoint)", name, e.getMessage());
        }
    }

    /** At most this many segments rewritten per maintenance pass (a pass follows every 64 stored segments or so). */
    private static final int COMPACT_PER_PASS = 64;

    /**
     * Rewrites the live blocks of mostly dead segments (under two thirds live) into the open segment, so
     * that those segments die and are deleted after a later checkpoint: random rewrites then do not
     * grow the stored bytes without bound. Runs only when the volume stores more than 1.5 times its
     * live data, and brings it down to about 1.25 times. Returns how many segments it emptied.
     */
    public int compact(int maxSegments) throws IOException {
        List<Long> candidates = new ArrayList<>();
        synchronized (this) {
            ensureUsable();
            long stored = 0;
            long live = 0;
            for (long seq : map.liveSegments()) {
                stored += storedSizes.getOrDefault(seq, options.segmentBytes());
                live += map.liveBlocks(seq) * blockSize;
            }
            if (stored <= live * 3 / 2) return 0;
            long through = storedThrough();
            List<Long> byLiveness = new ArrayList<>(map.liveSegments());
            byLiveness.removeIf(seq -> seq > through);
            // least live first, as a share of the segment's size (segments sealed early are small),
            // until what would remain is 1.25 times the live data
            byLiveness.sort(java.util.Comparator.comparingDouble(this::liveShare));
            long remaining = stored;
            for (long seq : byLiveness) {
                if (liveShare(seq) >= 2.0 / 3 || candidates.size() == maxSegments || remaining <= live * 5 / 4) break;
                candidates.add(seq);
                remaining -= storedSizes.getOrDefault(seq, options.segmentBytes()) - map.liveBlocks(seq) * blockSize;
            }
        }
        int emptied = 0;
        for (long seq : candidates) {
            Segment s = fetch(seq);
            if (s == null) continue;
            ByteBuf bytes = io.netty.buffer.Unpooled.wrappedBuffer(s.bytes);
            synchronized (this) {
                ensureUsable();
                for (Segment.Entry e : s.entries) {
                    if (e.kind() != Segment.Kind.DATA) continue;
                    for (MappedRun run : map.lookup(e.lba(), e.blocks())) {
                        if (run.seq() != seq) continue; // overwritten since
                        int length = (int) (run.blocks() * blockSize);
                        if (open.roomInBlocks(blockSize) < run.blocks()) seal();
                        long offset = open.append(bytes, s.dataStart + (int) run.offset(), length);
                        open.entries.add(new Segment.Entry(run.lba(), run.blocks(), Segment.Kind.DATA, offset));
                        map.put(run.lba(), run.blocks(), open.seq, offset);
                    }
                }
                collectGarbage();
                if (map.liveBlocks(seq) == 0) emptied++;
            }
        }
        if (emptied > 0) LOG.debug("Volume '{}': compaction moved the live blocks of {} segment(s)", name, emptied);
        return emptied;
    }

    private static void sleepQuietly(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private double liveShare(long seq) {
        return (double) map.liveBlocks(seq) * blockSize / storedSizes.getOrDefault(seq, options.segmentBytes());
    }

    /**
     * Stores the map as of the last stored segment, points the record at it, then deletes what only
     * older checkpoints needed: dead segments, and the previous checkpoint.
     */
    public void checkpoint() throws IOException {
        checkpointing.lock();
        try {
            recordCheckpoint();
        } finally {
            checkpointing.unlock();
        }
    }

    private void recordCheckpoint() throws IOException {
        long seq;
        byte[] bytes;
        List<Long> dead = new ArrayList<>();
        VolumeRecord.Checkpoint previous;
        List<CompletableFuture<Void>> unstoredBefore = new ArrayList<>();
        int extentCount;
        synchronized (this) {
            ensureUsable();
            // The map as of the end of segment seq: seal the open segment so that no extent points past it.
            if (!open.entries.isEmpty()) seal();
            seq = nextSeq - 1;
            if (seq < 0) return;
            collectGarbage();
            for (Long g : garbage) if (g <= seq && map.liveBlocks(g) == 0) dead.add(g);
            if (checkpoint != null && checkpoint.seq() >= seq && dead.isEmpty()) return; // nothing new
            List<MappedRun> extents = new ArrayList<>(map.size());
            for (MappedRun e : map.all()) extents.add(e);
            bytes = Checkpoint.encode(seq, extents, dead);
            extentCount = extents.size();
            previous = checkpoint;
            segmentsSinceCheckpoint = 0;
            for (Map.Entry<Long, CompletableFuture<Void>> e : puts.entrySet()) if (e.getKey() <= seq) unstoredBefore.add(e.getValue());
        }
        for (CompletableFuture<Void> f : unstoredBefore) await(f, "segment"); // the checkpoint may name only stored segments
        synchronized (this) {
            ensureUsable();
        }
        String key = checkpointKey(volumeId, epoch, seq);
        if (previous != null && previous.key().equals(key)) {
            key = key + "." + System.nanoTime(); // a second checkpoint at the same segment, for garbage found since
        }
        int parts = await(Checkpoint.store(store, key, bytes, options.checkpointPartBytes()), "checkpoint " + key);
        VolumeRecord.Checkpoint next = new VolumeRecord.Checkpoint(key, seq, parts);
        try {
            recordInCatalog(next);
        } catch (IOException e) {
            // fenced or deleted: nothing will ever point at this checkpoint, so it goes now
            try {
                await(Checkpoint.delete(store, next), "checkpoint " + key);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        synchronized (this) {
            checkpoint = next;
        }
        // the new checkpoint no longer needs these: delete them (a crash here leaves them listed in it)
        for (int from = 0; from < dead.size(); from += PARALLEL_DELETES) {
            List<Long> batch = dead.subList(from, Math.min(dead.size(), from + PARALLEL_DELETES));
            List<CompletableFuture<Void>> deletes = new ArrayList<>();
            for (long g : batch) deletes.add(store.delete(segmentKey(volumeId, epochOf(epochs, g), g)));
            for (int i = 0; i < batch.size(); i++) {
                long g = batch.get(i);
                await(deletes.get(i), "segment " + g);
                synchronized (this) {
                    garbage.remove(g);
                    cache.remove(g);
                    Integer size = storedSizes.remove(g);
                    if (size != null) storedBytes -= size;
                    notifyAll(); // writers waiting for garbage collection
                }
            }
        }
        if (previous != null) await(Checkpoint.delete(store, previous), "checkpoint " + previous.key());
        LOG.debug("Volume '{}': checkpoint {} ({} extents), {} dead segment(s) deleted", name, key, extentCount, dead.size());
    }

    /** Points the volume record at {@code next}; the record may also change for a resize, which is retried. */
    private void recordInCatalog(VolumeRecord.Checkpoint next) throws IOException {
        for (int attempt = 0; ; attempt++) {
            VolumeCatalog.Versioned v = catalog.read(name).orElseThrow(() -> new FencedException("volume '" + name + "' was deleted"));
            if (v.record().epoch() != epoch) throw new FencedException("volume '" + name + "' was taken over by writer epoch " + v.record().epoch());
            if (catalog.compareAndSet(name, v.version(), v.record().withCheckpoint(next, v.record().epochs())).isPresent()) return;
            if (attempt == 99) throw new IOException("volume '" + name + "' kept changing while recording checkpoint " + next.key());
            if (attempt >= 3) sleepQuietly(10);
        }
    }

    /** The highest sequence number such that it and every earlier segment are stored. */
    private long storedThrough() {
        long lowestUnstored = unstored.isEmpty() ? open.seq : unstored.keySet().iterator().next();
        return lowestUnstored - 1;
    }

    // ---- reads ----

    @Override
    public void read(long lba, int blocks, ByteBuf dst) throws IOException {
        checkRange(lba, blocks);
        int start = dst.writerIndex();
        dst.ensureWritable(blocks * blockSize);
        dst.writeZero(blocks * blockSize);
        for (int attempt = 0; ; attempt++) {
            List<MappedRun> fromStore = new ArrayList<>();
            synchronized (this) {
                ensureReadable();
                for (MappedRun run : map.lookup(lba, blocks)) {
                    if (!copyFromMemory(run, lba, dst, start)) fromStore.add(run);
                }
                readAhead(lba, blocks);
            }
            if (fromStore.isEmpty()) return;
            Map<Long, CompletableFuture<Segment>> loads = new LinkedHashMap<>();
            for (MappedRun run : fromStore) loads.computeIfAbsent(run.seq(), seq -> cache.load(seq, this::loadFromStore));
            boolean missing = false;
            for (MappedRun run : fromStore) {
                Segment s = await(loads.get(run.seq()), "segment " + run.seq());
                if (s == null) {
                    missing = true; // deleted as garbage after we looked: the map has moved on
                    break;
                }
                copy(s, run, lba, dst, start);
            }
            if (!missing) return;
            if (attempt == 3) throw new IOException("volume '" + name + "': segments kept disappearing while reading LBA " + lba);
        }
    }

    /** Serves the read only if every block is in memory (open, unstored or cached segments); else leaves dst alone. */
    @Override
    public synchronized boolean readIfCached(long lba, int blocks, ByteBuf dst) throws IOException {
        checkRange(lba, blocks);
        ensureReadable();
        List<MappedRun> runs = map.lookup(lba, blocks);
        for (MappedRun run : runs) {
            if (run.seq() != open.seq && !unstored.containsKey(run.seq()) && cache.get(run.seq()) == null) return false;
        }
        int start = dst.writerIndex();
        dst.ensureWritable(blocks * blockSize);
        dst.writeZero(blocks * blockSize);
        for (MappedRun run : runs) copyFromMemory(run, lba, dst, start);
        readAhead(lba, blocks);
        return true;
    }

    /** Copies a run from the open segment, an unstored one, or the cache; false if it is in none. */
    private boolean copyFromMemory(MappedRun run, long lba, ByteBuf dst, int start) {
        if (run.seq() == open.seq) {
            dst.setBytes(start + (int) ((run.lba() - lba) * blockSize), open.bytes, open.dataStart + (int) run.offset(), (int) (run.blocks() * blockSize));
            return true;
        }
        Segment s = unstored.get(run.seq());
        if (s == null) s = cache.get(run.seq());
        if (s == null) return false;
        copy(s, run, lba, dst, start);
        return true;
    }

    private void copy(Segment s, MappedRun run, long lba, ByteBuf dst, int start) {
        dst.setBytes(start + (int) ((run.lba() - lba) * blockSize), s.bytes, s.dataStart + (int) run.offset(), (int) (run.blocks() * blockSize));
    }

    /**
     * When reads follow one another (allowing for the reordering of queued commands), starts
     * fetching the segments that hold the next {@code readAheadBytes} of blocks, each range once.
     */
    private void readAhead(long lba, int blocks) {
        long window = options.readAheadBytes() / blockSize;
        if (window == 0) return;
        long end = lba + blocks;
        boolean sequential = streamNext >= 0 && lba >= streamNext - window && lba <= streamNext + window;
        streamNext = Math.max(end, sequential ? streamNext : 0);
        if (!sequential) {
            readAheadUpTo = end;
            return;
        }
        if (end + window / 2 <= readAheadUpTo) return; // still well inside what was read ahead
        long from = Math.max(readAheadUpTo, end);
        long to = Math.min(blockCount, end + window);
        readAheadUpTo = to;
        if (from >= to) return;
        Set<Long> wanted = new java.util.LinkedHashSet<>();
        for (MappedRun run : map.lookup(from, (int) (to - from))) {
            if (run.seq() != open.seq && !unstored.containsKey(run.seq()) && !cache.contains(run.seq())) wanted.add(run.seq());
        }
        for (long seq : wanted) cache.load(seq, this::loadFromStore);
    }

    private CompletableFuture<Segment> loadFromStore(long seq) {
        return store.get(segmentKey(volumeId, epochOf(epochs, seq), seq))
                .thenApply(bytes -> bytes == null ? null : Segment.decode(bytes, volumeId, seq));
    }

    private Segment fetch(long seq) throws IOException {
        return await(cache.load(seq, this::loadFromStore), "segment " + seq);
    }

    @Override
    public synchronized BlockVolume.Extent extentAt(long lba) throws IOException {
        checkRange(lba, 1);
        long[] p = map.provisioning(lba, blockCount);
        return new BlockVolume.Extent(lba, p[1], p[0] == 1);
    }

    // ---- housekeeping ----

    private void checkRange(long lba, long blocks) throws IOException {
        if (lba < 0 || blocks < 0 || lba + blocks > blockCount) {
            throw new IOException("blocks " + lba + ".." + (lba + blocks - 1) + " are outside volume '" + name + "' (" + blockCount + " blocks)");
        }
    }

    private void ensureUsable() throws IOException {
        if (failure != null) throw failure;
        if (closed) throw new IOException("volume '" + name + "' is closed");
    }

    private void ensureReadable() throws IOException {
        if (closed) throw new IOException("volume '" + name + "' is closed");
    }

    /** Flushes and checkpoints (when this writer still owns the volume), then stops serving it. */
    @Override
    public void close() throws IOException {
        try {
            synchronized (this) {
                if (closed) return;
            }
            if (failure == null) {
                flush();
                checkpoint();
            }
        } finally {
            synchronized (this) {
                closed = true;
            }
            maintenance.shutdownNow();
            cache.clear(); // a closed volume may stay referenced (a LUN being replaced); its cache need not

        }
    }

    private static <T> T await(CompletableFuture<T> f, String what) throws IOException {
        try {
            return f.get(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            throw new IOException(what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException(what + ": the store did not answer within " + STORE_TIMEOUT_SECONDS + " s");
        }
    }

    /** Test hook: stored segment and extent counts. */
    synchronized int extentCount() {
        return map.size();
    }
}
