package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.assertValue;
import static org.elastichadoop.kv.storage.StoreTestSupport.bytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.crc;
import static org.elastichadoop.kv.storage.StoreTestSupport.failureOf;
import static org.elastichadoop.kv.storage.StoreTestSupport.put;
import static org.elastichadoop.kv.storage.StoreTestSupport.testOptions;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ImmutabilityTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void sameBytesAgainAreAlreadyPresentAndOtherBytesAreRefused() throws Exception {
        Path dir = tmp.newFolder().toPath();
        byte[] original = bytes("the one and only value");
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            assertEquals(PutOutcome.STORED, put(store, "key", original));
            assertEquals(PutOutcome.ALREADY_PRESENT, put(store, "key", original.clone()));

            byte[] other = bytes("another value");
            Throwable refused = failureOf(store.put(bytes("key"), ByteBuffer.wrap(other), crc(other)));
            assertTrue(refused instanceof ImmutableKeyException);
            assertTrue(refused.getMessage(), refused.getMessage().contains("\"key\""));

            byte[] sameLength = original.clone();
            sameLength[0] ^= 1;
            assertTrue(failureOf(store.put(bytes("key"), ByteBuffer.wrap(sameLength), crc(sameLength)))
                    instanceof ImmutableKeyException);
            assertValue(store, "key", original);
            assertEquals(1, store.stats().appends());
        }
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            assertValue(store, "key", original);
            assertEquals(PutOutcome.ALREADY_PRESENT, put(store, "key", original));
            assertEquals(1, store.stats().entries());
        }
    }

    @Test
    public void wrongChecksumFromTheCallerWritesNothing() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            byte[] value = bytes("value");
            Throwable failure = failureOf(store.put(bytes("key"), ByteBuffer.wrap(value), crc(value) + 1));
            assertTrue(failure instanceof CorruptValueException);
            assertNull(store.meta(bytes("key")));
            assertEquals(0, store.stats().appends());
            assertEquals(0, store.stats().totalBytes());
        }
    }

    @Test
    public void putReadsTheRemainingBytesWithoutMovingTheBuffer() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes("xxpayloadyy"));
            buffer.position(2).limit(9);
            assertEquals(PutOutcome.STORED, StoreTestSupport.await(store.put(bytes("k"), buffer, crc(bytes("payload")))));
            assertEquals(2, buffer.position());
            assertEquals(9, buffer.limit());
            Entry entry = store.get(bytes("k"));
            assertArrayEquals(bytes("payload"), entry.value());
            assertEquals(crc(bytes("payload")), entry.valueCrc());
            assertEquals(entry.timestamp(), store.meta(bytes("k")).timestamp());
        }
    }

    @Test
    public void badArgumentsAreRejected() throws Exception {
        StoreOptions options = testOptions().maxKeyBytes(8).maxValueBytes(16).build();
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), options)) {
            ByteBuffer small = ByteBuffer.wrap(bytes("v"));
            assertThrows(IllegalArgumentException.class, () -> store.put(new byte[0], small, 0));
            assertThrows(IllegalArgumentException.class, () -> store.put(new byte[9], small, 0));
            assertThrows(IllegalArgumentException.class, () -> store.put(bytes("k"), ByteBuffer.allocate(17), 0));
            assertThrows(IllegalArgumentException.class, () -> store.get(new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> store.delete(new byte[9]));
            assertEquals(PutOutcome.STORED, put(store, "12345678", new byte[16]));
        }
        assertThrows(IllegalArgumentException.class, () -> StoreOptions.builder().maxKeyBytes(70_000));
        assertThrows(IllegalArgumentException.class, () -> StoreOptions.builder().compactionGarbageRatio(0));
    }

    @Test
    public void closedStoreRefusesWork() throws Exception {
        Path dir = tmp.newFolder().toPath();
        LogStore store = LogStore.open(dir, testOptions().build());
        assertThrows(StoreException.class, () -> LogStore.open(dir, testOptions().build()));
        store.close();
        store.close();
        assertThrows(StoreException.class, () -> store.get(bytes("k")));
        assertTrue(failureOf(store.put(bytes("k"), ByteBuffer.wrap(bytes("v")), crc(bytes("v"))))
                instanceof StoreException);
        assertTrue(failureOf(store.delete(bytes("k"))) instanceof StoreException);
    }
}
