package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.elastichadoop.iscsi.store.MemoryStore;
import org.junit.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * A volume written at random, its writer killed again and again at a named step of checkpointing, merging the map
 * or compaction (or at a random moment), reopened by a new writer each time and compared with a model: a block reads as its last flushed write, or as a write made after that flush, never anything
 * else. At the end, the store holds exactly what the volume references. 150,000 writes here; by hand, at 2 M extents:
 * {@code mvn test -Dtest=LogVolumeFaultPointsTest -Dtest.argLine="-Xmx6g -Dfaults.writes=3600000 -Dfaults.blocks=8388608
 * -Dfaults.fullCheckEvery=10"} (2.16 M live extents at the end). With {@code faults.fullCheckEvery} above 1 the writers in between check the blocks
 * whose value was in doubt (written since the last flush) and a random sample of the others; the whole volume is
 * read every that many writers and at the end. A block not in doubt has one right value, so skipping it loses no
 * verdict about the model, only the chance to see damage earlier; damage that lasts is seen at the next whole check.
 */
public class LogVolumeFaultPointsTest {
    private static final int BS = 512;
    private static final long BLOCKS = Long.getLong("faults.blocks", 1L << 18);
    private static final long WRITES = Long.getLong("faults.writes", 150_000);
    private static final long SEED = Long.getLong("faults.seed", System.nanoTime());
    private static final int FULL_CHECK_EVERY = Integer.getInteger("faults.fullCheckEvery", 1);
    private static final int SAMPLE = 65_536;
    private static final String[] POINTS = {
        "checkpoint.frozen", "checkpoint.flushed", "checkpoint.stored", "checkpoint.recorded", "checkpoint.segment-deleted",
        "checkpoint.segments-deleted", "checkpoint.pages-deleted", "merge.planned", "merge.written", "compact.entry", "compact.moved"
    };

    private final MemoryStore store = new MemoryStore();
    private final MemoryVolumeCatalog catalog = new MemoryVolumeCatalog();
    private final LogVolumeOptions options = LogVolumeOptions.defaults().withSegmentBytes(64 * 1024).withCheckpointEvery(8)
            .withCacheBytes(8 << 20).withMapCacheBytes(1 << 20);
    /** The version each block read as at the last check or flush (0: zeros). */
    private final Map<Long, Long> durable = new HashMap<>();
    /** Versions written since then, per block (0 for an unmap), and the last of them. */
    private final Map<Long, Set<Long>> pending = new HashMap<>();
    private final Map<Long, Long> latest = new HashMap<>();
    private long version;


    @Test
    public void killedAtEveryStepOfItsBackgroundWorkAVolumeComesBackAsFlushed() throws Exception {
        Random random = new Random(SEED);
        System.out.println("[fault-points] seed " + SEED + " (-Dfaults.seed=" + SEED + " repeats this run)");
        LogVolumes.create(catalog, "faults", BLOCKS * BS, BS);
        long written = 0;
        Map<String, Integer> killsAt = new HashMap<>();
        int incarnations = 0;
        while (written < WRITES) {
            incarnations++;
            KillSwitch life = new KillSwitch();
            String point = random.nextInt(8) == 0 ? "anywhere" : POINTS[random.nextInt(POINTS.length)];
            AtomicInteger hits = new AtomicInteger(1 + random.nextInt(3));
            java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
            LogVolume v = LogVolume.open(life.store(store), life.catalog(catalog), "faults", options, where -> {
                if (armed.get() && where.equals(point) && hits.decrementAndGet() == 0) {
                    life.kill();
                    throw new IOException("killed at " + where);
                }
            });
            String when = "writer " + incarnations + " after a kill at " + killsAt;
            if (incarnations % FULL_CHECK_EVERY == 0) {
                check(v, when);
                System.out.println("[fault-points] writer " + incarnations + ": " + written + " writes, whole volume as flushed; kills at " + killsAt);
            } else checkInDoubtAndSample(v, random, when);
            armed.set(true);
            long batch = Math.min(WRITES - written, 2_000 + random.nextInt(20_000));
            written += writeUntilKilled(v, life, random, batch);
            life.kill(); // those not killed at their step are killed now, as with kill -9 at a random moment
            v.halt();
            if (life.killed()) killsAt.merge(point, 1, Integer::sum);
        }
        LogVolume last = LogVolume.open(store, catalog, "faults", options);
        check(last, "the last writer");
        last.close();
        LogVolume again = LogVolume.open(store, catalog, "faults", options);
        check(again, "after a clean close");
        LogVolume.MapFigures map = again.mapFigures();
        again.close();
        System.out.println("[fault-points] " + extents() + " extents (runs of blocks written together) over " + durable.size()
                + " blocks; the map holds " + map.records() + " records in " + map.runs() + " runs");
        System.out.println("[fault-points] " + written + " writes, " + incarnations + " writers killed at " + killsAt);

        VolumeRecord record = catalog.read("faults").orElseThrow().record();
        Set<String> referenced = StoredVolumeKeys.referenced(store, record);
        SortedSet<String> stored = new TreeSet<>(store.keys());
        stored.removeIf(k -> !k.startsWith(StoredVolumeKeys.prefix(record)));
        Set<String> leaked = new TreeSet<>(stored);
        leaked.removeAll(referenced);
        Set<String> lost = new TreeSet<>(referenced);
        lost.removeAll(stored);
        assertTrue("referenced but not stored: " + lost, lost.isEmpty());
        assertTrue(leaked.size() + " entries stored under the volume that nothing references: " + first(leaked), leaked.isEmpty());
    }

    /** Blocks written by one request carry consecutive versions; a new extent starts wherever that breaks. */
    private long extents() {
        long extents = 0;
        long previousBlock = -2;
        long previousVersion = -2;
        for (Map.Entry<Long, Long> e : new TreeMap<>(durable).entrySet()) {
            if (e.getKey() != previousBlock + 1 || e.getValue() != previousVersion + 1) extents++;
            previousBlock = e.getKey();
            previousVersion = e.getValue();
        }
        return extents;
    }

    private long writeUntilKilled(LogVolume v, KillSwitch life, Random random, long writes) {
        long done = 0;
        long hot = random.nextInt(4) == 0 ? BLOCKS / 64 : BLOCKS; // sometimes rewrite a small region: compaction
        try {
            for (; done < writes; done++) {
                int dice = random.nextInt(1000);
                if (dice < 4) {
                    v.flush();
                    settle();
                } else if (dice < 10) {
                    long lba = Math.floorMod(random.nextLong(), hot);
                    long blocks = Math.min(BLOCKS - lba, 1 + random.nextInt(64));
                    for (long b = lba; b < lba + blocks; b++) pending.computeIfAbsent(b, k -> new HashSet<>()).add(0L); // in doubt until done
                    v.unmap(lba, blocks);
                    for (long b = lba; b < lba + blocks; b++) latest.put(b, 0L);
                } else {
                    long lba = Math.floorMod(random.nextLong(), hot);
                    int blocks = (int) Math.min(BLOCKS - lba, random.nextInt(16) == 0 ? 1 + random.nextInt(64) : 1);
                    ByteBuf data = Unpooled.buffer(blocks * BS);
                    long[] versions = new long[blocks];
                    for (int i = 0; i < blocks; i++) {
                        versions[i] = ++version;
                        data.writeBytes(stamp(lba + i, versions[i]));
                    }
                    for (int i = 0; i < blocks; i++) pending.computeIfAbsent(lba + i, k -> new HashSet<>()).add(versions[i]); // in doubt until done
                    v.write(lba, data, random.nextInt(200) == 0);
                    for (int i = 0; i < blocks; i++) latest.put(lba + i, versions[i]);
                }
                if (life.killed() && random.nextInt(50) == 0) break; // it is dead; what it still took is in doubt
            }
        } catch (IOException e) {
            // killed: a request in doubt stays among the pending versions
        }
        return done;
    }

    /** A flush completed: each block's last write (or unmap) is now the durable one. */
    private void settle() {
        latest.forEach((lba, v) -> {
            if (v == 0) durable.remove(lba);
            else durable.put(lba, v);
        });
        latest.clear();
        pending.clear();
    }

    private void check(LogVolume v, String when) throws IOException {
        int chunk = 2048;
        for (long lba = 0; lba < BLOCKS; lba += chunk) checkRange(v, lba, (int) Math.min(chunk, BLOCKS - lba), when);
        pending.clear();
        latest.clear();
    }

    /** Every block in doubt, read in runs of neighbours, and a random sample of the others. */
    private void checkInDoubtAndSample(LogVolume v, Random random, String when) throws IOException {
        TreeSet<Long> blocks = new TreeSet<>(pending.keySet());
        for (int i = 0; i < SAMPLE; i++) blocks.add(Math.floorMod(random.nextLong(), BLOCKS));
        long start = -1;
        int n = 0;
        for (long block : blocks) {
            if (n > 0 && (block != start + n || n == 2048)) {
                checkRange(v, start, n, when);
                n = 0;
            }
            if (n == 0) start = block;
            n++;
        }
        if (n > 0) checkRange(v, start, n, when);
        pending.clear();
        latest.clear();
    }

    private void checkRange(LogVolume v, long lba, int n, String when) throws IOException {
        ByteBuf b = Unpooled.buffer(n * BS);
        v.read(lba, n, b);
        for (int i = 0; i < n; i++) {
            long block = lba + i;
            long seen = versionIn(b, i, block, when);
            long was = durable.getOrDefault(block, 0L);
            Set<Long> maybe = pending.getOrDefault(block, Set.of());
            if (seen != was && !maybe.contains(seen)) {
                throw new AssertionError(when + ": LBA " + block + " reads as version " + seen + "; flushed was " + was
                        + ", written since " + maybe + " (seed " + SEED + "); " + v.explain(block));
            }
            if (seen == 0) durable.remove(block);
            else durable.put(block, seen);
        }
    }

    private static long versionIn(ByteBuf b, int i, long lba, String when) {
        ByteBuffer block = b.nioBuffer(i * BS, BS);
        long version = block.getLong(0);
        if (version == 0) {
            for (int j = 0; j < BS; j++) if (block.get(j) != 0) throw new AssertionError(when + ": LBA " + lba + " holds garbage");
            return 0;
        }
        assertEquals(when + ": LBA " + lba + " holds another block's data", lba, block.getLong(8));
        assertTrue(when + ": LBA " + lba + " is torn", java.util.Arrays.equals(stamp(lba, version), toArray(block)));
        return version;
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static byte[] stamp(long lba, long version) {
        ByteBuffer b = ByteBuffer.allocate(BS);
        b.putLong(version).putLong(lba);
        while (b.hasRemaining()) b.put((byte) (version * 31 + b.position()));
        return b.array();
    }

    private static List<String> first(Set<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (out.size() == 20) break;
            out.add(k);
        }
        return out;
    }
}
