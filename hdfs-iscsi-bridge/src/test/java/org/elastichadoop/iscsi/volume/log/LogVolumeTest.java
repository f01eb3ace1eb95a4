package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.elastichadoop.iscsi.store.MemoryStore;
import org.elastichadoop.iscsi.volume.BlockVolume;
import org.junit.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** LogVolume over the memory store and catalog: reads, writes, durability, recovery, fencing, garbage. */
public class LogVolumeTest {
    private static final int BS = 512;
    private final MemoryStore store = new MemoryStore();
    private final MemoryVolumeCatalog catalog = new MemoryVolumeCatalog();
    private final Random random = new Random(3);
    /** Small segments and frequent checkpoints, so the tests cross those boundaries often. */
    private final LogVolumeOptions small = LogVolumeOptions.defaults().withSegmentBytes(64 * 1024).withCheckpointEvery(4);

    private LogVolume create(String name, long bytes) throws IOException {
        LogVolumes.create(catalog, name, bytes, BS);
        return LogVolume.open(store, catalog, name, small);
    }

    private byte[] random(int blocks) {
        byte[] b = new byte[blocks * BS];
        random.nextBytes(b);
        return b;
    }

    private static byte[] read(BlockVolume v, long lba, int blocks) throws IOException {
        ByteBuf b = Unpooled.buffer();
        v.read(lba, blocks, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static void write(BlockVolume v, long lba, byte[] data, boolean fua) throws IOException {
        v.write(lba, Unpooled.wrappedBuffer(data), fua);
    }

    @Test
    public void unwrittenBlocksReadAsZerosAndWritesReadBackAcrossSegments() throws Exception {
        LogVolume v = create("rw", 8 << 20);
        assertArrayEquals(new byte[8 * BS], read(v, 100, 8));
        byte[] big = random(1000); // spans several 64 KiB segments
        write(v, 10, big, false);
        byte[] small1 = random(3);
        write(v, 500, small1, false); // overwrites the middle of the big write
        byte[] expected = big.clone();
        System.arraycopy(small1, 0, expected, (500 - 10) * BS, small1.length);
        assertArrayEquals(expected, read(v, 10, 1000));
        v.flush();
        assertArrayEquals("after the segments are stored", expected, read(v, 10, 1000));
        v.close();
    }

    @Test
    public void unmappedBlocksReadAsZerosAndReportUnmapped() throws Exception {
        LogVolume v = create("unmap", 4 << 20);
        write(v, 0, random(64), true);
        v.unmap(16, 32);
        byte[] got = read(v, 0, 64);
        for (int i = 16 * BS; i < 48 * BS; i++) if (got[i] != 0) fail("unmapped byte " + i + " is not zero");
        BlockVolume.Extent first = v.extentAt(0);
        assertTrue(first.mapped());
        assertEquals(16, first.blocks());
        BlockVolume.Extent hole = v.extentAt(16);
        assertFalse(hole.mapped());
        assertEquals(32, hole.blocks());
        assertTrue(v.extentAt(48).mapped());
        v.close();
        LogVolume again = LogVolume.open(store, catalog, "unmap", small);
        assertFalse("the unmap survives a reopen", again.extentAt(20).mapped());
        again.close();
    }

    @Test
    public void afterACrashEveryFlushedAndEveryFuaWriteIsThere() throws Exception {
        LogVolume v = create("crash", 4 << 20);
        byte[] flushed = random(300);
        write(v, 0, flushed, false);
        v.flush();
        byte[] unflushed = random(8);
        write(v, 1000, unflushed, false);
        byte[] fua = random(4);
        write(v, 2000, fua, true);
        // crash: the volume object is abandoned without close(); only the store and catalog remain
        LogVolume recovered = LogVolume.open(store, catalog, "crash", small);
        assertEquals(2, recovered.epoch());
        assertArrayEquals(flushed, read(recovered, 0, 300));
        assertArrayEquals(fua, read(recovered, 2000, 4));
        // the unflushed write was sealed together with the FUA write, so it is there too
        assertArrayEquals(unflushed, read(recovered, 1000, 8));
        recovered.close();
    }

    @Test
    public void aCleanCloseLeavesACheckpointAndNothingToReplay() throws Exception {
        LogVolume v = create("ckpt", 4 << 20);
        byte[] data = random(2000);
        write(v, 0, data, false);
        v.close();
        VolumeRecord r = catalog.read("ckpt").orElseThrow().record();
        assertNotNull("close writes a checkpoint", r.checkpoint());
        LogVolume again = LogVolume.open(store, catalog, "ckpt", small);
        assertArrayEquals(data, read(again, 0, 2000));
        again.close();
    }

    @Test
    public void aSecondWriterFencesTheFirstWhoseLaterWritesAreNeverSeen() throws Exception {
        LogVolume first = create("fence", 4 << 20);
        byte[] before = random(16);
        write(first, 0, before, true);

        LogVolume second = LogVolume.open(store, catalog, "fence", small);
        assertArrayEquals(before, read(second, 0, 16));

        byte[] late = random(16);
        write(first, 0, late, false); // into its write-back cache...
        try {
            first.flush(); // ...but it cannot be made durable: the catalog names the second writer
            fail("a fenced writer completed a flush");
        } catch (FencedException expected) {
            assertTrue(expected.getMessage().contains("epoch"));
        }
        try {
            write(first, 100, random(1), false);
            fail("a fenced writer keeps writing");
        } catch (IOException expected) {
            // stays failed
        }
        assertArrayEquals("the new writer never sees the fenced one's data", before, read(second, 0, 16));
        second.close();
        LogVolume third = LogVolume.open(store, catalog, "fence", small);
        assertArrayEquals("nor does the one after it", before, read(third, 0, 16));
        third.close();
    }

    @Test
    public void rewritingAVolumeTenTimesKeepsItsStoredBytesUnderTwiceItsSize() throws Exception {
        long size = 4 << 20;
        LogVolume v = create("gc", size);
        byte[] last = null;
        for (int round = 0; round < 10; round++) {
            for (long lba = 0; lba < size / BS; lba += 256) {
                last = random(256);
                write(v, lba, last, false);
            }
            v.flush();
        }
        v.checkpoint();
        assertTrue("stored " + store.storedBytes() + " bytes for a " + size + "-byte volume", store.storedBytes() <= 2 * size);
        assertArrayEquals(last, read(v, size / BS - 256, 256));
        v.close();
    }

    @Test
    public void concurrentWritersAndReadersSeeTheirOwnData() throws Exception {
        LogVolume v = create("concurrent", 16 << 20);
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int region = t;
            workers.add(CompletableFuture.runAsync(() -> {
                Random r = new Random(region);
                try {
                    for (int i = 0; i < 200; i++) {
                        long lba = region * 8192L + r.nextInt(8000);
                        byte[] data = new byte[(1 + r.nextInt(64)) * BS];
                        r.nextBytes(data);
                        write(v, lba, data, i % 50 == 0);
                        assertArrayEquals(data, read(v, lba, data.length / BS));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
        v.close();
    }

    @Test
    public void concurrentCheckpointsAndAResizeDoNotFenceTheWriter() throws Exception {
        LogVolume v = create("busy-record", 4 << 20);
        byte[][] written = new byte[4][];
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int region = t;
            workers.add(CompletableFuture.runAsync(() -> {
                Random r = new Random(100 + region);
                try {
                    for (int i = 0; i < 40; i++) {
                        byte[] data = new byte[8 * BS];
                        r.nextBytes(data);
                        write(v, region * 16L, data, false);
                        v.flush();
                        v.checkpoint();
                        written[region] = data;
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (int grow = 1; grow <= 20; grow++) LogVolumes.grow(catalog, "busy-record", (4L << 20) + grow * (1L << 20));
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
        v.close();
        LogVolume reopened = LogVolume.open(store, catalog, "busy-record", small);
        assertEquals("the last resize holds", (24L << 20) / BS, reopened.blockCount());
        for (int t = 0; t < 4; t++) assertArrayEquals("region " + t, written[t], read(reopened, t * 16L, 8));
        reopened.close();
    }

    @Test
    public void concurrentMissesOfOneSegmentFetchItOnce() throws Exception {
        MemoryStore slow = new MemoryStore(100);
        byte[] data = random(128); // one whole 64 KiB segment
        LogVolume v = writtenAndReopened(slow, "shared-miss", 4 << 20, data);
        long before = slow.gets("s");
        List<CompletableFuture<byte[]>> readers = concurrentReads(v, 8, t -> 0L, 128); // more than a ranged read takes
        for (int t = 0; t < 8; t++) assertArrayEquals(data, readers.get(t).join());
        assertEquals("eight readers missing the same segment share one get", 1, slow.gets("s") - before);
        v.close();
    }

    @Test
    public void concurrentSmallReadsOfOneSegmentShareItsChunkTableAndFetchOnlyTheirParts() throws Exception {
        MemoryStore slow = new MemoryStore(100);
        byte[] data = random(128);
        LogVolume v = writtenAndReopened(slow, "shared-parts", 4 << 20, data);
        long gets = slow.gets("s");
        long ranges = slow.ranges("s");
        long bytes = slow.bytesRead("s");
        // 4 KiB each, 8 KiB apart
        List<CompletableFuture<byte[]>> readers = concurrentReads(v, 8, t -> t * 16L, 8);
        for (int t = 0; t < 8; t++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(data, t * 16 * BS, (t * 16 + 8) * BS), readers.get(t).join());
        }
        assertEquals("no whole segment is fetched", 0, slow.gets("s") - gets);
        assertEquals("one fetch of the chunk table, one range per reader", 1 + 8, slow.ranges("s") - ranges);
        long read = slow.bytesRead("s") - bytes;
        assertTrue("8 x 4 KiB read and a small table, not " + read + " bytes", read <= 8 * 4096 + 1024);
        v.close();
    }

    /** A volume on {@code store} holding {@code data} from LBA 0, written, closed and opened again without read-ahead. */
    private LogVolume writtenAndReopened(MemoryStore store, String name, long size, byte[] data) throws IOException {
        LogVolumes.create(catalog, name, size, BS);
        LogVolume writer = LogVolume.open(store, catalog, name, small);
        write(writer, 0, data, false);
        writer.close();
        return LogVolume.open(store, catalog, name, small.withReadAheadBytes(0));
    }

    private static List<CompletableFuture<byte[]>> concurrentReads(LogVolume v, int readers, java.util.function.IntToLongFunction lba, int blocks) {
        List<CompletableFuture<byte[]>> out = new ArrayList<>();
        for (int t = 0; t < readers; t++) {
            int reader = t;
            out.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return read(v, lba.applyAsLong(reader), blocks);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, java.util.concurrent.Executors.newSingleThreadExecutor()));
        }
        return out;
    }

    @Test
    public void randomReadsOfAVolumeWrittenAtRandomMoveTheirChunksNotWholeSegments() throws Exception {
        LogVolume writer = create("random-parts", 1 << 20); // 2,048 blocks, 128 to a 64 KiB segment
        byte[][] model = new byte[2048][];
        for (int i = 0; i < 2048; i++) {
            long lba = (i * 1031L) % 2048;
            model[(int) lba] = random(1);
            write(writer, lba, model[(int) lba], false);
        }
        writer.close();
        LogVolume v = LogVolume.open(store, catalog, "random-parts", small.withReadAheadBytes(0)); // no stream to follow
        long gets = store.gets("s");
        long bytes = store.bytesRead("s");
        Random pick = new Random(9);
        int reads = 300;
        for (int i = 0; i < reads; i++) {
            int lba = pick.nextInt(2048);
            assertArrayEquals("LBA " + lba, model[lba], read(v, lba, 1));
        }
        assertEquals("no whole segment is fetched", 0, store.gets("s") - gets);
        long read = store.bytesRead("s") - bytes;
        // each read: the 4 KiB chunk holding its block; each of the 128 segments (16 writes each): its table once (84 bytes)
        assertTrue(read + " bytes read for " + reads + " 512-byte reads", read <= reads * 4096L + 128 * 84);
        v.close();
    }

    @Test
    public void anAsynchronousReadFetchesWithoutBlockingAndHandsBackWhatItCannotDo() throws Exception {
        MemoryStore slow = new MemoryStore(100);
        byte[] data = random(2048);
        LogVolume v = writtenAndReopened(slow, "async", 1 << 20, data);

        assertEquals("the map's pages are not in memory yet: the blocking read loads them", null,
                v.readAsync(300, 4, Unpooled.buffer()));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 300 * BS, 304 * BS), read(v, 300, 4));

        ByteBuf dst = Unpooled.buffer();
        CompletableFuture<Boolean> f = v.readAsync(1000, 4, dst);
        assertFalse("the store answers in 100 ms: nothing waited for it", f.isDone());
        assertTrue(f.get(5, java.util.concurrent.TimeUnit.SECONDS));
        byte[] got = new byte[dst.readableBytes()];
        dst.readBytes(got);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000 * BS, 1004 * BS), got);

        // a segment deleted between the lookup and the fetch: handed back, for the blocking read to look again
        ByteBuf gone = Unpooled.buffer();
        CompletableFuture<Boolean> g = v.readAsync(1800, 4, gone);
        for (String key : slow.keys()) if (key.contains("/s/")) slow.delete(key).join();
        assertFalse(g.get(5, java.util.concurrent.TimeUnit.SECONDS));
        v.close();
    }

    @Test
    public void aPartThatArrivesDamagedIsReadWholeInstead() throws Exception {
        LogVolume writer = create("damaged-part", 1 << 20);
        byte[] data = random(2048);
        write(writer, 0, data, false);
        writer.close();
        java.util.concurrent.atomic.AtomicInteger damaged = new java.util.concurrent.atomic.AtomicInteger();
        org.elastichadoop.iscsi.store.ImmutableStore flaky = new DamagingStore(store, damaged);
        LogVolume v = LogVolume.open(flaky, catalog, "damaged-part", small.withReadAheadBytes(0));
        long gets = store.gets("s");
        for (long lba : new long[] {1500, 7, 640}) {
            assertArrayEquals("LBA " + lba, java.util.Arrays.copyOfRange(data, (int) lba * BS, (int) (lba + 4) * BS), read(v, lba, 4));
        }
        assertEquals("three parts damaged on the way", 3, damaged.get());
        assertEquals("each read fell back to its whole segment", 3, store.gets("s") - gets);
        v.close();
    }

    /** Flips a bit in every data part a ranged get returns (not in chunk tables), as a bad link or disk would. */
    private record DamagingStore(MemoryStore store, java.util.concurrent.atomic.AtomicInteger damaged)
            implements org.elastichadoop.iscsi.store.ImmutableStore {
        @Override
        public CompletableFuture<Void> putIfAbsent(String key, byte[] value) {
            return store.putIfAbsent(key, value);
        }

        @Override
        public CompletableFuture<byte[]> get(String key) {
            return store.get(key);
        }

        @Override
        public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
            return store.getRange(key, offset, length).thenApply(part -> {
                if (part != null && offset >= 0 && key.contains("/s/")) {
                    part[part.length / 2] ^= 0x40;
                    damaged.incrementAndGet();
                }
                return part;
            });
        }

        @Override
        public CompletableFuture<Void> delete(String key) {
            return store.delete(key);
        }

        @Override
        public String describe() {
            return "damaging " + store.describe();
        }

        @Override
        public void close() {
        }
    }

    @Test
    public void sequentialReadsFetchTheNextSegmentsAheadAndRandomReadsDoNot() throws Exception {
        LogVolume writer = create("read-ahead", 8 << 20);
        byte[] data = random(4096); // 2 MiB: 32 segments of 64 KiB
        write(writer, 0, data, false);
        writer.close();
        LogVolumeOptions options = small.withCacheBytes(1 << 20).withReadAheadBytes(256 * 1024);
        LogVolume v = LogVolume.open(store, catalog, "read-ahead", options);
        ByteBuf probe = Unpooled.buffer();
        assertFalse("nothing is cached after opening", v.readIfCached(0, 8, probe));
        assertEquals(0, probe.readableBytes());

        // a sequential stream: after the first reads, the following blocks are already in memory
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 64 * BS), read(v, 0, 64));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 64 * BS, 128 * BS), read(v, 64, 64));
        long gets = store.gets("s");
        for (long lba = 128; lba < 4096; lba += 64) {
            ByteBuf b = Unpooled.buffer();
            assertTrue("LBA " + lba + " was read ahead", v.readIfCached(lba, 64, b));
            byte[] got = new byte[b.readableBytes()];
            b.readBytes(got);
            assertArrayEquals("LBA " + lba, java.util.Arrays.copyOfRange(data, (int) lba * BS, (int) (lba + 64) * BS), got);
        }
        assertTrue("each segment fetched about once (" + (store.gets("s") - gets) + " more gets)", store.gets("s") - gets <= 32);

        // random single-block reads far apart do not read ahead, nor fetch whole segments: their chunks only
        LogVolume cold = LogVolume.open(store, catalog, "read-ahead", options);
        long before = store.gets("s");
        long ranges = store.ranges("s");
        for (long lba : new long[] {4000, 100, 2900, 1500}) read(cold, lba, 1);
        assertEquals("four scattered reads, no whole segment", 0, store.gets("s") - before);
        assertEquals("four scattered reads in four segments: a table and a chunk each", 8, store.ranges("s") - ranges);
        cold.close();
    }

    @Test
    public void readAheadOnAVolumeWrittenAtRandomFetchesNoMoreThanItsWindowOfSegments() throws Exception {
        LogVolume writer = create("scattered", 1 << 20); // 2,048 blocks, 128 to a 64 KiB segment
        for (int i = 0; i < 2048; i++) write(writer, (i * 1031L) % 2048, random(1), false); // neighbours in other segments
        writer.close();
        LogVolumeOptions options = small.withReadAheadBytes(256 * 1024); // four segments' worth
        LogVolume v = LogVolume.open(store, catalog, "scattered", options);
        long before = store.gets("s");
        read(v, 0, 1);
        read(v, 1, 1); // follows the first: a stream, and the next 512 blocks lie in all 16 segments
        Thread.sleep(300);
        long fetched = store.gets("s") - before;
        assertTrue("two reads and at most four segments read ahead, not " + fetched + " gets", fetched <= 2 + 4);
        v.close();
    }

    @Test
    public void garbageIsCollectedInTheBackgroundWithoutFlushesAndAFlushDoesNotWaitForIt() throws Exception {
        long size = 4 << 20;
        LogVolume v = create("background-gc", size);
        byte[] last = null;
        for (int round = 0; round < 10; round++) {
            for (long lba = 0; lba < size / BS; lba += 256) {
                last = random(256);
                write(v, lba, last, false); // write-back: no flush, no FUA
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (store.storedBytes() > 2 * size && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue("stored " + store.storedBytes() + " bytes for a " + size + "-byte volume", store.storedBytes() <= 2 * size);
        assertNotNull("a checkpoint was recorded without a flush", catalog.read("background-gc").orElseThrow().record().checkpoint());
        assertArrayEquals(last, read(v, size / BS - 256, 256));
        v.close();
        LogVolume again = LogVolume.open(store, catalog, "background-gc", small);
        assertArrayEquals("recovered after the background checkpoints", last, read(again, size / BS - 256, 256));
        again.close();
    }

    @Test
    public void aCheckpointLargerThanOneEntryIsSplitIntoPartsAndRecoveredWhole() throws Exception {
        LogVolumeOptions tinyParts = small.withCheckpointPartBytes(16); // the map's state: a few bytes per segment
        LogVolumes.create(catalog, "parts", 4 << 20, BS);
        LogVolume v = LogVolume.open(store, catalog, "parts", tinyParts);
        byte[] expected = new byte[4 << 20];
        for (int i = 0; i < 500; i++) { // every other block: 500 separate extents
            byte[] data = random(1);
            write(v, i * 2L, data, false);
            System.arraycopy(data, 0, expected, i * 2 * BS, BS);
        }
        v.flush();
        v.checkpoint();
        VolumeRecord.Checkpoint first = catalog.read("parts").orElseThrow().record().checkpoint();
        assertTrue("parts: " + first.parts(), first.parts() > 4);
        for (int i = 0; i < first.parts(); i++) assertNotNull("part " + i, store.get(Checkpoint.partKey(first.key(), i)).join());

        write(v, 1, random(1), false);
        System.arraycopy(read(v, 1, 1), 0, expected, BS, BS);
        v.close(); // a new checkpoint; the old one's parts go
        for (int i = 0; i < first.parts(); i++) {
            assertEquals("old part " + i + " deleted", null, store.get(Checkpoint.partKey(first.key(), i)).join());
        }
        LogVolume again = LogVolume.open(store, catalog, "parts", tinyParts);
        assertArrayEquals("recovered from a checkpoint in parts", java.util.Arrays.copyOf(expected, 1000 * BS), read(again, 0, 1000));
        again.close();
        LogVolumes.delete(catalog, store, "parts");
        assertEquals("deleting the volume removes every part and segment", 0, store.entryCount());
    }

    @Test
    public void writesOutsideTheVolumeAreRefused() throws Exception {
        LogVolume v = create("bounds", 1 << 20);
        try {
            write(v, (1 << 20) / BS - 1, random(2), false);
            fail("a write past the end was accepted");
        } catch (IOException expected) {
            assertTrue(expected.getMessage().contains("outside"));
        }
        v.close();
    }

    @Test
    public void deletingAVolumeRemovesItsEntriesAndRecordAndFencesItsWriter() throws Exception {
        LogVolume v = create("doomed", 4 << 20);
        write(v, 0, random(3000), false);
        v.flush();
        v.checkpoint();
        write(v, 5000, random(10), true);
        assertTrue(store.entryCount() > 0);
        int deleted = LogVolumes.delete(catalog, store, "doomed");
        assertTrue(deleted > 0);
        assertEquals("nothing of the volume is left in the store", 0, store.entryCount());
        assertTrue(catalog.read("doomed").isEmpty());
        try {
            write(v, 0, random(1), true);
            fail("the writer of a deleted volume completed a FUA write");
        } catch (IOException expected) {
            // fenced: the record is gone
        }
    }

    @Test
    public void growingAVolumeIsSeenOnReopenAndShrinkingIsRefused() throws Exception {
        LogVolume v = create("grow", 1 << 20);
        byte[] data = random(16);
        write(v, 0, data, false);
        v.close();
        LogVolumes.grow(catalog, "grow", 2 << 20);
        LogVolume bigger = LogVolume.open(store, catalog, "grow", small);
        assertEquals((2 << 20) / BS, bigger.blockCount());
        assertArrayEquals(data, read(bigger, 0, 16));
        write(bigger, (2 << 20) / BS - 1, random(1), true);
        bigger.close();
        try {
            LogVolumes.grow(catalog, "grow", 1 << 20);
            fail("shrinking accepted");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("drop data"));
        }
    }

    @Test
    public void randomRewritesAreCompactedAndStayUnderTwiceTheSize() throws Exception {
        long size = 4 << 20;
        int blocks = (int) (size / BS);
        LogVolume v = create("compact", size);
        byte[] expected = new byte[(int) size];
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < blocks / 8; i++) {
                int lba = random.nextInt(blocks / 8) * 8;
                byte[] data = random(8);
                write(v, lba, data, false);
                System.arraycopy(data, 0, expected, lba * BS, data.length);
            }
            v.flush();
        }
        for (int pass = 0; pass < 20 && store.storedBytes() > 2 * size; pass++) {
            v.checkpoint();
            v.compact(64);
            v.flush();
        }
        v.checkpoint();
        assertTrue("stored " + store.storedBytes() + " bytes for a " + size + "-byte volume", store.storedBytes() <= 2 * size);
        assertArrayEquals(expected, read(v, 0, blocks));
        v.close();
        LogVolume again = LogVolume.open(store, catalog, "compact", small);
        assertArrayEquals("and after a reopen", expected, read(again, 0, blocks));
        again.close();
    }

    /**
     * A small volume rewritten many times with a cache of four segments: its segments die or are evicted and their
     * arrays carry new segments, while a reader thread reads a region written once, whose segments the cache holds
     * and lets go meanwhile. Every read matches what was written, during the churn and after a reopen.
     */
    @Test
    public void arraysOfSegmentsNobodyReadsCarryNewSegmentsAndEveryReadStaysRight() throws Exception {
        int size = 2 << 20;
        int stable = 256 * 1024;
        LogVolumes.create(catalog, "reuse", size, BS);
        LogVolume v = LogVolume.open(store, catalog, "reuse", small.withCacheBytes(4 * 64 * 1024).withReadAheadBytes(0));
        byte[] model = new byte[size];
        random.nextBytes(model);
        write(v, 0, model, false);
        v.flush();
        java.util.concurrent.atomic.AtomicReference<Throwable> readerFailed = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        byte[] stableBytes = java.util.Arrays.copyOf(model, stable);
        Thread reader = new Thread(() -> {
            Random r = new Random(11);
            try {
                while (!done.get()) {
                    int blocks = 1 + r.nextInt(64);
                    int lba = r.nextInt(stable / BS - blocks + 1);
                    byte[] got = read(v, lba, blocks);
                    if (!java.util.Arrays.equals(got, 0, got.length, stableBytes, lba * BS, (lba + blocks) * BS)) {
                        throw new AssertionError("blocks " + lba + ".." + (lba + blocks - 1) + " read other bytes than written");
                    }
                }
            } catch (Throwable t) {
                readerFailed.set(t);
            }
        }, "reader");
        reader.start();
        try {
            for (int i = 0; i < 3000; i++) {
                int blocks = 8 * (1 + random.nextInt(16));
                int lba = stable / BS + random.nextInt((size - stable) / BS - blocks + 1);
                byte[] data = random(blocks);
                write(v, lba, data, false);
                System.arraycopy(data, 0, model, lba * BS, data.length);
                if (i % 50 == 0) v.flush();
            }
            v.flush();
        } finally {
            done.set(true);
            reader.join();
        }
        if (readerFailed.get() != null) throw new AssertionError("the reader failed", readerFailed.get());
        long[] arrays = v.segmentArraysReusedAndAllocated();
        assertTrue("open segments took arrays back (" + arrays[0] + " reused, " + arrays[1] + " new)", arrays[0] > arrays[1]);
        assertArrayEquals(model, read(v, 0, size / BS));
        v.close();
        LogVolume reopened = LogVolume.open(store, catalog, "reuse", small);
        assertArrayEquals("what the store holds: no segment was stored from an array reused too early", model, read(reopened, 0, size / BS));
        reopened.close();
    }
}
