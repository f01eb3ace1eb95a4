package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.elastichadoop.iscsi.store.hdfs.HdfsStore;
import org.elastichadoop.iscsi.store.hdfs.HdfsStoreOptions;
import org.elastichadoop.iscsi.store.hdfs.MiniHdfs;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * Log volumes kept in a real HDFS (MiniDFSCluster, three DataNodes): writers are killed (their HDFS client still holding
 * the open pack's lease, as with kill -9 before the lease expires) and replaced by new writers with clients of their
 * own, which recover the lease, read what the killed one stored and fence it; every block reads as its last flushed
 * write or one made after it. The volume is then deleted and its directory is gone from HDFS.
 */
public class LogVolumeOnHdfsIT {
    private static final int BS = 4096;
    private static final long BLOCKS = 16_384; // 64 MiB
    private static final int PACK_BYTES = 8 << 20;
    private static MiniHdfs hdfs;
    private static URI root;

    private final MemoryVolumeCatalog catalog = new MemoryVolumeCatalog();
    private final LogVolumeOptions options = LogVolumeOptions.defaults().withSegmentBytes(1 << 20).withCheckpointEvery(8)
            .withCacheBytes(4 << 20);
    private final Map<Long, Long> durable = new HashMap<>();
    private final Map<Long, Set<Long>> pending = new HashMap<>();
    private long version;

    @BeforeClass
    public static void startCluster() throws Exception {
        hdfs = MiniHdfs.start();
        root = hdfs.uri("/volumes");
    }

    @AfterClass
    public static void stopCluster() {
        if (hdfs != null) hdfs.close();
    }

    /** A bridge's store: a client of its own (its own lease). Packs of 8 MiB so that a run rolls and compacts them. */
    private static HdfsStore newStore() throws IOException {
        return hdfs.store("/volumes", HdfsStoreOptions.defaults().withPackBytes(PACK_BYTES));
    }

    @Test
    public void writersKilledAndReplacedOnHdfsLoseNothingFlushedAndTheReplacedOneIsFenced() throws Exception {
        Random random = new Random(20261206);
        VolumeRecord record = LogVolumes.create(catalog, "hdfs-vol", BLOCKS * BS, BS, root.toString());
        HdfsStore killedStore = null;
        LogVolume killed = null;
        for (int round = 0; round < 4; round++) {
            HdfsStore store = newStore();
            long start = System.nanoTime();
            LogVolume v = LogVolume.open(store, catalog, "hdfs-vol", options);
            System.out.printf("[hdfs-volume] writer %d opened the volume in %.2f s%n", round, (System.nanoTime() - start) / 1e9);
            check(v, "writer " + round);
            if (killed != null) {
                assertFenced(killed, killedStore);
                killedStore.close();
            }
            for (int i = 0; i < 3000; i++) write(v, random);
            if (round == 3) {
                v.flush();
                settle();
                v.close();
                store.close();
            } else {
                v.flush();
                settle();
                for (int i = 0; i < 400; i++) write(v, random); // in doubt: not flushed when it is killed
                killed = v; // killed -9: nothing more flushed, its client's lease left to the next writer to recover
                killedStore = store;
            }
        }
        HdfsStore last = newStore();
        LogVolume reopened = LogVolume.open(last, catalog, "hdfs-vol", options);
        check(reopened, "after a clean close");
        reopened.close();
        // the NameNode budget: closed packs stay 60% live, so files <= live bytes / (0.6 x pack size) + the open pack
        long[] figures = null;
        long bound = 0;
        for (int i = 0; i < 100; i++) {
            figures = last.figures(record.id());
            bound = (long) Math.ceil(figures[2] / (0.6 * PACK_BYTES)) + 1;
            if (figures[0] <= bound) break;
            Thread.sleep(200); // compaction runs while the volume is idle
        }
        System.out.printf("[hdfs-volume] %d packs of at most %d MiB hold %.1f MiB live (%.1f MiB of records): at 1 GiB packs, "
                + "%.0f files per TiB%n", figures[0], PACK_BYTES >> 20, figures[2] / 1048576.0, figures[3] / 1048576.0,
                figures[0] / (figures[2] / (double) (1L << 40)) * PACK_BYTES / (1L << 30));
        assertTrue(figures[0] + " packs for " + figures[2] + " live bytes: over the budget of " + bound, figures[0] <= bound);

        FileSystem fs = FileSystem.newInstance(root, hdfs.clientConf());
        Path dir = new Path(new Path(root), record.id());
        FileStatus[] packs = fs.listStatus(dir);
        System.out.printf("[hdfs-volume] %d writes of 4 KiB kept in %d pack files%n", version, packs.length);
        LogVolumes.delete(catalog, last, "hdfs-vol");
        assertTrue("a deleted volume leaves no directory in HDFS", !fs.exists(dir));
        last.close();
        fs.close();
    }

    private void write(LogVolume v, Random random) throws IOException {
        long lba = Math.floorMod(random.nextLong(), BLOCKS);
        long ver = ++version;
        pending.computeIfAbsent(lba, k -> new HashSet<>()).add(ver);
        v.write(lba, Unpooled.wrappedBuffer(stamp(lba, ver)), false);
    }

    /** A flush completed: each block's newest write is now its durable one. */
    private void settle() {
        pending.forEach((lba, versions) -> durable.put(lba, versions.stream().mapToLong(Long::longValue).max().orElseThrow()));
        pending.clear();
    }

    private void check(LogVolume v, String when) throws IOException {
        for (long lba = 0; lba < BLOCKS; lba += 256) {
            ByteBuf b = Unpooled.buffer(256 * BS);
            v.read(lba, 256, b);
            for (int i = 0; i < 256; i++) {
                long block = lba + i;
                ByteBuffer data = b.nioBuffer(i * BS, BS);
                long seen = data.getLong(0);
                long was = durable.getOrDefault(block, 0L);
                Set<Long> maybe = pending.getOrDefault(block, Set.of());
                if (seen != was && !maybe.contains(seen)) {
                    fail(when + ": LBA " + block + " reads as version " + seen + "; flushed was " + was + ", written since " + maybe);
                }
                if (seen != 0) assertEquals(when + ": LBA " + block + " holds another block's data", block, data.getLong(8));
                if (seen == 0) durable.remove(block);
                else durable.put(block, seen);
            }
        }
        pending.clear();
    }

    private static void assertFenced(LogVolume killed, HdfsStore killedStore) {
        try {
            for (int i = 0; i < 2000; i++) killed.write(i, Unpooled.wrappedBuffer(stamp(i, -1)), false);
            killed.flush();
            fail("the replaced writer flushed after the new one took over");
        } catch (IOException expected) {
            // its store refuses it (another writer took the group over) or its record was fenced
        } finally {
            killed.halt();
        }
    }

    private static byte[] stamp(long lba, long version) {
        ByteBuffer b = ByteBuffer.allocate(BS);
        b.putLong(version).putLong(lba);
        while (b.hasRemaining()) b.put((byte) (version * 31 + b.position()));
        return b.array();
    }
}
