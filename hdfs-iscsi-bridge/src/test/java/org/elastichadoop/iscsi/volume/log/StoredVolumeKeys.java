package org.elastichadoop.iscsi.volume.log;

import org.elastichadoop.iscsi.store.ImmutableStore;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * For tests outside this package: which store keys a volume still needs, worked out from what is
 * stored (the catalog record, the checkpoint it names, the segments replayed after it), with the
 * volume's own codecs, not from a writer's in-memory bookkeeping.
 */
public final class StoredVolumeKeys {
    private StoredVolumeKeys() {}

    /** Every key of the volume's store entries starts with this. */
    public static String prefix(VolumeRecord record) {
        return record.id() + "/";
    }

    /**
     * The keys a bridge opening the volume now would read: its checkpoint (all its parts), every segment an extent
     * of that checkpoint points into, and the segments after the checkpoint that recovery replays.
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
            for (MappedRun run : c.extents()) {
                keys.add(LogVolume.segmentKey(record.id(), LogVolume.epochOf(record.epochs(), run.seq()), run.seq()));
            }
            seq = c.seq() + 1;
        }
        while (true) {
            long epoch = LogVolume.epochOf(record.epochs(), seq);
            if (epoch < 0) break;
            String key = LogVolume.segmentKey(record.id(), epoch, seq);
            if (store.get(key).get(60, TimeUnit.SECONDS) == null) break;
            keys.add(key);
            seq++;
        }
        return keys;
    }
}
