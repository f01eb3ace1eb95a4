package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.assertValue;
import static org.elastichadoop.kv.storage.StoreTestSupport.bytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.copyDirectory;
import static org.elastichadoop.kv.storage.StoreTestSupport.flipBit;
import static org.elastichadoop.kv.storage.StoreTestSupport.hintFiles;
import static org.elastichadoop.kv.storage.StoreTestSupport.put;
import static org.elastichadoop.kv.storage.StoreTestSupport.recordBytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.segmentFiles;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/**
 * Flips one bit in every byte of a record (header, key and value) and checks the record is never served,
 * while its neighbours still are.
 *
 * <p>Runs once with O_DIRECT tail writes and once through the page cache.
 */
public class BitFlipTest extends BothIoModes {

    private static final String[] KEYS = {"k0", "k1", "k2", "k3"};
    private static final byte[][] VALUES = {bytes("value-00"), bytes("value-01"), bytes("value-02"), bytes("value-03")};
    private static final int RECORD_BYTES = recordBytes("k0", 8);

    private int copies;

    /** k0, k1, k2 in one segment, which is the last one. */
    private Path singleSegmentStore() throws Exception {
        Path dir = tmp.newFolder("single").toPath();
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            for (int i = 0; i < 3; i++) {
                put(store, KEYS[i], VALUES[i]);
            }
        }
        return dir;
    }

    /** k0, k1, k2 in a sealed segment with a hint file, k3 in the last segment. */
    private Path sealedSegmentStore() throws Exception {
        Path dir = tmp.newFolder("sealed").toPath();
        try (LogStore store = LogStore.open(dir, sealedOptions())) {
            for (int i = 0; i < 4; i++) {
                put(store, KEYS[i], VALUES[i]);
            }
        }
        assertEquals(2, segmentFiles(dir).size());
        assertEquals(1, hintFiles(dir).size());
        return dir;
    }

    private StoreOptions sealedOptions() {
        return testOptions().segmentBytes(3L * RECORD_BYTES).build();
    }

    @Test
    public void flipInTheMiddleOfTheLastSegmentIsSkippedOnReopen() throws Exception {
        Path original = singleSegmentStore();
        for (int at = RECORD_BYTES; at < 2 * RECORD_BYTES; at++) {
            Path copy = flippedCopy(original, segmentFiles(original).get(0), at);
            try (LogStore store = LogStore.open(copy, testOptions().build())) {
                assertNotServed(store, 1, at);
                assertValue(store, "k0", VALUES[0]);
                assertValue(store, "k2", VALUES[2]);
                assertEquals(RECORD_BYTES, store.recoveryReport().corruptBytesSkipped());
                assertEquals(0, store.recoveryReport().tornBytesCut());
            }
        }
    }

    @Test
    public void flipInTheLastRecordCutsItOnReopen() throws Exception {
        Path original = singleSegmentStore();
        for (int at = 2 * RECORD_BYTES; at < 3 * RECORD_BYTES; at++) {
            Path copy = flippedCopy(original, segmentFiles(original).get(0), at);
            try (LogStore store = LogStore.open(copy, testOptions().build())) {
                assertNotServed(store, 2, at);
                assertValue(store, "k0", VALUES[0]);
                assertValue(store, "k1", VALUES[1]);
                assertEquals(RECORD_BYTES, store.recoveryReport().tornBytesCut());
                assertEquals(PutOutcome.STORED, put(store, "k2", VALUES[2]));
            }
            try (LogStore store = LogStore.open(copy, testOptions().build())) {
                assertValue(store, "k2", VALUES[2]);
            }
        }
    }

    @Test
    public void flipUnderAnOpenStoreFailsTheReadAndAllowsRepair() throws Exception {
        Path original = singleSegmentStore();
        for (int at = RECORD_BYTES; at < 2 * RECORD_BYTES; at++) {
            Path copy = tmp.getRoot().toPath().resolve("open-" + at);
            copyDirectory(original, copy);
            try (LogStore store = LogStore.open(copy, testOptions().build())) {
                assertValue(store, "k1", VALUES[1]);
                flipBit(segmentFiles(copy).get(0), at, at % 8);
                try {
                    store.get(bytes("k1"));
                    fail("flipped bit at " + at + " was served");
                } catch (CorruptRecordException expected) {
                    assertNull("corrupt copy forgotten", store.meta(bytes("k1")));
                }
                assertValue(store, "k0", VALUES[0]);
                assertValue(store, "k2", VALUES[2]);
                assertEquals(PutOutcome.STORED, put(store, "k1", VALUES[1]));
                assertValue(store, "k1", VALUES[1]);
            }
            try (LogStore store = LogStore.open(copy, testOptions().build())) {
                assertValue(store, "k1", VALUES[1]);
            }
        }
    }

    @Test
    public void flipInASealedSegmentWithAHintFailsTheRead() throws Exception {
        Path original = sealedSegmentStore();
        for (int at = RECORD_BYTES; at < 2 * RECORD_BYTES; at++) {
            Path copy = flippedCopy(original, segmentFiles(original).get(0), at);
            try (LogStore store = LogStore.open(copy, sealedOptions())) {
                assertEquals(1, store.recoveryReport().segmentsFromHints());
                assertNotServed(store, 1, at);
                assertValue(store, "k0", VALUES[0]);
                assertValue(store, "k2", VALUES[2]);
                assertValue(store, "k3", VALUES[3]);
                assertEquals(PutOutcome.STORED, put(store, "k1", VALUES[1]));
            }
        }
    }

    @Test
    public void flipInASealedSegmentWithoutAHintIsSkippedOnReopen() throws Exception {
        Path original = sealedSegmentStore();
        Files.delete(hintFiles(original).get(0));
        for (int at = RECORD_BYTES; at < 2 * RECORD_BYTES; at++) {
            Path copy = flippedCopy(original, segmentFiles(original).get(0), at);
            try (LogStore store = LogStore.open(copy, sealedOptions())) {
                assertEquals(2, store.recoveryReport().segmentsScanned());
                assertNull("flip at " + at, store.meta(bytes("k1")));
                assertNotServed(store, 1, at);
                assertValue(store, "k0", VALUES[0]);
                assertValue(store, "k2", VALUES[2]);
                assertValue(store, "k3", VALUES[3]);
            }
        }
    }

    private Path flippedCopy(Path original, Path segment, int at) throws IOException {
        Path copy = tmp.getRoot().toPath().resolve("copy-" + copies++);
        copyDirectory(original, copy);
        flipBit(copy.resolve(segment.getFileName()), at, at % 8);
        return copy;
    }

    /** The record is either unknown or fails verification; it is never returned. */
    private static void assertNotServed(LogStore store, int record, int flippedAt) throws IOException {
        try {
            Entry entry = store.get(bytes(KEYS[record]));
            assertNull("record " + record + " served despite a flipped bit at " + flippedAt, entry);
        } catch (CorruptRecordException expected) {
            assertNull(store.meta(bytes(KEYS[record])));
        }
    }
}
