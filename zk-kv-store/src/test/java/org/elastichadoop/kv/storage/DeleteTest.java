package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.assertValue;
import static org.elastichadoop.kv.storage.StoreTestSupport.bytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.crc;
import static org.elastichadoop.kv.storage.StoreTestSupport.delete;
import static org.elastichadoop.kv.storage.StoreTestSupport.failureOf;
import static org.elastichadoop.kv.storage.StoreTestSupport.put;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.Test;

/** Runs once with O_DIRECT tail writes and once through the page cache. */
public class DeleteTest extends BothIoModes {

    @Test
    public void tombstoneHidesTheKeyAndSurvivesReopen() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            put(store, "doomed", bytes("soon gone"));
            put(store, "kept", bytes("stays"));
            delete(store, "doomed");
            assertDeleted(store, "doomed");
            assertValue(store, "kept", bytes("stays"));
            assertEquals(1, store.stats().entries());
            assertEquals(1, store.stats().tombstones());
        }
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            assertDeleted(store, "doomed");
            assertValue(store, "kept", bytes("stays"));
            assertEquals(1, store.stats().tombstones());
        }
    }

    @Test
    public void deletingAnUnknownKeyWritesATombstoneAndDeletingTwiceWritesNothing() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            delete(store, "never-written");
            assertEquals(1, store.stats().appends());
            assertDeleted(store, "never-written");
            delete(store, "never-written");
            assertEquals(1, store.stats().appends());
        }
        try (LogStore store = LogStore.open(dir, testOptions().build())) {
            assertDeleted(store, "never-written");
        }
    }

    @Test
    public void forEachMetaReportsPresentAndDeletedKeys() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            put(store, "a", bytes("1"));
            put(store, "b", bytes("22"));
            delete(store, "b");
            delete(store, "c");
            Map<String, EntryMeta> seen = new HashMap<>();
            store.forEachMeta(meta -> seen.put(new String(meta.key()), meta));
            assertEquals(3, seen.size());
            assertEquals(EntryMeta.State.PRESENT, seen.get("a").state());
            assertEquals(1, seen.get("a").valueLength());
            assertEquals(crc(bytes("1")), seen.get("a").valueCrc());
            assertEquals(EntryMeta.State.TOMBSTONE, seen.get("b").state());
            assertEquals(EntryMeta.State.TOMBSTONE, seen.get("c").state());
        }
    }

    private static void assertDeleted(LogStore store, String key) throws Exception {
        assertNull(store.get(bytes(key)));
        assertEquals(EntryMeta.State.TOMBSTONE, store.meta(bytes(key)).state());
        Throwable refused = failureOf(store.put(bytes(key), ByteBuffer.wrap(bytes("again")), crc(bytes("again"))));
        assertTrue(String.valueOf(refused), refused instanceof DeletedKeyException);
    }
}
