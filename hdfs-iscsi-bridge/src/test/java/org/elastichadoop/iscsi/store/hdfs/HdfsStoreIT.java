package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.store.ImmutableStoreContract;
import org.elastichadoop.iscsi.store.StoreException;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

/**
 * The store on a real HDFS (MiniDFSCluster: a NameNode and three DataNodes in this JVM): the store contract, a killed
 * writer's open pack recovered by the next (which fences the first), a DataNode lost under writes, the NameNode
 * restarted under writes.
 */
public class HdfsStoreIT extends ImmutableStoreContract {
    private static MiniHdfs hdfs;
    private static MiniDFSCluster cluster;
    private final Random random = new Random(3);
    private final List<HdfsStore> stores = new ArrayList<>();
    private HdfsStore store;

    @BeforeClass
    public static void startCluster() throws Exception {
        hdfs = MiniHdfs.start();
        cluster = hdfs.cluster;
    }

    @AfterClass
    public static void stopCluster() {
        if (hdfs != null) hdfs.close();
    }

    private HdfsStore open(HdfsStoreOptions options) throws Exception {
        HdfsStore s = hdfs.store("/volumes", options);
        stores.add(s);
        return s;
    }

    @Before
    public void openStore() throws Exception {
        store = open(HdfsStoreOptions.defaults().withPackBytes(4 << 20));
    }

    @After
    public void closeStores() {
        stores.forEach(HdfsStore::close);
    }

    @Override
    protected ImmutableStore store() {
        return store;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(120, TimeUnit.SECONDS);
    }

    @Test
    public void theNextWriterRecoversAKilledWritersOpenPackReadsAllItAcknowledgedAndFencesIt() throws Exception {
        HdfsStore killed = open(HdfsStoreOptions.defaults().withRetrySeconds(10)); // its own HDFS client and lease
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            values.add(bytes(300_000));
            await(killed.putIfAbsent("lease/" + i, values.get(i)));
        }
        HdfsStore next = open(HdfsStoreOptions.defaults());
        long start = System.nanoTime();
        next.claim("lease"); // the first writer never closed its pack: its lease is recovered here
        System.out.printf("[hdfs-store] claimed a group with an open pack of another client in %.2f s%n", (System.nanoTime() - start) / 1e9);
        for (int i = 0; i < 8; i++) assertArrayEquals("lease/" + i, values.get(i), await(next.get("lease/" + i)));
        StoreException.Reason r = MiniHdfs.reason(killed.putIfAbsent("lease/late", bytes(1000)));
        assertEquals("the replaced writer can no longer store anything", StoreException.Reason.REFUSED, r);
        await(next.putIfAbsent("lease/after", values.get(0)));
        assertArrayEquals(values.get(0), await(next.get("lease/after")));
    }

    @Test
    public void aDataNodeLostUnderWritesFailsNoPutAndLosesNoValue() throws Exception {
        List<byte[]> values = new ArrayList<>();
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        MiniDFSCluster.DataNodeProperties stopped = null;
        try {
            for (int i = 0; i < 48; i++) {
                values.add(bytes(1 << 20));
                puts.add(store.putIfAbsent("dn/" + i, values.get(i)));
                if (i == 16) {
                    await(puts.get(i));
                    stopped = cluster.stopDataNode(0);
                }
                if (i % 8 == 7) await(puts.get(i));
            }
            for (CompletableFuture<Void> p : puts) await(p);
            for (int i = 0; i < values.size(); i++) assertArrayEquals("dn/" + i, values.get(i), await(store.get("dn/" + i)));
        } finally {
            if (stopped != null) {
                cluster.restartDataNode(stopped, true);
                cluster.waitActive();
            }
        }
    }

    @Test
    public void packsWhoseFirstBytesFailWhileEveryDataNodeIsDownDoNotFenceTheirOwnWriter() throws Exception {
        HdfsStore s = open(HdfsStoreOptions.defaults().withRetrySeconds(90));
        byte[] first = bytes(1 << 20);
        await(s.putIfAbsent("own/0", first));
        List<MiniDFSCluster.DataNodeProperties> stopped = new ArrayList<>();
        byte[] second = bytes(1 << 20);
        CompletableFuture<Void> put;
        try {
            for (int i = 0; i < 3; i++) stopped.add(cluster.stopDataNode(0));
            // the sync fails; each new pack is created by the NameNode but its first bytes find no DataNode
            put = s.putIfAbsent("own/1", second);
            Thread.sleep(6000);
        } finally {
            for (MiniDFSCluster.DataNodeProperties dn : stopped) cluster.restartDataNode(dn, true);
            cluster.waitActive();
        }
        await(put);
        assertArrayEquals(first, await(s.get("own/0")));
        assertArrayEquals(second, await(s.get("own/1")));
        long deadline = System.currentTimeMillis() + 30_000;
        while (s.figures("own")[0] > 2 && System.currentTimeMillis() < deadline) Thread.sleep(200);
        assertEquals("the empty packs of the failed attempts are compacted away: " + Arrays.toString(s.figures("own")),
                2, s.figures("own")[0]);
        assertEquals(2, cluster.getFileSystem().listStatus(new org.apache.hadoop.fs.Path("/volumes/own")).length);
    }

    @Test
    public void puttingWhileTheNameNodeRestartsWaitsAndLosesNothing() throws Exception {
        List<byte[]> values = new ArrayList<>();
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            values.add(bytes(1 << 20));
            puts.add(store.putIfAbsent("nn/" + i, values.get(i)));
        }
        for (CompletableFuture<Void> p : puts) await(p);
        Thread restart = new Thread(() -> {
            try {
                cluster.restartNameNode(false);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long start = System.nanoTime();
        restart.start();
        for (int i = 8; i < 40; i++) { // 32 MiB more: new packs and blocks need the NameNode
            values.add(bytes(1 << 20));
            puts.add(store.putIfAbsent("nn/" + i, values.get(i)));
            Thread.sleep(50);
        }
        for (CompletableFuture<Void> p : puts) await(p);
        restart.join(120_000);
        cluster.waitActive();
        System.out.printf("[hdfs-store] 40 puts across a NameNode restart done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        for (int i = 0; i < values.size(); i++) assertArrayEquals("nn/" + i, values.get(i), await(store.get("nn/" + i)));
        HdfsStore reopened = open(HdfsStoreOptions.defaults());
        for (int i = 0; i < values.size(); i++) assertArrayEquals("reopened: nn/" + i, values.get(i), await(reopened.get("nn/" + i)));
    }
}
