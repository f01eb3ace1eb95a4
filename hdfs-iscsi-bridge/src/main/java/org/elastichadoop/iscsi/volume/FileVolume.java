package org.elastichadoop.iscsi.volume;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A volume backed by a local file, read and written with positional (thread-safe) FileChannel
 * calls. On Linux file systems that can punch holes the volume is thin: UNMAP deallocates with
 * {@code fallocate(PUNCH_HOLE)} and GET LBA STATUS finds holes with {@code lseek(SEEK_HOLE)}.
 * Elsewhere (or when the file system answers EOPNOTSUPP) it is thick: {@link #supportsUnmap()} is
 * false and {@link #unmap} writes zeros.
 */
public final class FileVolume implements BlockVolume {

    private static final Logger LOG = LogManager.getLogger(FileVolume.class);
    private static final int ZERO_CHUNK = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final int blockSize;
    private final long blockCount;
    /** libc descriptor for fallocate/lseek, or -1 when the file system cannot punch holes. */
    private final int fd;

    private FileVolume(Path path, FileChannel channel, int blockSize, long blockCount, int fd) {
        this.path = path;
        this.channel = channel;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.fd = fd;
    }

    /**
     * Opens {@code path}, creating it sparse with {@code sizeBytes} if missing. An existing file
     * must have exactly that size; the size must be a whole number of blocks.
     */
    public static FileVolume open(Path path, long sizeBytes, int blockSize) throws IOException {
        if (blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException("block size must be 512 or 4096, not " + blockSize);
        }
        if (sizeBytes <= 0 || sizeBytes % blockSize != 0) {
            throw new IllegalArgumentException("volume size " + sizeBytes
                    + " is not a positive multiple of the block size " + blockSize);
        }
        boolean existed = Files.exists(path);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long actual = channel.size();
            if (!existed || actual == 0) {
                // Writing the last byte would allocate a block; truncate-to-size keeps it sparse.
                try (var raf = new java.io.RandomAccessFile(path.toFile(), "rw")) {
                    raf.setLength(sizeBytes);
                }
            } else if (actual != sizeBytes) {
                throw new IOException(path + " holds " + actual + " bytes but the volume is configured with "
                        + sizeBytes + " bytes (" + sizeBytes / blockSize + " blocks of " + blockSize
                        + "); refusing to open it with a different size");
            }
            int fd = openHolePuncher(path, sizeBytes);
            return new FileVolume(path, channel, blockSize, sizeBytes / blockSize, fd);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A libc descriptor if the file system supports punching holes, else -1. */
    private static int openHolePuncher(Path path, long size) {
        if (!LibC.available()) {
            LOG.info("{}: no libc access, volume is thick", path);
            return -1;
        }
        int fd;
        try {
            fd = LibC.open(path.toString(), LibC.O_RDWR | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            LOG.warn("{}: open for hole punching failed (errno {}), volume is thick", path, e.getErrorCode());
            return -1;
        }
        try {
            // Probe past the end of the file: with KEEP_SIZE this touches no data.
            LibC.fallocate(fd, LibC.FALLOC_FL_PUNCH_HOLE | LibC.FALLOC_FL_KEEP_SIZE, size, 4096);
            return fd;
        } catch (LastErrorException e) {
            LOG.info("{}: file system cannot punch holes (errno {}), volume is thick", path, e.getErrorCode());
            closeQuietly(fd);
            return -1;
        }
    }

    @Override public int blockSize() { return blockSize; }
    @Override public long blockCount() { return blockCount; }
    @Override public boolean supportsUnmap() { return fd >= 0; }
    @Override public String describe() { return "file:" + path; }

    public Path path() {
        return path;
    }

    @Override
    public void read(long lba, int blocks, ByteBuf dst) throws IOException {
        checkRange(lba, blocks);
        long pos = lba * blockSize;
        int remaining = blocks * blockSize;
        dst.ensureWritable(remaining);
        while (remaining > 0) {
            int n = dst.writeBytes(channel, pos, remaining);
            if (n < 0) {
                throw new EOFException(path + ": end of file at " + pos);
            }
            pos += n;
            remaining -= n;
        }
    }

    /**
     * preadv2(RWF_NOWAIT) straight into the buffer's memory: succeeds only when every byte is in the
     * page cache (EAGAIN otherwise), so the caller's thread never waits on the disk.
     */
    @Override
    public boolean readIfCached(long lba, int blocks, ByteBuf dst) throws IOException {
        if (fd < 0 || !nowaitReads) return false;
        checkRange(lba, blocks);
        int length = blocks * blockSize;
        dst.ensureWritable(length);
        if (!dst.hasMemoryAddress()) return false;
        Memory iov = IOVEC.get();
        iov.setLong(0, dst.memoryAddress() + dst.writerIndex());
        iov.setLong(8, length);
        long n;
        try {
            n = LibC.preadv2(fd, iov, 1, lba * blockSize, LibC.RWF_NOWAIT);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EAGAIN) return false;
            if (e.getErrorCode() == LibC.EOPNOTSUPP || e.getErrorCode() == LibC.ENOSYS || e.getErrorCode() == LibC.EINVAL) {
                LOG.info("{}: reads that must not block are not supported here (errno {}); all reads use the I/O threads",
                        path, e.getErrorCode());
                nowaitReads = false;
                return false;
            }
            throw new IOException(path + ": read at " + lba * blockSize + " failed, errno " + e.getErrorCode());
        }
        if (n != length) return false; // partly cached: read it all on an I/O thread
        dst.writerIndex(dst.writerIndex() + length);
        return true;
    }

    /**
     * The file range, when a probe of one block every 256 KiB (and the last one) finds it in the
     * page cache: cheap next to copying the range, and sendfile then seldom waits on the disk.
     */
    @Override
    public FileSpan cachedFileSpan(long lba, int blocks) throws IOException {
        if (fd < 0 || !nowaitReads) return null;
        checkRange(lba, blocks);
        Memory probe = PROBE.get();
        int step = Math.max(1, (256 * 1024) / blockSize);
        for (long at = lba; ; at = Math.min(at + step, lba + blocks - 1)) {
            if (!probeCached(probe, at)) return null;
            if (at == lba + blocks - 1) break;
        }
        return new FileSpan(channel, lba * blockSize, (long) blocks * blockSize);
    }

    private boolean probeCached(Memory probe, long lba) throws IOException {
        Memory iov = IOVEC.get();
        iov.setLong(0, Pointer.nativeValue(probe));
        iov.setLong(8, 512);
        try {
            return LibC.preadv2(fd, iov, 1, lba * blockSize, LibC.RWF_NOWAIT) == 512;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EAGAIN) return false;
            nowaitReads = false;
            return false;
        }
    }

    private static final ThreadLocal<Memory> PROBE = ThreadLocal.withInitial(() -> new Memory(512));
    private static final ThreadLocal<Memory> IOVEC = ThreadLocal.withInitial(() -> new Memory(16));
    private volatile boolean nowaitReads = true;

    @Override
    public void write(long lba, ByteBuf src, boolean fua) throws IOException {
        int length = src.readableBytes();
        if (length % blockSize != 0) {
            throw new IllegalArgumentException("not a whole number of blocks: " + length);
        }
        checkRange(lba, length / blockSize);
        long pos = lba * blockSize;
        for (ByteBuffer b : src.nioBuffers(src.readerIndex(), length)) {
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
        }
        if (fua) {
            channel.force(false);
        }
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public void unmap(long lba, long blocks) throws IOException {
        checkRange(lba, blocks);
        if (blocks == 0) {
            return;
        }
        if (fd < 0) {
            // thick volume: keep the "reads as zeros afterwards" contract the slow way
            writeZeros(lba, blocks);
            return;
        }
        try {
            LibC.fallocate(fd, LibC.FALLOC_FL_PUNCH_HOLE | LibC.FALLOC_FL_KEEP_SIZE, lba * blockSize,
                    blocks * blockSize);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.EOPNOTSUPP) {
                throw new IOException(path + ": fallocate(PUNCH_HOLE) failed, errno " + e.getErrorCode(), e);
            }
            // Support probed at open but lost (e.g. remount): keep the contract, blocks read as zeros.
            writeZeros(lba, blocks);
        }
    }

    private void writeZeros(long lba, long blocks) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZERO_CHUNK, blocks * blockSize));
        long pos = lba * blockSize;
        long end = pos + blocks * blockSize;
        while (pos < end) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), end - pos));
            while (zeros.hasRemaining()) {
                pos += channel.write(zeros, pos);
            }
        }
    }

    @Override
    public Extent extentAt(long lba) throws IOException {
        checkRange(lba, 1);
        if (fd < 0) {
            return new Extent(lba, blockCount - lba, true);
        }
        long size = blockCount * blockSize;
        long pos = lba * blockSize;
        try {
            long data = seek(pos, LibC.SEEK_DATA);
            if (data < 0 || data >= pos + blockSize) {
                // pos is in a hole that ends at the next data (or the end of the file)
                long holeEnd = data < 0 ? size : data;
                long endLba = Math.max(lba + 1, holeEnd / blockSize);
                return new Extent(lba, Math.min(endLba, blockCount) - lba, false);
            }
            long hole = seek(pos, LibC.SEEK_HOLE);
            long holeLba = hole < 0 ? blockCount : (hole + blockSize - 1) / blockSize;
            long endLba = Math.min(Math.max(lba + 1, holeLba), blockCount);
            return new Extent(lba, endLba - lba, true);
        } catch (LastErrorException e) {
            throw new IOException(path + ": lseek failed, errno " + e.getErrorCode(), e);
        }
    }

    /** lseek returning -1 for ENXIO (no more data past the offset). */
    private long seek(long pos, int whence) {
        try {
            return LibC.lseek(fd, pos, whence);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.ENXIO) {
                return -1;
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (fd >= 0) {
                closeQuietly(fd);
            }
        }
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException ignored) {
            // nothing useful to do
        }
    }

    private void checkRange(long lba, long blocks) {
        if (lba < 0 || blocks < 0 || lba + blocks > blockCount) {
            throw new IllegalArgumentException("range " + lba + "+" + blocks + " outside 0.." + blockCount);
        }
    }
}
