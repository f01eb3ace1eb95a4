package org.elastichadoop.iscsi.volume.log.map;

import org.junit.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The paged map against a model (an array of what each block points to), under random writes, unmaps, checkpoints,
 * merges (with writes between their halves), restarts from a recorded state with the log replayed, and caches from
 * tiny to ample: every lookup agrees with the model, segment counts are never below the truth, and a segment
 * reported dead is dead.
 */
public class LbaMapModelTest {
    private static final int BS = 512;
    private static final int BLOCKS = 6000;
    /** Seeds per test; more by hand: {@code mvn test -Dtest=LbaMapModelTest -Dtest.argLine=-Dlbamap.seeds=500}. */
    private static final int SEEDS = Integer.getInteger("lbamap.seeds", 10);

    /** One write or unmap, kept for replay after a restart. */
    private record Op(long lba, long blocks, long seq, long offset) {}

    private final long[] seqOf = new long[BLOCKS];
    private final long[] offsetOf = new long[BLOCKS];
    private final List<Op> log = new ArrayList<>();
    private MemoryPages store;
    private LbaMap map;
    private long epoch;
    private long seq;
    private long cursor;
    private MapState recorded;
    private int recordedAt;
    private Random random;
    private long cacheBytes;

    @Test
    public void randomOperationsAgreeWithAModelWithATinyCache() throws Exception {
        for (long seed = 1; seed <= SEEDS; seed++) run(seed, 8 << 10, 4_000);
    }

    @Test
    public void randomOperationsAgreeWithAModelWithAnAmpleCache() throws Exception {
        for (long seed = 1001; seed <= 1000 + SEEDS; seed++) run(seed, 64 << 20, 4_000);
    }

    @Test
    public void aLookupAfterAMergeReplacedItsPagesAsksForThemAgain() throws Exception {
        setUp(7, 1 << 10);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 200; j++) put(random.nextInt(BLOCKS - 8), 1 + random.nextInt(8));
            checkpoint(false);
        }
        Pages pages = map.load(0, BLOCKS).join();
        LbaMap.Merge merge = map.planFullMerge();
        assertNotNull(merge);
        map.install(map.merge(merge));
        try {
            map.lookup(0, BLOCKS, pages);
            fail("the pages loaded before the merge belong to runs that are gone");
        } catch (PagesMissingException expected) {
            // load again
        }
        check(0, BLOCKS, map.lookup(0, BLOCKS, map.load(0, BLOCKS).join()));
    }

    private void setUp(long seed, long cache) {
        random = new Random(seed);
        cacheBytes = cache;
        Arrays.fill(seqOf, MappedRun.HOLE);
        Arrays.fill(offsetOf, 0);
        log.clear();
        store = new MemoryPages();
        epoch = 1;
        map = LbaMap.empty(BS, store, cacheBytes, epoch);
        seq = 0;
        cursor = 0;
        recorded = null;
        recordedAt = 0;
    }

    private void run(long seed, long cache, int steps) throws Exception {
        setUp(seed, cache);
        int step = 0;
        String last = "";
        try {
            for (step = 0; step < steps; step++) {
                int dice = random.nextInt(100);
                last = dice < 50 ? "put" : dice < 58 ? "remove" : dice < 63 ? "checkpoint" : dice < 68 ? "merge" : dice < 70 ? "restart" : "lookup";
                if (dice < 50) put(random.nextInt(BLOCKS - 64), 1 + (random.nextInt(4) == 0 ? random.nextInt(64) : random.nextInt(4)));
                else if (dice < 58) remove(random.nextInt(BLOCKS - 200), 1 + random.nextInt(200));
                else if (dice < 63) checkpoint(random.nextBoolean());
                else if (dice < 68) merge();
                else if (dice < 70) restart();
                else if (dice < 95) lookup();
                else provisioning();
                checkDied();
                if (step % 100 == 0) checkCounts();
            }
            checkpoint(false); // with nothing written meanwhile, the memtable is empty and a full merge sees everything
            LbaMap.Merge all = map.planFullMerge();
            if (all != null) map.install(map.merge(all));
            checkCounts();
            Map<Long, Long> truth = truth();
            for (long s = 0; s <= seq; s++) assertEquals("segment " + s + " after a full merge", truth.getOrDefault(s, 0L).longValue(), map.liveBlocks(s));
            assertEquals("mapped blocks after a full merge", truth.values().stream().mapToLong(Long::longValue).sum(), map.mappedBlocks());
            check(0, BLOCKS, map.lookup(0, BLOCKS, map.load(0, BLOCKS).join()));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (cache " + cache + " bytes), step " + step + " (" + last + "): " + e.getMessage(), e);
        }
    }

    private void put(long lba, long blocks) {
        if (random.nextInt(16) == 0) { // the open segment is sealed: the next one starts
            seq++;
            cursor = 0;
        }
        Op op = new Op(lba, blocks, seq, cursor);
        cursor += blocks * BS;
        apply(op);
    }

    private void remove(long lba, long blocks) {
        apply(new Op(lba, blocks, MappedRun.HOLE, 0));
    }

    private void apply(Op op) {
        log.add(op);
        for (long b = op.lba; b < op.lba + op.blocks; b++) {
            seqOf[(int) b] = op.seq;
            offsetOf[(int) b] = op.seq == MappedRun.HOLE ? 0 : op.offset + (b - op.lba) * BS;
        }
        replay(map, op);
    }

    private static void replay(LbaMap map, Op op) {
        if (op.seq == MappedRun.HOLE) map.remove(op.lba, op.blocks);
        else map.put(op.lba, op.blocks, op.seq, op.offset);
    }

    private void checkpoint(boolean writesMeanwhile) throws Exception {
        seq++; // the checkpoint seals the open segment
        cursor = 0;
        LbaMap.Frozen frozen = map.freeze();
        int at = log.size();
        for (int i = writesMeanwhile ? 1 + random.nextInt(3) : 0; i > 0; i--) put(random.nextInt(BLOCKS - 8), 1 + random.nextInt(8));
        MapState state = map.install(map.flush(frozen));
        recorded = MapState.decode(state.encode(), 0, state.encode().length);
        recordedAt = at;
        for (long id : frozen.pageGarbage()) store.delete(id); // the checkpoint is recorded: what it let go of goes
    }

    private void merge() throws Exception {
        LbaMap.Merge m = random.nextBoolean() ? map.planMerge() : map.planFullMerge();
        if (m == null) return;
        LbaMap.Merged merged = map.merge(m);
        for (int i = random.nextInt(3); i > 0; i--) put(random.nextInt(BLOCKS - 8), 1 + random.nextInt(8));
        if (random.nextInt(10) == 0) {
            map.abandon(m); // as when the store failed: nothing changes
        } else {
            map.install(merged);
        }
    }

    private void restart() {
        epoch++;
        map = recorded == null ? LbaMap.empty(BS, store, cacheBytes, epoch) : LbaMap.restore(BS, store, cacheBytes, epoch, recorded);
        for (Op op : log.subList(recorded == null ? 0 : recordedAt, log.size())) replay(map, op);
    }

    private void lookup() {
        long lba = random.nextInt(BLOCKS);
        long blocks = 1 + random.nextInt((int) Math.min(300, BLOCKS - lba));
        List<MappedRun> found = random.nextBoolean() ? map.lookupIfCached(lba, blocks) : null;
        if (found == null) found = map.lookup(lba, blocks, map.load(lba, blocks).join());
        check(lba, blocks, found);
    }

    private void provisioning() {
        long lba = random.nextInt(BLOCKS);
        long limit = Math.min(BLOCKS, lba + 1 + random.nextInt(500));
        long[] p = map.provisioning(lba, limit, map.load(lba, limit - lba).join());
        boolean mapped = seqOf[(int) lba] != MappedRun.HOLE;
        assertEquals("LBA " + lba + " mapped", mapped ? 1 : 0, p[0]);
        long end = lba;
        while (end < limit && (seqOf[(int) end] != MappedRun.HOLE) == mapped) end++;
        assertEquals("blocks from LBA " + lba + " in the same state", end - lba, p[1]);
    }

    private void check(long lba, long blocks, List<MappedRun> found) {
        long[] seqs = new long[(int) blocks];
        long[] offsets = new long[(int) blocks];
        Arrays.fill(seqs, MappedRun.HOLE);
        long at = lba;
        for (MappedRun r : found) {
            assertTrue("runs in order and inside the range: " + r, r.lba() >= at && r.end() <= lba + blocks && !r.isHole());
            for (long b = r.lba(); b < r.end(); b++) {
                seqs[(int) (b - lba)] = r.seq();
                offsets[(int) (b - lba)] = r.offset() + (b - r.lba()) * BS;
            }
            at = r.end();
        }
        assertArrayEquals("segments of LBA " + lba + " + " + blocks, Arrays.copyOfRange(seqOf, (int) lba, (int) (lba + blocks)), seqs);
        assertArrayEquals("offsets of LBA " + lba + " + " + blocks, Arrays.copyOfRange(offsetOf, (int) lba, (int) (lba + blocks)), offsets);
    }

    private Map<Long, Long> truth() {
        Map<Long, Long> live = new HashMap<>();
        for (long s : seqOf) if (s != MappedRun.HOLE) live.merge(s, 1L, Long::sum);
        return live;
    }

    /** A segment reported dead holds no live block (the open one may gain blocks again: the volume judges it when sealed). */
    private void checkDied() {
        List<Long> died = map.drainDied();
        if (died.isEmpty()) return;
        Map<Long, Long> truth = truth();
        for (long dead : died) {
            if (dead != seq) assertEquals("segment " + dead + " was reported dead", 0L, truth.getOrDefault(dead, 0L).longValue());
        }
    }

    private void checkCounts() {
        Map<Long, Long> truth = truth();
        for (Map.Entry<Long, Long> e : truth.entrySet()) {
            assertTrue("segment " + e.getKey() + " holds " + e.getValue() + " live blocks; the map counts " + map.liveBlocks(e.getKey()),
                    map.liveBlocks(e.getKey()) >= e.getValue());
        }
        assertTrue("mapped blocks", map.mappedBlocks() >= truth.values().stream().mapToLong(Long::longValue).sum());
    }
}
