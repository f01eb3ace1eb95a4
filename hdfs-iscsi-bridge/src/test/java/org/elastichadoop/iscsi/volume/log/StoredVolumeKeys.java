package org.elastichadoop.iscsi.volume.log;

import org.elastichadoop.iscsi.store.ImmutableStore;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * For tests outside this package: which store keys a volume still needs, worked out from what is stored (the catalog
 * record, the checkpoint it names, the map pages and the segments replayed after it), with the volume's own codecs,
 * not from a writer's in-memory bookkeeping.
 */
public final class StoredVolumeKeys {
    private StoredVolumeKeys() {}

    /** Every key of the volume's store entries starts with this. */
    public static String prefix(VolumeRecord record) {
        return record.id() + "/";
    }

    /**
     * The keys a bridge opening the volume now would read or keep: its checkpoint (all its parts), the map's pages,
     * every segment the map points into (found by reading the pages, newest record winning) or still counts live
     * blocks of, and the segments after the checkpoint that recovery replays.
     */
    public static Set<String> referenced(ImmutableStore store, VolumeRecord record) throws Exception {
        Set<String> keys = new TreeSet<>();
        long seq = 0;
        if (record.checkpoint() != null) {
            String key = record.checkpoint().key();
            byte[] bytes = Checkpoint.load(store, record.checkpoint()).get(60, TimeUnit.SECONDS);
            if (bytes == null) throw new IOException("checkpoint " + key + " named by the catalog is not (wholly) in the store");
            for (int part = 0; part < record.checkpoint().partCount(); part++) keys.add(Checkpoint.partKey(key, part));
            Checkpoint.Decoded c = Checkpoint.decode(bytes, key);
            Set<Long> segments = new TreeSet<>();
            if (c.map() != null) {
                for (long page : c.map().pageIds()) keys.add(VolumeKeys.mapPage(record.id(), page));
                segments.addAll(c.map().segments());
                segments.addAll(c.map().segmentsPointedTo(new StorePages(store, record.id()), record.blockSize()));
            }
            c.extents().forEach(e -> segments.add(e.seq()));
            for (long s : segments) keys.add(VolumeKeys.segment(record, s));
            seq = c.seq() + 1;
        }
        while (true) {
            String key = VolumeKeys.segment(record, seq);
            if (key == null || store.get(key).get(60, TimeUnit.SECONDS) == null) break;
            keys.add(key);
            seq++;
        }
        return keys;
    }
}
