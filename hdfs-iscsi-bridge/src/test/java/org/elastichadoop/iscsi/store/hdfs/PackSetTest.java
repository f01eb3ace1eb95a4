package org.elastichadoop.iscsi.store.hdfs;

import org.elastichadoop.iscsi.store.StoreException;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.File;
import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Packs on a local file system: rolling, compaction, a torn pack, reopening, and a second writer of a group. */
public class PackSetTest {
    @Rule
    public final TemporaryFolder dir = new TemporaryFolder();
    private final Random random = new Random(5);
    private final List<HdfsStore> stores = new ArrayList<>();

    private HdfsStore open(HdfsStoreOptions options) throws Exception {
        HdfsStore s = HdfsStore.open(dir.getRoot().toURI(), HdfsStore.configuration(null), options);
        stores.add(s);
        return s;
    }

    @After
    public void closeAll() {
        stores.forEach(HdfsStore::close);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private File[] packFiles(String group) {
        File[] files = new File(dir.getRoot(), group).listFiles((d, name) -> name.endsWith(".pack"));
        return files == null ? new File[0] : files;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    public void packsRollAtTheirSizeAndCompactionDeletesThoseMostlyDeadKeepingEveryLiveValue() throws Exception {
        HdfsStore store = open(HdfsStoreOptions.defaults().withPackBytes(1 << 20).withCompactBelow(0.6));
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            values.add(bytes(64 << 10));
            await(store.putIfAbsent("g/" + i, values.get(i)));
        }
        int rolled = packFiles("g").length;
        assertTrue("64 values of 64 KiB in packs of 1 MiB: " + rolled + " files", rolled >= 4);
        for (int i = 0; i < 64; i++) if (i % 4 != 0) await(store.delete("g/" + i)); // three quarters dead
        long deadline = System.currentTimeMillis() + 20_000;
        while (packFiles("g").length > rolled / 2 && System.currentTimeMillis() < deadline) Thread.sleep(100);
        long[] figures = store.figures("g");
        assertTrue("compaction should have halved " + rolled + " packs at least: " + packFiles("g").length,
                packFiles("g").length <= rolled / 2);
        assertEquals(16, figures[1]);
        for (int i = 0; i < 64; i++) {
            if (i % 4 == 0) assertArrayEquals("g/" + i, values.get(i), await(store.get("g/" + i)));
            else assertNull(await(store.get("g/" + i)));
        }
        store.close();
        stores.remove(store);
        HdfsStore again = open(HdfsStoreOptions.defaults().withPackBytes(1 << 20));
        for (int i = 0; i < 64; i++) {
            if (i % 4 == 0) assertArrayEquals("reopened: g/" + i, values.get(i), await(again.get("g/" + i)));
            else assertNull("reopened: g/" + i, await(again.get("g/" + i))); // its deletion is forgotten once no pack holds the value
        }
    }

    @Test
    public void aPackCutMidRecordByAKilledWriterReadsUpToItsLastWholeRecord() throws Exception {
        HdfsStore store = open(HdfsStoreOptions.defaults());
        byte[] a = bytes(10_000);
        byte[] b = bytes(10_000);
        await(store.putIfAbsent("t/a", a));
        await(store.putIfAbsent("t/b", b));
        store.close(); // writes the index
        stores.remove(store);
        File pack = packFiles("t")[0];
        try (RandomAccessFile f = new RandomAccessFile(pack, "rw")) {
            f.setLength(f.length() - PackFormat.TRAILER - 200); // index gone, b's value cut: as if killed while writing b
        }
        HdfsStore again = open(HdfsStoreOptions.defaults());
        assertArrayEquals(a, await(again.get("t/a")));
        assertNull("the torn record is not there", await(again.get("t/b")));
        await(again.putIfAbsent("t/b", b)); // stored again, in a new pack
        assertArrayEquals(b, await(again.get("t/b")));
    }

    @Test
    public void aSecondWriterOfAGroupStopsTheFirstWhenItNeedsANewPack() throws Exception {
        HdfsStoreOptions small = HdfsStoreOptions.defaults().withPackBytes(256 << 10).withRetrySeconds(5);
        HdfsStore first = open(small);
        byte[] v = bytes(100_000);
        await(first.putIfAbsent("w/1", v));
        HdfsStore second = open(small);
        second.claim("w"); // a new writer of the volume: takes the next pack's name
        assertArrayEquals("the second writer reads what the first stored", v, await(second.get("w/1")));
        StoreException.Reason refused = null;
        for (int i = 2; i < 10 && refused == null; i++) refused = reasonOrNull(first.putIfAbsent("w/" + i, bytes(100_000)));
        assertEquals("once its pack is full the first writer must find its next pack's name taken", StoreException.Reason.REFUSED, refused);
        await(second.putIfAbsent("w/new", v));
        assertArrayEquals(v, await(second.get("w/new")));
    }

    @Test
    public void aRetiredGroupLeavesNoFiles() throws Exception {
        HdfsStore store = open(HdfsStoreOptions.defaults());
        await(store.putIfAbsent("gone/1", bytes(1000)));
        await(store.delete("gone/1"));
        store.retire("gone");
        assertTrue(!new File(dir.getRoot(), "gone").exists());
    }

    private static StoreException.Reason reason(CompletableFuture<?> f) throws Exception {
        StoreException.Reason r = reasonOrNull(f);
        if (r == null) fail("the call succeeded but should have failed");
        return r;
    }

    private static StoreException.Reason reasonOrNull(CompletableFuture<?> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (!(c instanceof StoreException) && c != null && c.getCause() != null) c = c.getCause();
            if (c instanceof StoreException s) return s.reason();
            throw e;
        }
    }
}
