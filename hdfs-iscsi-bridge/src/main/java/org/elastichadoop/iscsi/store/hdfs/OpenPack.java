package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.store.StoreException;

import java.io.IOException;
import java.util.List;

/**
 * The pack a group's writer appends to, owned by its writing thread. A new pack takes the number after every pack the
 * group knows of, created only if absent: finding that name taken means another writer claimed the group since, and
 * this one is {@linkplain #fenced() fenced} for good. A pack HDFS failed is abandoned as it stands (what was synced in
 * it stays readable); a pack that reached {@code packBytes} is finished with its index.
 */
final class OpenPack {
    private static final Logger LOG = LogManager.getLogger(OpenPack.class);

    private final FileSystem fs;
    private final Path dir;
    private final PackIndex index;
    private final HdfsStoreOptions options;
    private PackWriter writer;
    /** The last pack number this writer created (or may have: an attempt whose answer was lost): not to be used again. */
    private long abandonedNumber = -1;
    private volatile StoreException fenced;

    OpenPack(FileSystem fs, Path dir, PackIndex index, HdfsStoreOptions options) {
        this.fs = fs;
        this.dir = dir;
        this.index = index;
        this.options = options;
    }

    /** Creates the first pack of a claim; a name found taken fails the claim (the caller reads the group again). */
    void start() throws IOException {
        writer = create(index.nextNumber(), true);
    }

    /** Why this writer stopped for good (replaced, or an unexpected error); null while it may write. */
    StoreException fenced() {
        return fenced;
    }

    void fence(StoreException why) {
        fenced = why;
    }

    /** The pack being written, or null between a failure or roll and the next append. */
    Pack pack() {
        return writer == null ? null : writer.pack;
    }

    /** The writer to append to, with a new pack created if there is none open. */
    PackWriter writer() throws IOException {
        if (writer == null) writer = create(Math.max(index.nextNumber(), abandonedNumber + 1), false);
        return writer;
    }

    /**
     * Creates pack {@code number} if no file has its name. Once HDFS created the file the number is this writer's, even
     * if its first bytes then fail (HDFS out of space, a pipeline that cannot be built): the pack is kept as an empty
     * closed one, which compaction deletes, and the next attempt takes the next number. Taking it again would find the
     * name taken and read as another writer's claim.
     */
    private PackWriter create(long number, boolean claiming) throws IOException {
        Pack pack = new Pack(number, PackNames.path(dir, number));
        FSDataOutputStream out;
        try {
            out = fs.create(pack.path, false);
        } catch (IOException e) {
            if (PackNames.taken(e) && !claiming) { // a number after every pack this writer knows of: someone claimed the group since
                fenced = new StoreException(StoreException.Reason.REFUSED, dir + ": another writer took this group over ("
                        + pack.path.getName() + " exists); this writer stops. Its volume is served elsewhere now.", e);
                LOG.warn(fenced.getMessage());
            } else if (PackNames.recreatedByItsHolder(e)) {
                abandonedNumber = number;
            } else if (!claiming) {
                LOG.warn("{}: creating {} failed ({}); trying again", dir, pack.path.getName(), e.toString());
            }
            throw e;
        }
        abandonedNumber = number;
        index.addPack(pack);
        return PackWriter.start(pack, out, options.hsync());
    }

    /** Syncs the open pack, then makes {@code written} (appended to it since the last sync) the pack's and the index's. */
    void syncAndIndex(List<PackRecord> written) throws IOException {
        writer.sync();
        index.synced(writer.pack, written);
    }

    /** Finishes the pack once it reached {@code packBytes}. */
    void rollIfFull() throws IOException {
        if (writer != null && writer.length() >= options.packBytes()) finish();
    }

    /** Leaves the pack HDFS failed as it stands; the next append goes to a new one. */
    void abandon(IOException why) {
        PackWriter w = writer;
        writer = null;
        if (w == null) return;
        LOG.warn("{}: HDFS failed a write to {} ({}); what was synced in it stays, the rest is written again to a new pack",
                dir, w.pack.path.getName(), why.toString());
        w.abandon();
        LeaseRecovery.begin(fs, w.pack.path);
    }

    /** Appends the index and closes the pack (on a roll, and when the group closes). */
    void finish() {
        PackWriter w = writer;
        writer = null;
        if (w == null) return;
        try {
            w.finish();
        } catch (IOException e) {
            LOG.warn("{}: closing {} failed ({}); it stays readable record by record", dir, w.pack.path.getName(), e.toString());
            w.abandon();
        }
    }
}
