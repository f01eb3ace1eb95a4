package org.elastichadoop.iscsi.store.hdfs;

/**
 * How the HDFS store packs entries.
 *
 * @param packBytes     a pack is closed (its index written) once it holds this many bytes; 1 GiB keeps a TiB of
 *                      entries in about a thousand files
 * @param compactBelow  a closed pack whose live share falls under this is rewritten (its live entries copied to the
 *                      open pack) and deleted; 0.6 keeps each closed pack at least 60% live, so a TiB of entries takes
 *                      at most ~1,700 files
 * @param hsync         true: a put is acknowledged once on the DataNodes' disks ({@code hsync}); false: in their memory
 *                      ({@code hflush}, what HBase's WAL uses)
 * @param retrySeconds  how long a put keeps retrying when HDFS fails it (a DataNode lost, the NameNode restarting)
 *                      before it fails as unavailable
 */
public record HdfsStoreOptions(long packBytes, double compactBelow, boolean hsync, int retrySeconds) {

    public static HdfsStoreOptions defaults() {
        return new HdfsStoreOptions(1L << 30, 0.6, true, 120);
    }

    public HdfsStoreOptions withPackBytes(long bytes) {
        return new HdfsStoreOptions(bytes, compactBelow, hsync, retrySeconds);
    }

    public HdfsStoreOptions withCompactBelow(double share) {
        return new HdfsStoreOptions(packBytes, share, hsync, retrySeconds);
    }

    public HdfsStoreOptions withHsync(boolean sync) {
        return new HdfsStoreOptions(packBytes, compactBelow, sync, retrySeconds);
    }

    public HdfsStoreOptions withRetrySeconds(int seconds) {
        return new HdfsStoreOptions(packBytes, compactBelow, hsync, seconds);
    }
}
