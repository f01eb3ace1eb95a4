package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.assertValue;
import static org.elastichadoop.kv.storage.StoreTestSupport.bytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.copyDirectory;
import static org.elastichadoop.kv.storage.StoreTestSupport.lastSegment;
import static org.elastichadoop.kv.storage.StoreTestSupport.put;
import static org.elastichadoop.kv.storage.StoreTestSupport.recordBytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.truncate;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/** Runs once with O_DIRECT tail writes and once through the page cache. */
public class TornTailTest extends BothIoModes {

    private static final String[] KEYS = {"alpha", "bravo", "charlie", "delta"};
    private static final byte[][] VALUES = {bytes("first value"), bytes("2"), bytes(""), bytes("the last one, torn")};
    private static final int LAST = KEYS.length - 1;

    @Test
    public void everyCutOfTheLastRecordIsRepairedAndTheStoreKeepsWorking() throws Exception {
        Path original = tmp.newFolder("original").toPath();
        long lastStart;
        try (LogStore store = LogStore.open(original, testOptions().build())) {
            for (int i = 0; i < LAST; i++) {
                put(store, KEYS[i], VALUES[i]);
            }
            // While the store is open an O_DIRECT tail ends in padding; its logical length is what counts.
            lastStart = store.stats().totalBytes();
            put(store, KEYS[LAST], VALUES[LAST]);
            assertEquals(directIo, store.writesTailDirectly());
        }
        Path segment = lastSegment(original).getFileName();
        long fullLength = Files.size(original.resolve(segment));
        assertEquals(lastStart + recordBytes(KEYS[LAST], VALUES[LAST].length), fullLength);

        try (LogCapture logs = LogCapture.attach()) {
            for (long length = lastStart; length <= fullLength; length++) {
                Path copy = tmp.getRoot().toPath().resolve("cut-at-" + length);
                copyDirectory(original, copy);
                truncate(copy.resolve(segment), length);
                boolean complete = length == fullLength;
                // a cut that leaves only zero bytes of the record (its header CRC may start with zeros) reads as the
                // padding of an O_DIRECT write, and is cut as such, not counted as torn
                boolean onlyZeros = allZeros(copy.resolve(segment), lastStart, length);

                try (LogStore store = LogStore.open(copy, testOptions().build())) {
                    assertEarlierRecords(store);
                    if (complete) {
                        assertValue(store, KEYS[LAST], VALUES[LAST]);
                    } else {
                        assertNull("cut at " + length, store.get(bytes(KEYS[LAST])));
                        assertNull(store.meta(bytes(KEYS[LAST])));
                        assertEquals(onlyZeros ? 0 : length - lastStart, store.recoveryReport().tornBytesCut());
                        assertEquals(lastStart, store.stats().totalBytes());
                        assertEquals(lastStart, Files.size(copy.resolve(segment)));
                    }
                    assertEquals(PutOutcome.STORED, put(store, "after", bytes("written after recovery " + length)));
                }
                try (LogStore store = LogStore.open(copy, testOptions().build())) {
                    assertEarlierRecords(store);
                    assertValue(store, "after", bytes("written after recovery " + length));
                    assertEquals(0, store.recoveryReport().tornBytesCut());
                }
                if (length > lastStart && !complete && !onlyZeros) {
                    assertTrue("torn write logged with the bytes cut, at " + length,
                            logs.contains("torn write", "cutting " + (length - lastStart) + " bytes"));
                }
            }
        }
    }

    private static boolean allZeros(Path file, long from, long to) throws java.io.IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (long i = from; i < to; i++) if (bytes[(int) i] != 0) return false;
        return true;
    }

    private static void assertEarlierRecords(LogStore store) throws Exception {
        for (int i = 0; i < LAST; i++) {
            assertValue(store, KEYS[i], VALUES[i]);
        }
    }
}
