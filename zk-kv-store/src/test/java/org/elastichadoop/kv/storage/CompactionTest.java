package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.assertValue;
import static org.elastichadoop.kv.storage.StoreTestSupport.bytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.delete;
import static org.elastichadoop.kv.storage.StoreTestSupport.put;
import static org.elastichadoop.kv.storage.StoreTestSupport.segmentFiles;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.elastichadoop.kv.storage.StoreTestSupport.ManualClock;
import org.junit.Test;

/** Runs once with O_DIRECT tail writes and once through the page cache. */
public class CompactionTest extends BothIoModes {

    private static final long GRACE = 1_000;

    @Test
    public void compactionReturnsSpace() throws Exception {
        Path dir = tmp.newFolder().toPath();
        StoreOptions options = testOptions().segmentBytes(4096).build();
        int keys = 200;
        try (LogStore store = LogStore.open(dir, options)) {
            for (int i = 0; i < keys; i++) {
                put(store, "key-" + i, value(i));
            }
            for (int i = 0; i < keys; i++) {
                if (i % 10 != 0) {
                    delete(store, "key-" + i);
                }
            }
            StoreStats before = store.stats();
            int filesBefore = segmentFiles(dir).size();
            store.compact();
            StoreStats after = store.stats();

            assertTrue(after.totalBytes() + " should be well under " + before.totalBytes(),
                    after.totalBytes() < before.totalBytes() / 2);
            assertTrue(segmentFiles(dir).size() < filesBefore);
            assertEquals(after.segments(), segmentFiles(dir).size());
            assertEquals(before.liveBytes(), after.liveBytes());
            assertEquals(keys / 10, after.entries());
            assertEquals(keys - keys / 10, after.tombstones());
            assertContents(store, keys);
        }
        try (LogStore store = LogStore.open(dir, options)) {
            assertContents(store, keys);
            assertEquals(keys - keys / 10, store.stats().tombstones());
        }
    }

    @Test
    public void fullyLiveSegmentsAreLeftAlone() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (LogStore store = LogStore.open(dir, testOptions().segmentBytes(1024).build())) {
            for (int i = 0; i < 50; i++) {
                put(store, "key-" + i, value(i));
            }
            long appends = store.stats().appends();
            long total = store.stats().totalBytes();
            store.compact();
            assertEquals(appends, store.stats().appends());
            assertEquals(total, store.stats().totalBytes());
        }
    }

    /*
     * Layout (segmentBytes 100): a put of "a" (35 bytes) and its tombstone (25 bytes) fill segment 1; a 100-byte
     * filler starts segment 2. Segment 1 is then 58% garbage and the oldest segment.
     */
    private static void writeTombstoneInOldestSegment(LogStore store) throws Exception {
        put(store, "a", new byte[10]);
        delete(store, "a");
        put(store, "filler", new byte[70]);
        assertEquals(2, store.stats().segments());
    }

    @Test
    public void expiredTombstoneInTheOldestSegmentIsDropped() throws Exception {
        Path dir = tmp.newFolder().toPath();
        ManualClock clock = new ManualClock(1_000_000);
        StoreOptions options = tombstoneOptions(clock);
        try (LogStore store = LogStore.open(dir, options)) {
            writeTombstoneInOldestSegment(store);
            clock.advance(GRACE);
            store.compact();
            assertNull(store.meta(bytes("a")));
            assertEquals(0, store.stats().tombstones());
            assertEquals(1, store.stats().segments());
            assertEquals(PutOutcome.STORED, put(store, "a", bytes("reborn")));
        }
        try (LogStore store = LogStore.open(dir, options)) {
            assertValue(store, "a", bytes("reborn"));
        }
    }

    @Test
    public void unexpiredTombstoneInTheOldestSegmentIsCarriedForward() throws Exception {
        Path dir = tmp.newFolder().toPath();
        ManualClock clock = new ManualClock(1_000_000);
        StoreOptions options = tombstoneOptions(clock);
        try (LogStore store = LogStore.open(dir, options)) {
            writeTombstoneInOldestSegment(store);
            clock.advance(GRACE - 1);
            store.compact();
            assertEquals(EntryMeta.State.TOMBSTONE, store.meta(bytes("a")).state());
            assertEquals(1, store.stats().tombstones());
        }
        try (LogStore store = LogStore.open(dir, options)) {
            assertEquals(EntryMeta.State.TOMBSTONE, store.meta(bytes("a")).state());
            assertNull(store.get(bytes("a")));
        }
    }

    @Test
    public void expiredTombstoneInANewerSegmentIsCarriedForward() throws Exception {
        Path dir = tmp.newFolder().toPath();
        ManualClock clock = new ManualClock(1_000_000);
        StoreOptions options = tombstoneOptions(clock);
        try (LogStore store = LogStore.open(dir, options)) {
            // Segment 1: "keep" (98 bytes, live). Segment 2: put "b" (35) + tombstone "b" (25). Segment 3: "z".
            put(store, "keep", new byte[70]);
            put(store, "b", new byte[10]);
            delete(store, "b");
            put(store, "z", new byte[70]);
            assertEquals(3, store.stats().segments());
            clock.advance(10 * GRACE);
            store.compact();
            // Segment 2 was compacted, but an older segment remains, so the tombstone moved to the tail.
            assertEquals(EntryMeta.State.TOMBSTONE, store.meta(bytes("b")).state());
            assertEquals(1, store.stats().tombstones());
            assertValue(store, "keep", new byte[70]);
            assertValue(store, "z", new byte[70]);
        }
        try (LogStore store = LogStore.open(dir, options)) {
            assertEquals(EntryMeta.State.TOMBSTONE, store.meta(bytes("b")).state());
            assertValue(store, "keep", new byte[70]);
        }
    }

    private StoreOptions tombstoneOptions(ManualClock clock) {
        return testOptions().segmentBytes(100).tombstoneGraceMillis(GRACE).clock(clock).build();
    }

    private static void assertContents(LogStore store, int keys) throws Exception {
        for (int i = 0; i < keys; i++) {
            if (i % 10 == 0) {
                assertValue(store, "key-" + i, value(i));
            } else {
                assertNull(store.get(bytes("key-" + i)));
                assertEquals(EntryMeta.State.TOMBSTONE, store.meta(bytes("key-" + i)).state());
            }
        }
    }

    private static byte[] value(int i) {
        byte[] value = new byte[200];
        Arrays.fill(value, (byte) i);
        return value;
    }
}
