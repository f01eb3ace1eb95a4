package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.assertValue;
import static org.elastichadoop.kv.storage.StoreTestSupport.bytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.crc;
import static org.elastichadoop.kv.storage.StoreTestSupport.put;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

/** A FileChannel closes itself when a thread using it is interrupted; the store's shared channels must survive. *
 * <p>Runs once with O_DIRECT tail writes and once through the page cache.
 */
public class InterruptTest extends BothIoModes {

    @Test
    public void interruptedCallersDoNotBreakTheStore() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            put(store, "k", bytes("value"));
            Thread.currentThread().interrupt();
            try {
                assertArrayEquals(bytes("value"), store.get(bytes("k")).value());
                byte[] other = bytes("other");
                assertEquals(PutOutcome.STORED, store.put(bytes("k2"), ByteBuffer.wrap(other), crc(other)).join());
                assertTrue("interrupt flag kept", Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
            assertValue(store, "k", bytes("value"));
            assertValue(store, "k2", bytes("other"));
        }
    }

    @Test
    public void readersInterruptedMidReadDoNotBreakTheStore() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            byte[] big = new byte[1 << 20];
            put(store, "big", big);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            Thread reader = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        assertEquals(big.length, store.get(bytes("big")).value().length);
                        Thread.interrupted();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            while (reader.isAlive()) {
                reader.interrupt();
                Thread.sleep(0, 200_000);
            }
            if (failure.get() != null) {
                throw new AssertionError("reader failed", failure.get());
            }
            assertValue(store, "big", big);
            assertEquals(PutOutcome.STORED, put(store, "after", bytes("still writable")));
        }
    }
}
