package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.await;
import static org.elastichadoop.kv.storage.StoreTestSupport.bytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.copyDirectory;
import static org.elastichadoop.kv.storage.StoreTestSupport.crc;
import static org.elastichadoop.kv.storage.StoreTestSupport.delete;
import static org.elastichadoop.kv.storage.StoreTestSupport.flipBit;
import static org.elastichadoop.kv.storage.StoreTestSupport.put;
import static org.elastichadoop.kv.storage.StoreTestSupport.segmentFiles;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.elastichadoop.kv.storage.LogStore.Vote;
import org.elastichadoop.kv.storage.StoreTestSupport.ManualClock;
import org.junit.Test;

/**
 * {@link LogStore#getRange}: the clamping rules, the keys it does not answer for, compaction under it, a damaged
 * header, and that it reads the range alone (damage elsewhere in the value goes unseen, where {@code get} sees it).
 *
 * <p>Runs once with O_DIRECT tail writes and once through the page cache.
 */
public class GetRangeTest extends BothIoModes {
    private static final long NOW = 1_700_000_000_000L;
    private static final String KEY = "range-key";
    private static final byte[] VALUE = pattern(10_000);

    private LogStore storeWith(String key, byte[] value) throws Exception {
        LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().clock(new ManualClock(NOW)).build());
        put(store, key, value);
        return store;
    }

    /** Bytes that differ from their neighbours, so that a range read from the wrong place shows. */
    private static byte[] pattern(int length) {
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            value[i] = (byte) (i * 7 + i / 251);
        }
        return value;
    }

    private static ValueRange assertRange(LogStore store, String key, byte[] value, long offset, int length,
                                          int expectedFrom, int expectedTo) throws Exception {
        ValueRange r = store.getRange(bytes(key), offset, length);
        assertNotNull("range [" + offset + ", +" + length + ") of " + key, r);
        assertEquals("resolved offset of [" + offset + ", +" + length + ")", expectedFrom, r.offset());
        assertArrayEquals("bytes of [" + offset + ", +" + length + ")",
                Arrays.copyOfRange(value, expectedFrom, expectedTo), r.bytes());
        assertEquals(value.length, r.valueLength());
        assertEquals(crc(value), r.valueCrc());
        return r;
    }

    @Test
    public void prefixMiddleAndSuffix() throws Exception {
        try (LogStore store = storeWith(KEY, VALUE)) {
            ValueRange prefix = assertRange(store, KEY, VALUE, 0, 4096, 0, 4096);
            assertEquals("the value's timestamp", NOW, prefix.timestamp());
            assertRange(store, KEY, VALUE, 4097, 1000, 4097, 5097);
            assertRange(store, KEY, VALUE, -1000, 1000, 9000, 10_000);
            assertRange(store, KEY, VALUE, -1000, 10, 9000, 9010);
            assertRange(store, KEY, VALUE, 0, VALUE.length, 0, VALUE.length);
        }
    }

    @Test
    public void rangesAreCutAtTheValuesEnds() throws Exception {
        try (LogStore store = storeWith(KEY, VALUE)) {
            assertRange(store, KEY, VALUE, 9_900, 4096, 9_900, 10_000);
            assertRange(store, KEY, VALUE, 0, Integer.MAX_VALUE, 0, 10_000);
            assertRange(store, KEY, VALUE, -20_000, 4096, 0, 4096);
            assertRange(store, KEY, VALUE, Long.MIN_VALUE, 10, 0, 10);
            // at or past the end: empty, at the end
            assertRange(store, KEY, VALUE, 10_000, 10, 10_000, 10_000);
            assertRange(store, KEY, VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, 10_000, 10_000);
            // zero length, anywhere
            assertRange(store, KEY, VALUE, 0, 0, 0, 0);
            assertRange(store, KEY, VALUE, 5_000, 0, 5_000, 5_000);
            assertRange(store, KEY, VALUE, -1, 0, 9_999, 9_999);
        }
    }

    @Test
    public void anEmptyValueGivesEmptyRanges() throws Exception {
        try (LogStore store = storeWith(KEY, new byte[0])) {
            assertRange(store, KEY, new byte[0], 0, 100, 0, 0);
            assertRange(store, KEY, new byte[0], -100, 100, 0, 0);
            assertRange(store, KEY, new byte[0], 5, 100, 0, 0);
        }
    }

    @Test
    public void aNegativeLengthIsRefused() throws Exception {
        try (LogStore store = storeWith(KEY, VALUE)) {
            assertThrows(IllegalArgumentException.class, () -> store.getRange(bytes(KEY), 0, -1));
            assertThrows(IllegalArgumentException.class, () -> store.getRange(new byte[0], 0, 1));
        }
    }

    @Test
    public void unknownDeletedAndProvisionalKeysHaveNoRange() throws Exception {
        try (LogStore store = storeWith(KEY, VALUE)) {
            assertNull("unknown", store.getRange(bytes("never-written"), 0, 10));

            delete(store, KEY);
            assertNull("deleted", store.getRange(bytes(KEY), 0, 10));

            byte[] proposed = bytes("proposed, not yet chosen");
            long ballot = Ballots.of(0, 7);
            assertEquals(Vote.ACCEPTED,
                    await(store.accept(bytes("held"), ballot, ByteBuffer.wrap(proposed), crc(proposed))));
            assertNull("provisional", store.getRange(bytes("held"), 0, 10));
            assertEquals(Boolean.TRUE, await(store.commit(bytes("held"), ballot, crc(proposed), proposed.length)));
            assertRange(store, "held", proposed, 10, 5, 10, 15);
        }
    }

    @Test
    public void aRangeIsReadFromWhereCompactionMovedTheValue() throws Exception {
        Path dir = tmp.newFolder().toPath();
        StoreOptions options = testOptions().segmentBytes(16 * 1024).compactionGarbageRatio(0.1).build();
        try (LogStore store = LogStore.open(dir, options)) {
            put(store, KEY, VALUE);
            for (int i = 0; i < 30; i++) {
                put(store, "gone-" + i, new byte[300]);
            }
            for (int i = 0; i < 30; i++) {
                delete(store, "gone-" + i);
            }
            Path first = segmentFiles(dir).get(0);
            assertRange(store, KEY, VALUE, 5_000, 100, 5_000, 5_100);
            store.compact();
            assertFalse("the value's segment was compacted away", Files.exists(first));
            assertRange(store, KEY, VALUE, 5_000, 100, 5_000, 5_100);
            assertRange(store, KEY, VALUE, -10, 100, 9_990, 10_000);
        }
    }

    @Test
    public void aDamagedHeaderOrKeyFailsTheRangeAndForgetsTheCopy() throws Exception {
        Path original = tmp.newFolder("original").toPath();
        try (LogStore store = LogStore.open(original, testOptions().build())) {
            put(store, KEY, VALUE);
        }
        int headBytes = RecordFormat.HEADER_BYTES + bytes(KEY).length;
        for (int at = 0; at < headBytes; at++) {
            Path copy = tmp.getRoot().toPath().resolve("flipped-" + at);
            copyDirectory(original, copy);
            try (LogStore store = LogStore.open(copy, testOptions().build())) {
                assertRange(store, KEY, VALUE, 0, 10, 0, 10);
                flipBit(segmentFiles(copy).get(0), at, at % 8);
                try {
                    store.getRange(bytes(KEY), 0, 10);
                    fail("a range was served despite a flipped bit at " + at);
                } catch (CorruptRecordException expected) {
                    assertNull("corrupt copy forgotten (bit flipped at " + at + ")", store.meta(bytes(KEY)));
                }
                assertEquals("a put repairs the key", PutOutcome.STORED, put(store, KEY, VALUE));
                assertRange(store, KEY, VALUE, 0, 10, 0, 10);
            }
        }
    }

    @Test
    public void onlyTheRangeIsReadSoDamageElsewhereInTheValueIsLeftToGet() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            put(store, KEY, VALUE);
            long valueAt = RecordFormat.HEADER_BYTES + bytes(KEY).length;
            flipBit(segmentFiles(dir).get(0), valueAt + 7_000, 3);

            assertRange(store, KEY, VALUE, 0, 4096, 0, 4096);
            assertRange(store, KEY, VALUE, -2000, 2000, 8_000, 10_000);
            byte[] damaged = VALUE.clone();
            damaged[7_000] ^= 1 << 3;
            ValueRange across = store.getRange(bytes(KEY), 6_990, 20);
            assertArrayEquals("a range over the damage returns what the disk holds, unverified",
                    Arrays.copyOfRange(damaged, 6_990, 7_010), across.bytes());

            assertThrows("get verifies the whole value", CorruptRecordException.class, () -> store.get(bytes(KEY)));
            assertNull("and forgets the damaged copy", store.meta(bytes(KEY)));
            assertNull(store.getRange(bytes(KEY), 0, 10));
        }
    }
}
