package org.elastichadoop.kv.storage;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** Helpers shared by the storage tests. */
final class StoreTestSupport {

    private StoreTestSupport() {
    }

    /** Options for tests: no background compaction unless a test asks for it. */
    static StoreOptions.Builder testOptions() {
        return StoreOptions.builder().compactionIntervalMillis(0);
    }

    static StoreOptions.Builder testOptions(boolean directIo) {
        return testOptions().directIo(directIo);
    }

    /** The parameters of tests that run with O_DIRECT tail writes and through the page cache. */
    static List<Object[]> ioModes() {
        return List.of(new Object[] {true}, new Object[] {false});
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static int crc(byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(value);
        return (int) crc.getValue();
    }

    static PutOutcome put(LogStore store, String key, byte[] value) throws Exception {
        return await(store.put(bytes(key), ByteBuffer.wrap(value), crc(value)));
    }

    static void delete(LogStore store, String key) throws Exception {
        await(store.delete(bytes(key)));
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The exception a future failed with, or an AssertionError if it succeeded. */
    static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the future to fail");
    }

    static byte[] valueOf(LogStore store, String key) throws IOException {
        Entry entry = store.get(bytes(key));
        return entry == null ? null : entry.value();
    }

    static void assertValue(LogStore store, String key, byte[] expected) throws IOException {
        Entry entry = store.get(bytes(key));
        assertNotNull("missing key " + key, entry);
        assertArrayEquals("value of " + key, expected, entry.value());
        assertArrayEquals(bytes(key), entry.key());
        assertEquals(crc(expected), entry.valueCrc());
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        return filesEndingWith(dir, Segment.SEGMENT_SUFFIX);
    }

    static List<Path> hintFiles(Path dir) throws IOException {
        return filesEndingWith(dir, Segment.HINT_SUFFIX);
    }

    private static List<Path> filesEndingWith(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted()
                    .collect(Collectors.toList());
        }
    }

    static Path lastSegment(Path dir) throws IOException {
        List<Path> segments = segmentFiles(dir);
        return segments.get(segments.size() - 1);
    }

    static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    static void flipBit(Path file, long position, int bit) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ (1 << bit));
        }
    }

    /** Size of the record a put of this key and value writes. */
    static int recordBytes(String key, int valueLength) {
        return RecordFormat.HEADER_BYTES + bytes(key).length + valueLength;
    }

    /** A clock the test moves by hand. */
    static final class ManualClock implements LongSupplier {
        private final AtomicLong now;

        ManualClock(long start) {
            now = new AtomicLong(start);
        }

        void advance(long millis) {
            now.addAndGet(millis);
        }

        @Override
        public long getAsLong() {
            return now.get();
        }
    }
}
