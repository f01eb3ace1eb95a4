package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.assertValue;
import static org.elastichadoop.kv.storage.StoreTestSupport.await;
import static org.elastichadoop.kv.storage.StoreTestSupport.bytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.crc;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.Test;

/** Runs once with O_DIRECT tail writes and once through the page cache. */
public class GroupCommitTest extends BothIoModes {

    private static final int THREADS = 8;
    private static final int PUTS_PER_THREAD = 25;

    @Test
    public void concurrentPutsShareFsyncs() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            long syncsBefore = store.stats().syncs();
            List<CompletableFuture<PutOutcome>> futures = putConcurrently(store, "key");
            for (CompletableFuture<PutOutcome> future : futures) {
                assertEquals(PutOutcome.STORED, await(future));
            }
            long syncs = store.stats().syncs() - syncsBefore;
            int puts = THREADS * PUTS_PER_THREAD;
            assertEquals(puts, store.stats().appends());
            assertTrue(syncs + " fsyncs for " + puts + " puts", syncs <= puts / 4);

            List<CompletableFuture<PutOutcome>> again = putConcurrently(store, "key");
            for (CompletableFuture<PutOutcome> future : again) {
                assertEquals(PutOutcome.ALREADY_PRESENT, await(future));
            }
            assertEquals(puts, store.stats().appends());
        }
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < PUTS_PER_THREAD; i++) {
                    assertValue(store, "key-" + t + "-" + i, value(t, i));
                }
            }
        }
    }

    @Test
    public void closeWaitsForPendingSyncs() throws Exception {
        Path dir = tmp.newFolder().toPath();
        List<CompletableFuture<PutOutcome>> futures = new ArrayList<>();
        LogStore store = LogStore.open(dir, testOptions().build());
        for (int i = 0; i < 100; i++) {
            byte[] value = value(0, i);
            futures.add(store.put(bytes("k" + i), ByteBuffer.wrap(value), crc(value)));
        }
        store.close();
        for (CompletableFuture<PutOutcome> future : futures) {
            assertTrue(future.isDone());
            assertEquals(PutOutcome.STORED, future.join());
        }
        try (LogStore reopened = LogStore.open(dir, testOptions().build())) {
            assertEquals(100, reopened.stats().entries());
        }
    }

    /** Each thread fires its puts without waiting, all threads released at once. */
    private static List<CompletableFuture<PutOutcome>> putConcurrently(LogStore store, String prefix)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<CompletableFuture<PutOutcome>>>> perThread = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                perThread.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<PutOutcome>> mine = new ArrayList<>();
                    for (int i = 0; i < PUTS_PER_THREAD; i++) {
                        byte[] value = value(thread, i);
                        mine.add(store.put(bytes(prefix + "-" + thread + "-" + i), ByteBuffer.wrap(value), crc(value)));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<CompletableFuture<PutOutcome>> all = new ArrayList<>();
            for (Future<List<CompletableFuture<PutOutcome>>> f : perThread) {
                all.addAll(f.get());
            }
            return all;
        } finally {
            pool.shutdown();
        }
    }

    private static byte[] value(int thread, int i) {
        return bytes("value of " + thread + "/" + i + " ".repeat(i));
    }
}
