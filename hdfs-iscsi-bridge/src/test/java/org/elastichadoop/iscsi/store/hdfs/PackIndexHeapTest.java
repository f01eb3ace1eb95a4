package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.Path;
import org.junit.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * What the index of a volume in HDFS costs the bridge's heap: one entry per stored key (a 4 MiB segment, a map page),
 * 262,144 per TiB of segments. docs/architecture.md ("Volumes in HDFS", Memory) quotes the figure this prints.
 */
public class PackIndexHeapTest {
    private static final int ENTRIES = 200_000;
    private static final int PER_PACK = 256; // 1 GiB packs of 4 MiB segments

    @Test
    public void anEntryCostsUnder256BytesOfHeap() throws Exception {
        String volume = UUID.randomUUID().toString();
        long before = usedAfterGc();
        PackIndex index = new PackIndex();
        for (int p = 0; p < ENTRIES / PER_PACK; p++) {
            Pack pack = new Pack(p, new Path("/volumes/" + volume + "/" + String.format("%016d.pack", p)));
            List<PackRecord> records = new ArrayList<>(PER_PACK);
            for (int i = 0; i < PER_PACK; i++) {
                String key = new String((volume + "/s/3/" + (p * PER_PACK + i)).toCharArray()); // its own copy, as read from a pack
                records.add(new PackRecord(PackRecord.Type.PUT, key, (long) i * (4 << 20), 4 << 20, i));
            }
            index.addPack(pack);
            index.synced(pack, records);
        }
        long bytes = usedAfterGc() - before;
        double perEntry = (double) bytes / index.liveKeys();
        System.out.printf("[pack-index] %d entries in %d packs: %.1f MiB of heap, %.0f bytes per entry, %.1f MiB per TiB of 4 MiB segments%n",
                index.liveKeys(), index.packCount(), bytes / 1048576.0, perEntry, perEntry * 262_144 / 1048576.0);
        assertEquals(ENTRIES / PER_PACK * PER_PACK, index.liveKeys());
        assertTrue(perEntry + " bytes per entry", perEntry < 256);
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime r = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, r.totalMemory() - r.freeMemory());
        }
        return used;
    }
}
