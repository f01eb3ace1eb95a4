package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes a tail segment with O_DIRECT. An append only copies its record into the {@link StagingBuffer};
 * {@link #flush} writes everything staged in one aligned write, the last partial block padded with zeros. The
 * sync thread flushes right before each fsync, and an append flushes when the staging buffer is full, so small
 * records reach the disk in batches and large ones in large writes.
 *
 * <p>Each flush rewrites the partial block the previous one wrote, so flushes are serialized: two racing ones
 * could leave the older version of that block on disk. After a failed write the file's content is unknown and
 * the writer refuses every later append and flush; records staged before it can still be read.
 */
final class DirectTailWriter {
    private final String segmentName;
    private final SharedChannel channel;
    private final StagingBuffer staging;
    private final DirectIo directIo;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile IOException failure;
    /** Guarded by writeLock. */
    private boolean finished;

    DirectTailWriter(String segmentName, SharedChannel channel, StagingBuffer staging, DirectIo directIo) {
        this.segmentName = segmentName;
        this.channel = channel;
        this.staging = staging;
        this.directIo = directIo;
    }

    /** Stages the record at the end of the segment; only the appender calls this, under its lock. */
    void append(ByteBuffer record) throws IOException {
        checkHealthy();
        ByteBuffer rest = record.duplicate();
        staging.stage(rest);
        while (rest.hasRemaining()) {
            flush();
            staging.stage(rest);
        }
    }

    /** Writes everything staged so far (it is not durable until the file is forced). */
    void flush() throws IOException {
        writeLock.lock();
        try {
            checkHealthy();
            if (finished) {
                return;
            }
            StagingBuffer.Batch batch = staging.takeBatch();
            if (batch == null) {
                return;
            }
            try {
                channel.run(ch -> {
                    ByteBuffer src = batch.buffer().duplicate().position(0).limit(batch.paddedBytes());
                    long at = batch.fileOffset();
                    while (src.hasRemaining()) {
                        at += ch.write(src, at);
                    }
                    return null;
                });
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e);
                throw new StoreException("segment " + segmentName + ": O_DIRECT write of " + batch.paddedBytes()
                        + " bytes at offset " + batch.fileOffset() + " failed", e);
            }
            staging.written(batch);
        } finally {
            writeLock.unlock();
        }
    }

    /** See {@link StagingBuffer#copyStaged}. */
    int copyStaged(ByteBuffer dst, long position) throws IOException {
        return staging.copyStaged(dst, position);
    }

    boolean failed() {
        return failure != null;
    }

    /**
     * Writes out what is staged and closes the O_DIRECT channel. The staging buffers go back to the pool, unless
     * a write failed: then they keep serving reads of what never reached the file.
     */
    void finish() throws IOException {
        writeLock.lock();
        try {
            if (finished) {
                return;
            }
            try {
                if (failure == null) {
                    flush();
                }
            } finally {
                finished = true;
                try {
                    if (failure == null) {
                        directIo.recycle(staging.release());
                    }
                } finally {
                    channel.close();
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void checkHealthy() throws StoreException {
        IOException failed = failure;
        if (failed != null) {
            throw new StoreException("segment " + segmentName + " refuses writes after a failed O_DIRECT write",
                    failed);
        }
    }
}
