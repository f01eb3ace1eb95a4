package org.elastichadoop.iscsi.volume;

import io.netty.buffer.ByteBuf;

import java.io.Closeable;
import java.io.IOException;

/**
 * A block device the SCSI layer serves: fixed-size blocks addressed by LBA.
 *
 * <p>Calls may block (disk or network I/O) and may come from several threads at once; an
 * implementation must be safe for concurrent reads and writes of different ranges.
 * Overlapping concurrent writes may land in either order, as on a disk.
 */
public interface BlockVolume extends Closeable {

    /** Bytes per logical block (512 or 4096). */
    int blockSize();

    /** Number of logical blocks; the last LBA is {@code blockCount() - 1}. */
    long blockCount();

    /**
     * Appends {@code blocks * blockSize()} bytes read from {@code lba} onwards to {@code dst}
     * (advances its writer index). Unmapped or never-written blocks read as zeros.
     */
    void read(long lba, int blocks, ByteBuf dst) throws IOException;

    /**
     * Like {@link #read}, but only if it can be done now without waiting for a device (the data is
     * cached); otherwise returns false and leaves {@code dst} unchanged. Lets a caller serve cached
     * reads on its own thread and hand only the others to an I/O thread.
     */
    default boolean readIfCached(long lba, int blocks, ByteBuf dst) throws IOException {
        return false;
    }

    /**
     * Like {@link #read}, but without a thread waiting for the device: starts the read and returns a future that
     * completes with true once the bytes are in {@code dst}, or with false when this read has to go the blocking
     * way after all ({@code dst} then holds nothing of use: the caller resets it and calls {@link #read} on a
     * thread that may block). Null when the volume cannot start it this way now; {@code dst} is then unchanged.
     * The future may complete on a thread of the volume's store, which must not be blocked in what follows it.
     */
    default java.util.concurrent.CompletableFuture<Boolean> readAsync(long lba, int blocks, ByteBuf dst) throws IOException {
        return null;
    }

    /**
     * Where blocks {@code lba .. lba + blocks - 1} lie in a backing file, if the volume is one file
     * and the range is cached (so sending it from the file will not wait for a disk); else null.
     */
    default FileSpan cachedFileSpan(long lba, int blocks) throws IOException {
        return null;
    }

    /**
     * Writes all readable bytes of {@code src} (a whole number of blocks) at {@code lba}; does not
     * change {@code src}'s reader index. With {@code fua} the data is durable when this returns.
     */
    void write(long lba, ByteBuf src, boolean fua) throws IOException;

    /** Makes every completed write durable (SYNCHRONIZE CACHE). */
    void flush() throws IOException;

    /** Whether {@link #unmap} releases space (thin provisioning). */
    boolean supportsUnmap();

    /** Deallocates the range; the blocks read as zeros afterwards. A no-op if unsupported. */
    void unmap(long lba, long blocks) throws IOException;

    /**
     * Whether {@code lba} is mapped (holds data) and how many blocks from it share that state,
     * for GET LBA STATUS. A volume that cannot tell reports everything mapped.
     */
    default Extent extentAt(long lba) throws IOException {
        return new Extent(lba, blockCount() - lba, true);
    }

    /** A run of blocks in one provisioning state. */
    record Extent(long lba, long blocks, boolean mapped) {}

    /** A short description for logs and status output, e.g. the file path. */
    String describe();
}
