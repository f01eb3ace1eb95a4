package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.assertValue;
import static org.elastichadoop.kv.storage.StoreTestSupport.flipBit;
import static org.elastichadoop.kv.storage.StoreTestSupport.hintFiles;
import static org.elastichadoop.kv.storage.StoreTestSupport.put;
import static org.elastichadoop.kv.storage.StoreTestSupport.segmentFiles;
import static org.elastichadoop.kv.storage.StoreTestSupport.truncate;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.Test;

/** Runs once with O_DIRECT tail writes and once through the page cache. */
public class SegmentRollAndHintTest extends BothIoModes {
    private StoreOptions options() {
        return testOptions().segmentBytes(1024).build();
    }

    private static final int KEYS = 100;

    private Path filledStore() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (LogStore store = LogStore.open(dir, options())) {
            for (int i = 0; i < KEYS; i++) {
                put(store, "key-" + i, value(i));
            }
        }
        return dir;
    }

    @Test
    public void rollsOverAndReopensFromHintFiles() throws Exception {
        Path dir = filledStore();
        int segments = segmentFiles(dir).size();
        assertTrue(segments + " segments", segments >= 10);
        for (Path segment : segmentFiles(dir)) {
            assertTrue(segment + " within segmentBytes", Files.size(segment) <= options().segmentBytes());
        }
        assertEquals(segments - 1, hintFiles(dir).size());

        try (LogStore store = LogStore.open(dir, options())) {
            RecoveryReport report = store.recoveryReport();
            assertEquals(segments, report.segments());
            assertEquals(segments - 1, report.segmentsFromHints());
            assertEquals(1, report.segmentsScanned());
            assertContents(store);
        }
    }

    @Test
    public void damagedHintFileFallsBackToScanningAndIsRewritten() throws Exception {
        Path dir = filledStore();
        int segments = segmentFiles(dir).size();
        Path damaged = hintFiles(dir).get(1);
        flipBit(damaged, Files.size(damaged) / 2, 3);
        Path truncated = hintFiles(dir).get(2);
        truncate(truncated, Files.size(truncated) - 1);
        Files.delete(hintFiles(dir).get(3));

        try (LogStore store = LogStore.open(dir, options())) {
            assertEquals(segments - 4, store.recoveryReport().segmentsFromHints());
            assertEquals(4, store.recoveryReport().segmentsScanned());
            assertContents(store);
        }
        try (LogStore store = LogStore.open(dir, options())) {
            assertEquals(segments - 1, store.recoveryReport().segmentsFromHints());
            assertContents(store);
        }
    }

    @Test
    public void hintFileOfAnotherLengthIsIgnored() throws Exception {
        Path dir = filledStore();
        int segments = segmentFiles(dir).size();
        Path sealed = segmentFiles(dir).get(0);
        truncate(sealed, Files.size(sealed) - 1);
        try (LogStore store = LogStore.open(dir, options())) {
            assertEquals(segments - 2, store.recoveryReport().segmentsFromHints());
            assertEquals(2, store.recoveryReport().segmentsScanned());
            assertTrue(store.recoveryReport().corruptBytesSkipped() > 0);
            assertEquals("only the cut record is lost", KEYS - 1, store.stats().entries());
            for (int i = 0; i < KEYS; i++) {
                Entry entry = store.get(StoreTestSupport.bytes("key-" + i));
                if (entry != null) {
                    assertArrayEquals(value(i), entry.value());
                }
            }
        }
    }

    @Test
    public void recordLargerThanASegmentGetsOneOfItsOwn() throws Exception {
        Path dir = tmp.newFolder().toPath();
        byte[] big = new byte[3 * 1024 * 1024];
        Arrays.fill(big, (byte) 7);
        try (LogStore store = LogStore.open(dir, options())) {
            put(store, "small-1", value(1));
            put(store, "big", big);
            put(store, "small-2", value(2));
            put(store, "empty", new byte[0]);
            assertEquals(3, store.stats().segments());
            assertValue(store, "big", big);
            assertValue(store, "empty", new byte[0]);
        }
        try (LogStore store = LogStore.open(dir, options())) {
            assertValue(store, "small-1", value(1));
            assertValue(store, "big", big);
            assertValue(store, "small-2", value(2));
            assertValue(store, "empty", new byte[0]);
        }
    }

    private static void assertContents(LogStore store) throws Exception {
        for (int i = 0; i < KEYS; i++) {
            assertValue(store, "key-" + i, value(i));
        }
        assertEquals(KEYS, store.stats().entries());
    }

    private static byte[] value(int i) {
        byte[] value = new byte[60 + i % 50];
        Arrays.fill(value, (byte) (i + 1));
        return value;
    }
}
