package org.elastichadoop.iscsi.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.elastichadoop.iscsi.store.KvImmutableStore;
import org.elastichadoop.iscsi.volume.log.LogVolume;
import org.elastichadoop.iscsi.volume.log.LogVolumeOptions;
import org.elastichadoop.iscsi.volume.log.LogVolumes;
import org.elastichadoop.iscsi.volume.log.StoredVolumeKeys;
import org.elastichadoop.iscsi.volume.log.VolumeRecord;
import org.elastichadoop.iscsi.volume.log.ZkVolumeCatalog;
import org.elastichadoop.kv.node.KvNode;
import org.elastichadoop.kv.node.LocalCluster;
import org.elastichadoop.kv.storage.EntryMeta;
import org.elastichadoop.kv.storage.StoreOptions;
import org.elastichadoop.kv.storage.StoreStats;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * Acceptance: a 256 MiB log volume (default options: 4 MiB segments) written once and rewritten ten
 * times (sequential passes alternating with passes of random 4 KiB .. 1 MiB writes, a flush every
 * 1 to 16 MiB) on a real zk-kv-store cluster (ZooKeeper ensemble + three nodes, RF 3, W 2), counted two ways,
 * each with the promise of the layer that keeps it:
 * <ul>
 *   <li>logical, the volume's promise: the value bytes of the volume's entries that the store still holds
 *   (every present key under the volume's id, found by walking the nodes' indexes) are at most twice its size
 *   once the volume's garbage collection has run, and are exactly the entries the volume still references
 *   (checkpoint, map pages, the segments it maps, the replay tail);</li>
 *   <li>physical, the KV store's promise: the bytes of the nodes' files on disk, less what they held before the
 *   volume was created, divided by RF 3, after each node's store has compacted away the deleted values, are at
 *   most the live bytes over (1 - the compaction's garbage ratio) plus one open KV segment: a compaction pass
 *   leaves every sealed segment under that ratio of garbage. With the defaults (0.5, 64 MiB segments) that is
 *   twice the logical figure plus 64 MiB (a run on 2026-12-06 read 1.17 times it: 453.9 MiB for 387.7 live).</li>
 * </ul>
 * The volume's GC is only what it does by itself (checkpoints that delete dead segments, merges of
 * the map's runs that find overwritten blocks, compaction of mostly dead segments, on its own
 * threads), while written and then idle until its figure stops changing (the map learns of the
 * last writes' overwrites when its runs are merged, after them); the writer then closes (flush +
 * checkpoint). The whole volume is then read back through a freshly opened writer
 * (so from the store, not a cache) and compared with a model of everything written.
 *
 * <p>The nodes run with background compaction off so that the figure before KV compaction is
 * clean; the pass is then started with {@link org.elastichadoop.kv.storage.LogStore#compact()},
 * the same pass a node's background maintenance runs every minute by default.
 *
 * <p>The figures are printed (lines starting "[gc-it]", in failsafe-reports/*LogVolumeGcIT-output.txt).
 * {@code -Dgc.seed=N} varies the workload.
 */
public class LogVolumeGcIT {
    private static final long SIZE = 256L << 20;
    private static final long LIMIT = 2 * SIZE;
    private static final int BLOCK = 512;
    /** The unit of the model and of every write: 4 KiB. */
    private static final int CHUNK = 4096;
    private static final int CHUNKS = (int) (SIZE / CHUNK);
    private static final int MAX_WRITE_CHUNKS = (1 << 20) / CHUNK;
    private static final int REWRITES = 10;
    private static final int RF = 3;
    private static final long IDLE_POLL_MILLIS = 2_000;
    /**
     * Longer than the volume's idle threshold (5 s) plus its idle check (1 s) plus a merge and a compaction pass here,
     * so that a figure unchanged this long means nothing more is coming.
     */
    private static final long SETTLED_NANOS = 10_000_000_000L;
    private static final long IDLE_LIMIT_NANOS = 60_000_000_000L;

    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    @Test
    public void aVolumeRewrittenTenTimesStoresAtMostTwiceItsSizeAfterGc() throws Exception {
        long t0 = System.nanoTime();
        Path kvDir = dir.newFolder("kv").toPath();
        try (LocalCluster cluster = new LocalCluster(kvDir, 0)) {
            StoreOptions nodeStore = StoreOptions.defaults().toBuilder().compactionIntervalMillis(0).build();
            for (int i = 0; i < RF; i++) cluster.startNode(cluster.config(i).storeOptions(nodeStore));
            String zk = cluster.zk.getConnectString();
            try (ZkVolumeCatalog catalog = ZkVolumeCatalog.connect(zk);
                 KvImmutableStore store = KvImmutableStore.connect(zk)) {
                long baseline = diskBytes(kvDir);
                LogVolumes.create(catalog, "gc", SIZE, BLOCK);
                String prefix = StoredVolumeKeys.prefix(catalog.read("gc").orElseThrow().record());

                // ---- write once, rewrite ten times, then the volume's GC ----
                long seed = Long.getLong("gc.seed", 20261127L);
                System.out.println("[gc-it] workload seed " + seed + " (-Dgc.seed=N to vary it)");
                Workload w = new Workload(new Random(seed), new int[CHUNKS]);
                writeAndCollect(store, catalog, w, () -> {
                    awaitReplicasAgree(cluster, prefix);
                    return measure(cluster, kvDir, baseline, prefix);
                });
                VolumeRecord record = catalog.read("gc").orElseThrow().record();
                Set<String> referenced = StoredVolumeKeys.referenced(store, record);
                awaitReplicasAgree(cluster, prefix);
                Measure beforeKv = measure(cluster, kvDir, baseline, prefix);
                System.out.println("[gc-it] after volume GC, before KV compaction: " + beforeKv);

                // ---- the KV store reclaims the deleted values ----
                long t3 = System.nanoTime();
                for (KvNode node : cluster.liveNodes()) node.store().compact();
                Measure afterKv = measure(cluster, kvDir, baseline, prefix);
                long t4 = System.nanoTime();
                System.out.printf("[gc-it] KV compaction took %.1f s%n", secs(t3, t4));
                System.out.println("[gc-it] after KV compaction: " + afterKv);

                // ---- the data survived GC and KV compaction: read it all back from the store ----
                long t5 = System.nanoTime();
                readBack(store, catalog, w);
                long t6 = System.nanoTime();
                System.out.printf("[gc-it] read back and verified %d MiB in %.1f s; total %.1f s%n", SIZE >> 20, secs(t5, t6), secs(t0, t6));

                // ---- the figures ----
                Set<String> leaked = new TreeSet<>(afterKv.present.keySet());
                leaked.removeAll(referenced);
                Set<String> lost = new TreeSet<>(referenced);
                lost.removeAll(afterKv.present.keySet());
                assertTrue("entries the volume references but the store lacks: " + lost, lost.isEmpty());
                for (String key : referenced) {
                    assertEquals("copies of " + key, RF, afterKv.copies.get(key).intValue());
                }
                assertTrue(leaked.size() + " entries (" + sum(afterKv.present, leaked) + " bytes) are stored under the volume but"
                        + " no longer referenced by it: " + leaked, leaked.isEmpty());
                assertTrue("logical: the volume's entries hold " + mib(afterKv.logical) + " MiB, over 2 x 256 MiB",
                        afterKv.logical <= LIMIT);
                long physicalLimit = (long) (afterKv.logical / (1 - nodeStore.compactionGarbageRatio())) + nodeStore.segmentBytes();
                System.out.printf("[gc-it] physical / logical after KV compaction: %.2f (at most %.2f with %.1f MiB of slack)%n",
                        (double) afterKv.physicalPerReplica / afterKv.logical, 1 / (1 - nodeStore.compactionGarbageRatio()),
                        mib(nodeStore.segmentBytes()));
                assertTrue("physical: the nodes hold " + mib(afterKv.physicalPerReplica) + " MiB per replica more than before"
                        + " the volume, over the " + mib(physicalLimit) + " MiB their compaction promises for "
                        + mib(afterKv.logical) + " MiB live", afterKv.physicalPerReplica <= physicalLimit);
                assertTrue("before KV compaction the nodes must hold every byte written (" + w.bytes + ") as segments: they hold "
                        + beforeKv.physicalPerReplica + " per replica", beforeKv.physicalPerReplica >= w.bytes);
                assertTrue("the disk figure (" + afterKv.physicalPerReplica + ") cannot be below the live entries it holds ("
                        + afterKv.logical + "): it would not be measuring the nodes' files", afterKv.physicalPerReplica >= afterKv.logical);
            }
        }
    }

    private interface Measuring {
        Measure now() throws Exception;
    }

    /**
     * The writer's whole life: the passes, then close (flush + checkpoint). Garbage collection is only
     * what the volume does by itself while it is written: checkpoints that delete dead segments and
     * compaction of mostly dead ones on its maintenance thread. A method of its own so that the closed
     * writer is unreachable afterwards.
     */
    private static void writeAndCollect(KvImmutableStore store, ZkVolumeCatalog catalog, Workload w, Measuring measuring)
            throws Exception {
        LogVolume volume = LogVolume.open(store, catalog, "gc", LogVolumeOptions.defaults());
        try {
            long t0 = System.nanoTime();
            w.sequentialPass(volume);
            for (int pass = 1; pass <= REWRITES; pass++) {
                if (pass % 2 == 1) w.sequentialPass(volume);
                else w.randomPass(volume);
            }
            volume.flush();
            long t1 = System.nanoTime();
            System.out.printf("[gc-it] wrote %d MiB in %d writes and %d flushes in %.1f s (%.0f MiB/s)%n",
                    w.bytes >> 20, w.writes, w.flushes, secs(t0, t1), (w.bytes >> 20) / secs(t0, t1));
            System.out.println("[gc-it] after the workload (GC only as the writes triggered it): " + measuring.now());

            // the map learns of the last pass's overwrites when its runs are merged, after the writes: the volume's
            // background GC (idle checkpoints, merges, compaction) catches up while the volume is idle
            long t2 = System.nanoTime();
            Measure before = measuring.now();
            long unchangedSince = System.nanoTime();
            while (true) {
                Thread.sleep(IDLE_POLL_MILLIS);
                Measure now = measuring.now();
                if (now.logical != before.logical) unchangedSince = System.nanoTime();
                if (System.nanoTime() - unchangedSince >= SETTLED_NANOS || System.nanoTime() - t2 > IDLE_LIMIT_NANOS) {
                    System.out.printf("[gc-it] idle for %.1f s, the last %.1f s unchanged (the volume's GC settled): %s%n",
                            secs(t2, System.nanoTime()), secs(unchangedSince, System.nanoTime()), now);
                    break;
                }
                before = now;
            }

            long t3 = System.nanoTime();
            volume.close(); // flush + a last checkpoint, which deletes what the last compaction emptied
            System.out.printf("[gc-it] closed in %.1f s%n", secs(t3, System.nanoTime()));
        } finally {
            volume.close();
        }
    }

    /** Reads the whole volume through a new writer (empty cache: every segment comes from the store). */
    private static void readBack(KvImmutableStore store, ZkVolumeCatalog catalog, Workload w) throws IOException {
        LogVolume reopened = LogVolume.open(store, catalog, "gc", LogVolumeOptions.defaults());
        try {
            w.verifyAll(reopened);
        } finally {
            reopened.close();
        }
    }

    // ---- workload and model ----

    /** Writes 4 KiB-aligned data whose every chunk is a function of (chunk, version); the model keeps the versions. */
    private static final class Workload {
        private final Random random;
        private final int[] version;
        private final byte[] buffer = new byte[MAX_WRITE_CHUNKS * CHUNK];
        private int nextVersion = 1;
        private long sinceFlush;
        private long flushAt;
        long bytes;
        long writes;
        long flushes;

        Workload(Random random, int[] version) {
            this.random = random;
            this.version = version;
            this.flushAt = nextFlushThreshold();
        }

        /** The whole volume front to back in 1 MiB writes. */
        void sequentialPass(LogVolume v) throws IOException {
            for (int chunk = 0; chunk < CHUNKS; chunk += MAX_WRITE_CHUNKS) write(v, chunk, MAX_WRITE_CHUNKS);
        }

        /** 256 MiB of writes of 4 KiB .. 1 MiB (log-uniform sizes) at random 4 KiB-aligned places. */
        void randomPass(LogVolume v) throws IOException {
            long done = 0;
            while (done < SIZE) {
                int chunks = 1 << random.nextInt(9);
                write(v, random.nextInt(CHUNKS - chunks + 1), chunks);
                done += (long) chunks * CHUNK;
            }
        }

        private void write(LogVolume v, int chunk, int chunks) throws IOException {
            int n = chunks * CHUNK;
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, n).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < chunks; i++) {
                int ver = nextVersion++;
                version[chunk + i] = ver;
                fill(b, chunk + i, ver);
            }
            v.write((long) chunk * (CHUNK / BLOCK), Unpooled.wrappedBuffer(buffer, 0, n), false);
            bytes += n;
            writes++;
            sinceFlush += n;
            if (sinceFlush >= flushAt) {
                v.flush(); // SYNCHRONIZE CACHE, as an initiator's fsync sends it
                flushes++;
                sinceFlush = 0;
                flushAt = nextFlushThreshold();
            }
        }

        /** Every 1 to 16 MiB of writes. */
        private long nextFlushThreshold() {
            return (1L + random.nextInt(16)) << 20;
        }

        void verifyAll(LogVolume v) throws IOException {
            byte[] expected = new byte[CHUNK];
            byte[] got = new byte[CHUNK];
            ByteBuf read = Unpooled.buffer(MAX_WRITE_CHUNKS * CHUNK);
            for (int chunk = 0; chunk < CHUNKS; chunk += MAX_WRITE_CHUNKS) {
                read.clear();
                v.read((long) chunk * (CHUNK / BLOCK), MAX_WRITE_CHUNKS * (CHUNK / BLOCK), read);
                for (int i = 0; i < MAX_WRITE_CHUNKS; i++) {
                    fill(ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN), chunk + i, version[chunk + i]);
                    read.readBytes(got);
                    if (!java.util.Arrays.equals(expected, got)) {
                        fail("bytes " + (long) (chunk + i) * CHUNK + ".." + ((long) (chunk + i + 1) * CHUNK - 1)
                                + " do not hold what write #" + version[chunk + i] + " put there");
                    }
                }
            }
        }
    }

    /** Fills the next 4 KiB of {@code b} with bytes that only this (chunk, version) produces. */
    private static void fill(ByteBuffer b, int chunk, int version) {
        long x = ((long) chunk << 32) ^ version ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < CHUNK / 8; i++) {
            x += 0x9E3779B97F4A7C15L; // splitmix64
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            b.putLong(z ^ (z >>> 31));
        }
    }

    // ---- measuring ----

    /** What the store holds for the volume, and what the nodes hold on disk. */
    private record Measure(Map<String, Integer> present, Map<String, Integer> copies, int tombstones, long logical,
                           long physicalPerReplica, long diskTotal, List<StoreStats> stats) {
        @Override
        public String toString() {
            long segments = 0;
            long live = 0;
            long total = 0;
            for (StoreStats s : stats) {
                segments += s.segments();
                live += s.liveBytes();
                total += s.totalBytes();
            }
            return String.format("logical %.1f MiB in %d entries (%d deleted) | physical %.1f MiB per replica"
                            + " (%.1f MiB on the 3 nodes' disks in all) | StoreStats of the 3 data stores: %d segments,"
                            + " %.1f MiB live of %.1f MiB",
                    mib(logical), present.size(), tombstones, mib(physicalPerReplica), mib(diskTotal), segments,
                    mib(live), mib(total));
        }
    }

    private static Measure measure(LocalCluster cluster, Path kvDir, long baseline, String prefix) throws IOException {
        Map<String, Integer> present = new TreeMap<>();
        Map<String, Integer> copies = new HashMap<>();
        Set<String> deleted = new TreeSet<>();
        List<StoreStats> stats = new ArrayList<>();
        for (KvNode node : cluster.liveNodes()) {
            node.store().forEachMeta(m -> {
                String key = new String(m.key(), StandardCharsets.UTF_8);
                if (!key.startsWith(prefix)) return;
                if (m.state() == EntryMeta.State.TOMBSTONE) {
                    deleted.add(key);
                    return;
                }
                Integer before = present.putIfAbsent(key, m.valueLength());
                if (before != null && before != m.valueLength()) {
                    throw new AssertionError("replicas disagree on the length of " + key + ": " + before + " and " + m.valueLength());
                }
                copies.merge(key, 1, Integer::sum);
            });
            stats.add(node.store().stats());
        }
        long logical = 0;
        for (int length : present.values()) logical += length;
        long disk = diskBytes(kvDir);
        return new Measure(present, copies, deleted.size(), logical, (disk - baseline) / RF, disk - baseline, stats);
    }

    /**
     * The background push of the third copy (after W = 2 acknowledged) and the tombstones of deleted
     * segments settle within moments; wait until every node holds the same keys of the volume in the same state.
     */
    private static void awaitReplicasAgree(LocalCluster cluster, String prefix) throws InterruptedException {
        LocalCluster.await("every node holds the volume's entries in the same state", 60_000, () -> {
            List<Map<String, EntryMeta.State>> views = new ArrayList<>();
            for (KvNode node : cluster.liveNodes()) {
                Map<String, EntryMeta.State> view = new HashMap<>();
                node.store().forEachMeta(m -> {
                    String key = new String(m.key(), StandardCharsets.UTF_8);
                    if (key.startsWith(prefix)) view.put(key, m.state());
                });
                views.add(view);
            }
            for (KvNode node : cluster.liveNodes()) if (node.hintsPending() > 0) return false;
            return views.size() == RF && views.stream().allMatch(views.get(0)::equals);
        });
    }

    /** Bytes of every file under the nodes' data directories (segments, hint files, hints store, node ids). */
    private static long diskBytes(Path kvDir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> files = Files.walk(kvDir)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> {
                    try {
                        return Files.size(p);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        return 0; // compacted away while walking
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            } catch (UncheckedIOException e) {
                // the walk itself met a file that compaction renamed or deleted under it: walk again
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    private static long sum(Map<String, Integer> sizes, Set<String> keys) {
        long total = 0;
        for (String k : keys) total += sizes.get(k);
        return total;
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private static double secs(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
