package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.ByteBuf;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.concurrent.Futures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The write path: gathers writes and unmaps into the open segment (the write-back cache), seals it when full or when
 * the initiator asks for durability, and holds writers back while the store, the checkpoints or garbage collection
 * fall behind. A durability request completes only when every earlier segment is stored <em>and</em> the catalog
 * still names this writer's epoch, so nothing acknowledged by a fenced writer can be missed by the one that
 * replaced it.
 */
final class SegmentWriter {
    private static final Logger LOG = LogManager.getLogger(SegmentWriter.class);
    static final long STORE_TIMEOUT_SECONDS = 60;
    private static final int GC_STALL_SECONDS = 10;
    /** Writes since the last checkpoint the memtable may hold before writers wait for a checkpoint. */
    private static final int MIN_MEMTABLE_LIMIT = 1 << 16;

    private final VolumeState s;
    private final SegmentUploader uploader;
    private final VolumeCatalog catalog;
    private final Runnable maintenanceWanted;
    private final long memtableLimit;
    private long gcStallsLogged;

    SegmentWriter(VolumeState s, SegmentUploader uploader, VolumeCatalog catalog, Runnable maintenanceWanted) {
        this.s = s;
        this.uploader = uploader;
        this.catalog = catalog;
        this.maintenanceWanted = maintenanceWanted;
        this.memtableLimit = Math.max(MIN_MEMTABLE_LIMIT, 2L * s.options.checkpointEverySegments() * s.open.maxEntries());
    }

    void write(long lba, ByteBuf src, boolean fua) throws IOException {
        int blocks = src.readableBytes() / s.blockSize;
        s.checkRange(lba, blocks);
        long sealedUpTo;
        synchronized (s) {
            s.ensureUsable();
            s.lastWriteNanos = System.nanoTime();
            int done = 0;
            while (done < blocks) {
                int room = s.open.roomInBlocks(s.blockSize);
                if (room == 0) {
                    seal();
                    continue;
                }
                int n = Math.min(room, blocks - done);
                append(lba + done, n, src, src.readerIndex() + done * s.blockSize);
                done += n;
            }
            if (s.open.isFull(s.blockSize)) seal();
            s.collectGarbage();
            sealedUpTo = fua || s.options.writeThrough() ? sealIfNeeded() : -1;
            waitForRoom();
        }
        if (sealedUpTo >= 0) awaitDurable(sealedUpTo);
    }

    /** Appends {@code blocks} blocks from {@code src} at {@code index} for {@code lba}; the open segment must have room. */
    void append(long lba, int blocks, ByteBuf src, int index) {
        long offset = s.open.append(src, index, blocks * s.blockSize);
        s.open.entries.add(new Segment.Entry(lba, blocks, Segment.Kind.DATA, offset));
        s.map.put(lba, blocks, s.open.seq, offset);
    }

    void unmap(long lba, long blocks) throws IOException {
        s.checkRange(lba, blocks);
        long sealedUpTo;
        synchronized (s) {
            s.ensureUsable();
            s.lastWriteNanos = System.nanoTime();
            if (s.open.entries.size() >= s.open.maxEntries()) seal();
            s.open.entries.add(new Segment.Entry(lba, blocks, Segment.Kind.UNMAP, 0));
            s.map.remove(lba, blocks);
            s.collectGarbage();
            sealedUpTo = s.options.writeThrough() ? sealIfNeeded() : -1;
        }
        if (sealedUpTo >= 0) awaitDurable(sealedUpTo);
    }

    void flush() throws IOException {
        long upTo;
        synchronized (s) {
            s.ensureUsable();
            upTo = sealIfNeeded();
        }
        awaitDurable(upTo);
    }

    /** Seals the open segment if it holds anything; returns the last sealed sequence number. The lock is held. */
    long sealIfNeeded() {
        if (!s.open.entries.isEmpty()) seal();
        return s.nextSeq - 1;
    }

    /** Encodes the open segment, starts storing it, and opens the next one. The lock is held. */
    void seal() {
        if (s.map.liveBlocks(s.open.seq) == 0) s.garbage.add(s.open.seq); // only overwritten or unmapped blocks
        Segment segment = s.open.seal();
        s.nextSeq = s.open.seq + 1;
        s.open = s.newOpenSegment(s.nextSeq);
        s.unstored.put(segment.seq, segment);
        s.unstoredBytes += segment.length;
        s.puts.put(segment.seq, uploader.upload(segment));
    }

    /**
     * Holds the writer while the store has too many unstored segments, while checkpoints fall behind (the memtable
     * is bounded), or while garbage collection is far behind (the volume stores over 1.75 times its live data), so
     * that rewriting a volume cannot fill the store faster than dead segments are deleted. The last wait is bounded:
     * a write must not time out at the initiator because collection is slow. The lock is held.
     */
    private void waitForRoom() throws IOException {
        long gcDeadline = 0;
        while (s.failure == null) {
            boolean storeBehind = s.unstoredBytes > s.options.maxUnstoredBytes();
            boolean checkpointBehind = s.map.memtableRecords() > memtableLimit;
            boolean gcBehind = s.storedBytes > s.liveBytes() * 7 / 4 + s.options.maxUnstoredBytes();
            if (checkpointBehind) maintenanceWanted.run();
            if (gcBehind && !storeBehind) {
                if (gcDeadline == 0) {
                    gcDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GC_STALL_SECONDS);
                    maintenanceWanted.run();
                } else if (System.nanoTime() > gcDeadline) {
                    if (gcStallsLogged++ % 100 == 0) {
                        LOG.warn("Volume '{}': garbage collection is behind ({} MiB stored for {} MiB of live data); writes go on "
                                + "after waiting {} s", s.name, s.storedBytes >> 20, s.liveBytes() >> 20, GC_STALL_SECONDS);
                    }
                    gcBehind = false;
                }
            }
            if (!storeBehind && !gcBehind && !checkpointBehind) break;
            try {
                s.wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the store");
            }
        }
        s.ensureUsable();
    }

    /** Waits until segments up to {@code seq} are stored, then confirms this writer still owns the volume. */
    void awaitDurable(long seq) throws IOException {
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        synchronized (s) {
            for (Map.Entry<Long, CompletableFuture<Void>> e : s.puts.entrySet()) if (e.getKey() <= seq) waiting.add(e.getValue());
        }
        for (CompletableFuture<Void> f : waiting) Futures.await(f, STORE_TIMEOUT_SECONDS, "segment");
        synchronized (s) {
            s.puts.keySet().removeIf(k -> k <= seq && s.puts.get(k).isDone() && !s.puts.get(k).isCompletedExceptionally());
            s.ensureUsable();
        }
        confirmOwnership();
    }

    private void confirmOwnership() throws IOException {
        Optional<VolumeCatalog.Versioned> now;
        try {
            now = catalog.read(s.name);
        } catch (CatalogException e) {
            throw new IOException("volume '" + s.name + "': cannot confirm this bridge still owns it: " + e.getMessage(), e);
        }
        if (now.isEmpty() || now.get().record().epoch() != s.epoch) {
            IOException fenced = new FencedException("volume '" + s.name + "' was taken over by writer epoch "
                    + now.map(v -> Long.toString(v.record().epoch())).orElse("(deleted)") + "; this bridge (epoch " + s.epoch + ") stops writing it");
            synchronized (s) {
                s.fail(fenced);
            }
            throw fenced;
        }
    }
}
