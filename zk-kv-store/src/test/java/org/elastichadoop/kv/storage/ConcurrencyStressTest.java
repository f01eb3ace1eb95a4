package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.bytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.crc;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/**
 * Writers, deleters and readers (of whole values and of ranges) race with background and explicit compaction for a
 * bounded time.
 *
 * <p>Runs once with O_DIRECT tail writes and once through the page cache.
 */
public class ConcurrencyStressTest extends BothIoModes {

    private static final int KEYS = 3000;
    private static final long RUN_MILLIS = 2_000;

    private final Set<Integer> written = ConcurrentHashMap.newKeySet();
    private final Set<Integer> deleted = ConcurrentHashMap.newKeySet();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();

    @Test
    public void readsAreAlwaysRightWhileCompactionRuns() throws Exception {
        Path dir = tmp.newFolder().toPath();
        StoreOptions options = testOptions()
                .segmentBytes(8 * 1024)
                .compactionGarbageRatio(0.05)
                .compactionIntervalMillis(20)
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (LogCapture logs = LogCapture.attach(); LogStore store = LogStore.open(dir, options)) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                workers.add(pool.submit(() -> write(store, deadline)));
                workers.add(pool.submit(() -> read(store, deadline)));
            }
            workers.add(pool.submit(() -> deleteSome(store, deadline)));
            workers.add(pool.submit(() -> compactRepeatedly(store, deadline)));
            for (Future<?> worker : workers) {
                worker.get(RUN_MILLIS + 30_000, TimeUnit.MILLISECONDS);
            }
            assertTrue("reads with a value: " + hits, hits.get() > 100);
            assertTrue("compaction ran", logs.contains("compacted segment"));

            assertFinalState(store);
            store.compact();
            assertFinalState(store);
        } finally {
            pool.shutdownNow();
        }
        try (LogStore store = LogStore.open(dir, options)) {
            assertFinalState(store);
        }
    }

    private Void write(LogStore store, long deadline) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < deadline) {
            int key = random.nextInt(KEYS);
            byte[] value = value(key);
            try {
                PutOutcome outcome = store.put(key(key), ByteBuffer.wrap(value), crc(value)).get(10, TimeUnit.SECONDS);
                assertNotNull(outcome);
                written.add(key);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof DeletedKeyException)) {
                    throw e;
                }
            }
        }
        return null;
    }

    private Void deleteSome(LogStore store, long deadline) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < deadline) {
            int key = random.nextInt(KEYS / 3) * 3;
            deleted.add(key);
            store.delete(key(key)).get(10, TimeUnit.SECONDS);
        }
        return null;
    }

    private Void read(LogStore store, long deadline) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < deadline) {
            int key = random.nextInt(KEYS);
            if (random.nextBoolean()) {
                readRange(store, key, random.nextInt(400), random.nextInt(100));
                continue;
            }
            Entry entry = store.get(key(key));
            reads.incrementAndGet();
            if (entry != null) {
                hits.incrementAndGet();
                assertArrayEquals("value of key " + key, value(key), entry.value());
            }
        }
        return null;
    }

    private void readRange(LogStore store, int key, int offset, int length) throws Exception {
        ValueRange range = store.getRange(key(key), offset, length);
        reads.incrementAndGet();
        if (range != null) {
            hits.incrementAndGet();
            byte[] value = value(key);
            int from = Math.min(offset, value.length);
            int to = Math.min(value.length, from + length);
            assertArrayEquals("range of key " + key, Arrays.copyOfRange(value, from, to), range.bytes());
        }
    }

    private Void compactRepeatedly(LogStore store, long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            store.compact();
            Thread.sleep(5);
        }
        return null;
    }

    private void assertFinalState(LogStore store) throws Exception {
        for (int key = 0; key < KEYS; key++) {
            Entry entry = store.get(key(key));
            if (deleted.contains(key)) {
                assertNull("deleted key " + key, entry);
            } else if (written.contains(key)) {
                assertNotNull("written key " + key, entry);
                assertArrayEquals(value(key), entry.value());
            } else {
                assertNull(entry);
            }
        }
        assertEquals(written.stream().filter(k -> !deleted.contains(k)).count(), store.stats().entries());
    }

    private static byte[] key(int key) {
        return bytes("key-" + key);
    }

    private static byte[] value(int key) {
        byte[] value = new byte[50 + (key * 37) % 400];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (key * 31 + i);
        }
        return value;
    }
}
