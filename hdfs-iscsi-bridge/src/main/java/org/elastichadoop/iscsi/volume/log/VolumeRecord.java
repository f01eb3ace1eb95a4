package org.elastichadoop.iscsi.volume.log;

import java.util.List;

/**
 * A log-structured volume's record in the catalog (ZooKeeper): what it is, who writes it, and
 * where its state starts. It only ever changes by compare-and-set.
 *
 * @param name        the volume's name (what the bridge config and the admin commands use)
 * @param id          a unique id chosen at creation; store keys start with it, so a volume deleted
 *                    and created again under the same name never sees the old entries
 * @param sizeBytes   capacity (a multiple of blockSize)
 * @param blockSize   512 or 4096
 * @param epoch       the current writer's epoch; 0 when no writer ever opened it
 * @param epochs      for each writer epoch since the checkpoint, the first segment sequence number
 *                    it wrote; a segment's sequence number says which epoch's key holds it
 * @param checkpoint  the newest durable checkpoint, or null before the first one
 * @param createdMillis when the volume was created
 * @param store       where its entries are kept: null for the zk-kv-store cluster registered in the catalog's
 *                    ZooKeeper (every volume recorded before stores were named), else a store's URI such as
 *                    {@code hdfs://namenode:8020/volumes}
 */
public record VolumeRecord(String name, String id, long sizeBytes, int blockSize, long epoch,
                           List<EpochStart> epochs, Checkpoint checkpoint, long createdMillis, String store) {

    public VolumeRecord {
        epochs = List.copyOf(epochs);
    }

    /** A volume on the zk-kv-store cluster. */
    public VolumeRecord(String name, String id, long sizeBytes, int blockSize, long epoch, List<EpochStart> epochs,
                        Checkpoint checkpoint, long createdMillis) {
        this(name, id, sizeBytes, blockSize, epoch, epochs, checkpoint, createdMillis, null);
    }

    /** The first segment sequence number written under {@code epoch}. */
    public record EpochStart(long epoch, long firstSeq) {}

    /**
     * A durable map checkpoint.
     *
     * @param key   the store key holding it (its first part)
     * @param seq   the last segment sequence number it covers; replay starts after it
     * @param parts how many store entries it spans (see {@code Checkpoint.partKey}); 0 in records
     *              written before checkpoints were split means 1
     */
    public record Checkpoint(String key, long seq, int parts) {
        public Checkpoint(String key, long seq) {
            this(key, seq, 1);
        }

        public int partCount() {
            return Math.max(1, parts);
        }
    }

    public VolumeRecord withEpoch(long newEpoch, List<EpochStart> newEpochs) {
        return new VolumeRecord(name, id, sizeBytes, blockSize, newEpoch, newEpochs, checkpoint, createdMillis, store);
    }

    public VolumeRecord withCheckpoint(Checkpoint newCheckpoint, List<EpochStart> newEpochs) {
        return new VolumeRecord(name, id, sizeBytes, blockSize, epoch, newEpochs, newCheckpoint, createdMillis, store);
    }

    public VolumeRecord withSize(long newSizeBytes) {
        return new VolumeRecord(name, id, newSizeBytes, blockSize, epoch, epochs, checkpoint, createdMillis, store);
    }
}
