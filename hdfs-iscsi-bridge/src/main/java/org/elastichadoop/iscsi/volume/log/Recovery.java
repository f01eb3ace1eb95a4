package org.elastichadoop.iscsi.volume.log;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.store.StoreException;
import org.elastichadoop.iscsi.volume.log.map.LbaMap;
import org.elastichadoop.iscsi.volume.log.map.MappedRun;
import org.elastichadoop.kv.concurrent.Futures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Takes a volume over and rebuilds the writer's state: take a new epoch (from here on the previous writer cannot
 * complete a durability request), load the checkpoint (the map's run index and segment counts, not the map itself),
 * replay the segments after it up to the first missing one into the memtable, record where the new epoch starts.
 * The time it takes depends on the segments written since the last checkpoint, not on the size of the map.
 */
final class Recovery {
    private static final Logger LOG = LogManager.getLogger(Recovery.class);

    /** What recovery found, for the new writer. */
    record Recovered(VolumeRecord record, long epoch, LbaMap map, long nextSeq, Set<Long> garbage, Checkpoint.Decoded checkpoint) {}

    private Recovery() {
    }

    static Recovered recover(ImmutableStore store, VolumeCatalog catalog, String name, LogVolumeOptions options) throws IOException {
        VolumeCatalog.Versioned current = catalog.read(name)
                .orElseThrow(() -> new IOException("no volume named '" + name + "'; create it with 'iscsi-bridge volume create'"));
        VolumeRecord record = current.record();
        long epoch = record.epoch() + 1;
        // 1. fence
        VolumeCatalog.Versioned fenced = catalog.compareAndSet(name, current.version(), record.withEpoch(epoch, record.epochs()))
                .orElseThrow(() -> new FencedException("volume '" + name + "' changed while opening it: another bridge is taking it over"));
        record = fenced.record();
        try {
            store.claim(record.id()); // a store with writers of its own (HDFS) fences the earlier writer's there too
        } catch (StoreException e) {
            throw new IOException("volume '" + name + "': the store would not hand its entries to this writer: " + e.getMessage(), e);
        }
        // 2. load the checkpoint
        StorePages pages = new StorePages(store, record.id());
        Checkpoint.Decoded checkpoint = null;
        LbaMap map;
        Set<Long> garbage = new HashSet<>();
        long seq = 0;
        if (record.checkpoint() != null) {
            byte[] bytes = Futures.await(Checkpoint.load(store, record.checkpoint()), SegmentWriter.STORE_TIMEOUT_SECONDS,
                    "checkpoint " + record.checkpoint().key());
            if (bytes == null) throw new IOException("checkpoint " + record.checkpoint().key() + " of volume '" + name + "' is missing from the store");
            checkpoint = Checkpoint.decode(bytes, record.checkpoint().key());
            if (checkpoint.map() != null) {
                map = LbaMap.restore(record.blockSize(), pages, options.mapCacheBytes(), epoch, checkpoint.map());
            } else {
                map = LbaMap.empty(record.blockSize(), pages, options.mapCacheBytes(), epoch);
                for (MappedRun e : checkpoint.extents()) map.put(e.lba(), e.blocks(), e.seq(), e.offset());
            }
            garbage.addAll(checkpoint.garbage());
            map.pageGarbage(checkpoint.pageGarbage());
            seq = checkpoint.seq() + 1;
        } else {
            map = LbaMap.empty(record.blockSize(), pages, options.mapCacheBytes(), epoch);
        }
        // 3. replay what follows it
        int replayed = 0;
        while (true) {
            String key = VolumeKeys.segment(record, seq);
            if (key == null) break;
            byte[] bytes = Futures.await(store.get(key), SegmentWriter.STORE_TIMEOUT_SECONDS, "segment " + seq);
            if (bytes == null) break;
            apply(map, Segment.decode(bytes, record.id(), seq));
            seq++;
            replayed++;
        }
        garbage.addAll(map.drainDied()); // dead as of the replayed log; deleted after the next checkpoint
        for (long r = seq - replayed; r < seq; r++) if (map.liveBlocks(r) == 0) garbage.add(r); // replayed, nothing live
        // 4. the new epoch starts at the first missing segment; later ones of the old epoch are ignored
        List<VolumeRecord.EpochStart> epochs = new ArrayList<>(record.epochs());
        epochs.add(new VolumeRecord.EpochStart(epoch, seq));
        VolumeCatalog.Versioned started = catalog.compareAndSet(name, fenced.version(), record.withEpoch(epoch, epochs))
                .orElseThrow(() -> new FencedException("volume '" + name + "' was taken over by another bridge while this one recovered it"));
        LOG.info("Volume '{}' opened as writer epoch {}: checkpoint {}, {} segment(s) replayed, {} map record(s) in {} run(s), next segment {}",
                name, epoch, record.checkpoint() == null ? "none" : record.checkpoint().key(), replayed, map.records(), map.runCount(), seq);
        return new Recovered(started.record(), epoch, map, seq, garbage, checkpoint);
    }

    private static void apply(LbaMap map, Segment s) {
        for (Segment.Entry e : s.entries) {
            if (e.kind() == Segment.Kind.DATA) map.put(e.lba(), e.blocks(), s.seq, e.dataOffset());
            else map.remove(e.lba(), e.blocks());
        }
    }
}
