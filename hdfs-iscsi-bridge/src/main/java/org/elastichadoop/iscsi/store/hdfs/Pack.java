package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LeaseRecoverable;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.client.HdfsDataInputStream;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One pack file as its group knows it: its records in order, the bytes of them that still hold a live value, and a
 * stream for positional reads. The open pack (the one its writer appends to) grows while it is read: a read past
 * what its stream saw opens a new stream (the old ones are closed with the pack).
 */
final class Pack implements Closeable {
    final long number;
    final Path path;
    final List<PackRecord> records = new ArrayList<>();
    /** Bytes of records (headers and values). */
    long recordBytes;
    /** Bytes of records that are the copy a live key is read from. */
    long liveBytes;
    /** True while a writer of this store appends to it. */
    volatile boolean open;
    /** True once its file is deleted; reads then fail and are retried elsewhere. */
    volatile boolean gone;

    /** How long a read waits for HDFS to close a pack left open (block recovery waits for a DataNode heartbeat). */
    private static final long CLOSE_MILLIS = 60_000;

    private FSDataInputStream in;
    private long readable;
    private final List<FSDataInputStream> retired = new ArrayList<>();

    Pack(long number, Path path) {
        this.number = number;
        this.path = path;
    }

    void add(PackRecord r) {
        records.add(r);
        recordBytes += r.length();
    }

    /** Live bytes over record bytes; a pack with none reads as 0. */
    double liveShare() {
        return recordBytes == 0 ? 0 : (double) liveBytes / recordBytes;
    }

    void read(FileSystem fs, long position, byte[] into, int offset, int length) throws IOException {
        if (gone) throw new java.io.FileNotFoundException(path + " was deleted");
        try {
            stream(fs, position + length).readFully(position, into, offset, length);
        } catch (IOException e) {
            if (gone || open || !closedJustNow(fs)) throw e;
            stream(fs, position + length).readFully(position, into, offset, length);
        }
    }

    /**
     * Whether this pack was still open though no writer appends to it (its writer gave up after a failed write and
     * HDFS has not closed it yet: its last block's length can be unknown) and is closed now, by lease recovery.
     */
    private synchronized boolean closedJustNow(FileSystem fs) throws IOException {
        if (!(fs instanceof LeaseRecoverable leases) || leases.isFileClosed(path)) return false;
        LeaseRecovery.closeLeftOpen(fs, path.getParent(), List.of(path), System.currentTimeMillis() + CLOSE_MILLIS);
        if (in != null) retired.add(in);
        in = null;
        return true;
    }

    private synchronized FSDataInputStream stream(FileSystem fs, long end) throws IOException {
        if (in == null || end > readable) {
            FSDataInputStream fresh = fs.open(path);
            if (in != null) retired.add(in);
            in = fresh;
            readable = fs.getFileStatus(path).getLen();
            readable = Math.max(readable, visibleLength(fresh));
        }
        return in;
    }

    /** What a stream over a file still being written can read (HDFS asks the DataNodes; the NameNode's figure lags). */
    private static long visibleLength(FSDataInputStream s) {
        return s instanceof HdfsDataInputStream h ? h.getVisibleLength() : 0;
    }

    @Override
    public synchronized void close() {
        if (in != null) retired.add(in);
        in = null;
        for (FSDataInputStream s : retired) {
            try {
                s.close();
            } catch (IOException ignored) {
                // a read stream: nothing to lose
            }
        }
        retired.clear();
    }

    @Override
    public String toString() {
        return path.getName();
    }
}
