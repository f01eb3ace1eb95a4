package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The entries of one group (the keys that share a first path element: one volume's) in one HDFS directory of pack
 * files ({@link PackNames}).
 *
 * <p>One writer at a time: {@link #claim} recovers the lease of every pack left open ({@link LeaseRecovery}: an earlier
 * writer's next sync then fails), reads every pack's records into the {@link PackIndex}, and creates the next pack with
 * HDFS's create-if-absent. An earlier writer that then wants a new pack finds that name taken and stops for good
 * ({@link OpenPack}): HDFS itself refuses the second writer. Puts and deletes go through one writing thread
 * ({@link GroupCommit}), which also runs the {@link PackCompactor}; reads are {@link PackReads}.
 */
final class PackSet implements Closeable {
    private static final Logger LOG = LogManager.getLogger(PackSet.class);

    private final PackIndex index;
    private final PackReads reads;
    private final GroupCommit commit;
    private final Thread thread;
    private final int retrySeconds;

    private PackSet(FileSystem fs, Path dir, HdfsStoreOptions options, PackIndex index, OpenPack open) {
        this.index = index;
        this.reads = new PackReads(fs, index);
        this.commit = new GroupCommit(dir, index, open, reads,
                new PackCompactor(fs, index, open, reads, options.compactBelow()), options.retrySeconds());
        this.retrySeconds = options.retrySeconds();
        this.thread = new Thread(commit, "hdfs-packs-" + dir.getName());
        this.thread.setDaemon(true);
    }

    /** Takes over the group in {@code dir}: fences earlier writers, reads what they stored, opens a new pack. */
    static PackSet claim(FileSystem fs, Path dir, HdfsStoreOptions options) throws IOException {
        long deadline = System.currentTimeMillis() + options.retrySeconds() * 1000L;
        while (true) {
            PackIndex index = load(fs, dir, deadline);
            OpenPack open = new OpenPack(fs, dir, index, options);
            long mine = index.nextNumber();
            try {
                open.start();
                long newest = newestNumber(fs, dir);
                if (newest > mine) throw new FileAlreadyExistsException(PackNames.path(dir, newest).getName());
            } catch (IOException e) {
                index.packs().forEach(Pack::close);
                if (!PackNames.taken(e) || System.currentTimeMillis() > deadline) throw e;
                LOG.info("{}: another writer created pack {} while this one claimed the group; reading again", dir, e.getMessage());
                continue;
            }
            PackSet set = new PackSet(fs, dir, options, index, open);
            set.thread.start();
            LOG.info("{}: claimed ({} packs, {} keys, {} MiB live)", dir, index.packCount() - 1, index.liveKeys(),
                    index.liveBytes() >> 20);
            return set;
        }
    }

    /** Every pack's records, read after the packs left open were closed. */
    private static PackIndex load(FileSystem fs, Path dir, long deadline) throws IOException {
        fs.mkdirs(dir);
        FileStatus[] files = fs.listStatus(dir, p -> p.getName().endsWith(PackNames.SUFFIX));
        Arrays.sort(files, (a, b) -> Long.compare(PackNames.number(a.getPath()), PackNames.number(b.getPath())));
        Map<Path, Long> lengths = LeaseRecovery.closeLeftOpen(fs, dir, Arrays.stream(files).map(FileStatus::getPath).toList(), deadline);
        PackIndex index = new PackIndex();
        for (FileStatus f : files) {
            long n = PackNames.number(f.getPath());
            if (n < 0) {
                LOG.warn("{}: {} is not named as a pack (ignored)", dir, f.getPath().getName());
                continue;
            }
            Pack pack = new Pack(n, f.getPath());
            try {
                index.synced(pack, PackReader.records(fs, f.getPath(), lengths.getOrDefault(f.getPath(), f.getLen())));
            } catch (FileNotFoundException e) { // compacted meanwhile: what was live in it is in a newer pack
                LOG.debug("{}: {} is gone (compacted by the writer being replaced)", dir, f.getPath().getName());
                continue;
            }
            index.addPack(pack);
        }
        return index;
    }

    /**
     * The highest pack number in {@code dir}. Checked once this writer has created its pack: a writer being replaced
     * may have created packs after this one listed the directory (and compacted older ones away); the claim then
     * reads the group again. Later packs of that writer would take this one's number, which is taken.
     */
    private static long newestNumber(FileSystem fs, Path dir) throws IOException {
        long newest = -1;
        for (FileStatus f : fs.listStatus(dir, p -> p.getName().endsWith(PackNames.SUFFIX))) {
            newest = Math.max(newest, PackNames.number(f.getPath()));
        }
        return newest;
    }

    CompletableFuture<Void> put(String key, byte[] value, int length) {
        return commit.put(key, value, length);
    }

    CompletableFuture<Void> delete(String key) {
        return commit.delete(key);
    }

    /** The value stored under {@code key}, checked against its CRC32C; null if none. Blocks: call it off the event loops. */
    byte[] get(String key) throws IOException {
        return reads.get(key);
    }

    /** Bytes {@code [offset, offset + length)} of the value, cut at its end (see ImmutableStore); null if none. Not checked. */
    byte[] getRange(String key, long offset, int length) throws IOException {
        return reads.getRange(key, offset, length);
    }

    /** For status and tests: packs, live keys, live and recorded bytes. */
    long[] figures() {
        return index.figures();
    }

    /** Writes what is queued, closes the open pack with its index, and closes the read streams. */
    @Override
    public void close() {
        commit.stop();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(retrySeconds + 10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        index.packs().forEach(Pack::close);
    }
}
