package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.assertValue;
import static org.elastichadoop.kv.storage.StoreTestSupport.await;
import static org.elastichadoop.kv.storage.StoreTestSupport.bytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.copyDirectory;
import static org.elastichadoop.kv.storage.StoreTestSupport.crc;
import static org.elastichadoop.kv.storage.StoreTestSupport.failureOf;
import static org.elastichadoop.kv.storage.StoreTestSupport.hintFiles;
import static org.elastichadoop.kv.storage.StoreTestSupport.lastSegment;
import static org.elastichadoop.kv.storage.StoreTestSupport.put;
import static org.elastichadoop.kv.storage.StoreTestSupport.recordBytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.segmentFiles;
import static org.elastichadoop.kv.storage.StoreTestSupport.testOptions;
import static org.elastichadoop.kv.storage.StoreTestSupport.truncate;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What writing the tail with O_DIRECT changes: padding, staged records, and falling back when it is refused. */
public class DirectIoTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final String REFUSAL = "refuses O_DIRECT";

    private static byte[] value(int i) {
        byte[] value = new byte[500 + (i * 997) % 3000];
        Arrays.fill(value, (byte) (i + 1));
        return value;
    }

    @Test
    public void theTailIsPaddedOnlyWhileTheStoreIsOpen() throws Exception {
        Path dir = tmp.newFolder().toPath();
        long logical;
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            assertTrue(store.writesTailDirectly());
            put(store, "k", bytes("value"));
            logical = store.stats().totalBytes();
            assertEquals(recordBytes("k", 5), logical);
            assertEquals("a whole block on disk", 4096, Files.size(lastSegment(dir)));
        }
        assertEquals(logical, Files.size(lastSegment(dir)));
    }

    /** A copy of the directory taken while the store is open is what a crash leaves: a padded tail. */
    @Test
    public void paddingLeftByACrashIsCutQuietlyOnReopen() throws Exception {
        Path original = tmp.newFolder().toPath();
        List<Path> crashed = new ArrayList<>();
        try (LogStore store = LogStore.open(original, testOptions().build())) {
            for (int i = 0; i < 10; i++) {
                put(store, "key-" + i, value(i));
                Path copy = tmp.getRoot().toPath().resolve("crashed-" + i);
                copyDirectory(original, copy);
                crashed.add(copy);
                long onDisk = Files.size(lastSegment(copy));
                assertEquals(0, onDisk % 4096);
                assertTrue(onDisk >= store.stats().totalBytes());
            }
        }
        for (int i = 0; i < crashed.size(); i++) {
            Path copy = crashed.get(i);
            boolean directIo = i % 2 == 0;
            try (LogCapture logs = LogCapture.attach();
                 LogStore store = LogStore.open(copy, testOptions().directIo(directIo).build())) {
                assertEquals(0, store.recoveryReport().tornBytesCut());
                assertEquals(0, store.recoveryReport().corruptBytesSkipped());
                assertNoWarnings(logs);
                assertEquals(store.stats().totalBytes(), Files.size(lastSegment(copy)));
                for (int k = 0; k <= i; k++) {
                    assertValue(store, "key-" + k, value(k));
                }
                put(store, "after", value(99));
            }
            try (LogStore store = LogStore.open(copy, testOptions().build())) {
                assertValue(store, "after", value(99));
                assertEquals(i + 2, store.stats().entries());
            }
        }
    }

    @Test
    public void paddingAfterASealedSegmentIsCutQuietlyAndItsHintDescribesTheRecords() throws Exception {
        Path dir = tmp.newFolder().toPath();
        StoreOptions options = testOptions().segmentBytes(8192).build();
        try (LogStore store = LogStore.open(dir, options)) {
            for (int i = 0; i < 10; i++) {
                put(store, "key-" + i, value(i));
            }
        }
        int segments = segmentFiles(dir).size();
        assertTrue(segments >= 3);
        Path first = segmentFiles(dir).get(0);
        long length = Files.size(first);
        truncate(first, (length / 4096 + 1) * 4096);
        Files.delete(hintFiles(dir).get(0));

        try (LogCapture logs = LogCapture.attach(); LogStore store = LogStore.open(dir, options)) {
            assertEquals(0, store.recoveryReport().corruptBytesSkipped());
            assertEquals(0, store.recoveryReport().tornBytesCut());
            assertNoWarnings(logs);
            assertEquals(length, Files.size(first));
            assertContents(store, 10);
        }
        try (LogStore store = LogStore.open(dir, options)) {
            assertEquals(segments - 1, store.recoveryReport().segmentsFromHints());
            assertContents(store, 10);
        }
    }

    /** The zeros of a torn O_DIRECT write do not hide the torn record in front of them. */
    @Test
    public void aTornRecordBeforeThePaddingIsStillCutAndReported() throws Exception {
        Path dir = tmp.newFolder().toPath();
        long lastStart;
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            put(store, "a", value(1));
            lastStart = store.stats().totalBytes();
            put(store, "b", value(2));
        }
        truncate(lastSegment(dir), lastStart + 100);
        truncate(lastSegment(dir), 8192);
        try (LogCapture logs = LogCapture.attach(); LogStore store = LogStore.open(dir, testOptions().build())) {
            assertEquals(8192 - lastStart, store.recoveryReport().tornBytesCut());
            assertTrue(logs.contains("torn write"));
            assertValue(store, "a", value(1));
            assertNull(store.get(bytes("b")));
        }
    }

    @Test
    public void aRecordIsReadableAsSoonAsItsPutReturns() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            List<CompletableFuture<PutOutcome>> pending = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] value = value(i);
                pending.add(store.put(bytes("key-" + i), ByteBuffer.wrap(value), crc(value)));
                assertValue(store, "key-" + i, value);
                assertValue(store, "key-" + i / 2, value(i / 2));
            }
            for (CompletableFuture<PutOutcome> future : pending) {
                assertEquals(PutOutcome.STORED, await(future));
            }
            assertContents(store, 300);
        }
    }

    /** Values larger than the staging buffer are written by the putting thread itself, interrupted or not. */
    @Test
    public void largeValuesFromAnInterruptedThread() throws Exception {
        Path dir = tmp.newFolder().toPath();
        byte[] big = new byte[DirectIo.STAGING_BYTES * 2 + 12345];
        Arrays.fill(big, (byte) 42);
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            Thread.currentThread().interrupt();
            CompletableFuture<PutOutcome> future;
            try {
                future = store.put(bytes("big"), ByteBuffer.wrap(big), crc(big));
                assertTrue("interrupt flag kept", Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
            assertEquals(PutOutcome.STORED, await(future));
            assertValue(store, "big", big);
            put(store, "small", value(1));
        }
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            assertValue(store, "big", big);
            assertValue(store, "small", value(1));
        }
    }

    @Test
    public void withDirectIoOffTheTailIsWrittenThroughThePageCache() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (LogCapture logs = LogCapture.attach();
             LogStore store = LogStore.open(dir, testOptions().directIo(false).build())) {
            assertFalse(store.writesTailDirectly());
            put(store, "k", bytes("value"));
            assertEquals(store.stats().totalBytes(), Files.size(lastSegment(dir)));
            assertFalse(logs.contains(REFUSAL));
        }
    }

    @Test
    public void refusedOnOpenFallsBackToThePageCache() throws Exception {
        assertFallsBack((path, options) -> {
            if (Arrays.asList(options).contains(ExtendedOpenOption.DIRECT)) {
                throw new IOException(path + ": Invalid argument (simulated)");
            }
            return FileChannel.open(path, options);
        });
    }

    @Test
    public void refusedOnTheFirstWriteFallsBackToThePageCache() throws Exception {
        assertFallsBack((path, options) -> {
            FileChannel channel = FileChannel.open(path, options);
            if (Arrays.asList(options).contains(ExtendedOpenOption.DIRECT)) {
                channel.close(); // its first write fails
            }
            return channel;
        });
    }

    private void assertFallsBack(SharedChannel.Opener opener) throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (LogCapture logs = LogCapture.attach()) {
            try (LogStore store = LogStore.open(dir, testOptions().build(), opener)) {
                assertFalse(store.writesTailDirectly());
                put(store, "k", bytes("value"));
                assertEquals(store.stats().totalBytes(), Files.size(lastSegment(dir)));
            }
            assertEquals(1, logs.messages().stream().filter(m -> m.startsWith("INFO") && m.contains(REFUSAL)).count());
            assertFalse(Files.exists(dir.resolve(DirectIo.PROBE_FILE)));
        }
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            assertValue(store, "k", bytes("value"));
        }
    }

    /** tmpfs refused O_DIRECT before Linux 6.6; either way the store must work there. */
    @Test
    public void worksOnTmpfs() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm));
        Path dir = Files.createTempDirectory(shm, "direct-io-test");
        try (LogCapture logs = LogCapture.attach()) {
            try (LogStore store = LogStore.open(dir, testOptions().build())) {
                put(store, "k", bytes("value"));
                long refusals = logs.messages().stream().filter(m -> m.contains(REFUSAL)).count();
                assertEquals(store.writesTailDirectly() ? 0 : 1, refusals);
            }
            try (LogStore store = LogStore.open(dir, testOptions().build())) {
                assertValue(store, "k", bytes("value"));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(file);
                }
            }
        }
    }

    /** A failed O_DIRECT write must never be acknowledged, and the store stops taking writes, as after fsync. */
    @Test
    public void aFailedWriteFailsThePutAndEveryLaterOne() throws Exception {
        Path dir = tmp.newFolder().toPath();
        AtomicBoolean broken = new AtomicBoolean();
        List<FileChannel> directChannels = new CopyOnWriteArrayList<>();
        SharedChannel.Opener opener = (Path path, OpenOption... options) -> {
            boolean direct = Arrays.asList(options).contains(ExtendedOpenOption.DIRECT);
            if (direct && broken.get()) {
                throw new IOException("simulated: the device is gone");
            }
            FileChannel channel = FileChannel.open(path, options);
            if (direct && !options[0].equals(StandardOpenOption.CREATE)) {
                directChannels.add(channel);
            }
            return channel;
        };
        try (LogStore store = LogStore.open(dir, testOptions().build(), opener)) {
            assertTrue(store.writesTailDirectly());
            put(store, "before", value(1));
            broken.set(true);
            for (FileChannel channel : directChannels) {
                channel.close();
            }
            byte[] value = value(2);
            assertTrue(failureOf(store.put(bytes("lost"), ByteBuffer.wrap(value), crc(value)))
                    instanceof StoreException);
            assertTrue(failureOf(store.put(bytes("later"), ByteBuffer.wrap(value), crc(value)))
                    instanceof StoreException);
            assertValue(store, "before", value(1));
        }
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            assertValue(store, "before", value(1));
            assertNull(store.meta(bytes("lost")));
            assertEquals(0, store.recoveryReport().tornBytesCut());
        }
    }

    private static void assertNoWarnings(LogCapture logs) {
        for (String message : logs.messages()) {
            assertFalse(message, message.startsWith("WARN") || message.startsWith("ERROR"));
        }
    }

    private static void assertContents(LogStore store, int keys) throws Exception {
        for (int i = 0; i < keys; i++) {
            assertValue(store, "key-" + i, value(i));
        }
    }
}
