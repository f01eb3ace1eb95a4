package org.elastichadoop.iscsi.volume;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A sparse in-memory volume for tests: data lives in 64 KiB chunks allocated on first write, so a
 * large volume costs nothing until it is written. Unmapping a whole chunk frees it.
 */
public final class MemoryVolume implements BlockVolume {

    static final int CHUNK = 64 * 1024;

    private final int blockSize;
    private final long blockCount;
    private final boolean thin;
    private final ConcurrentHashMap<Long, byte[]> chunks = new ConcurrentHashMap<>();

    public MemoryVolume(long blockCount, int blockSize) {
        this(blockCount, blockSize, true);
    }

    /** @param thin whether {@link #unmap} is supported (else the volume looks fully provisioned) */
    public MemoryVolume(long blockCount, int blockSize, boolean thin) {
        if (blockSize <= 0 || CHUNK % blockSize != 0) {
            throw new IllegalArgumentException("block size must divide " + CHUNK + ": " + blockSize);
        }
        if (blockCount <= 0) {
            throw new IllegalArgumentException("block count must be positive: " + blockCount);
        }
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.thin = thin;
    }

    @Override public int blockSize() { return blockSize; }
    @Override public long blockCount() { return blockCount; }
    @Override public boolean supportsUnmap() { return thin; }
    @Override public String describe() { return "memory:" + blockCount + "x" + blockSize; }

    /** Chunks currently allocated, for tests. */
    public int allocatedChunks() {
        return chunks.size();
    }

    @Override
    public void read(long lba, int blocks, ByteBuf dst) {
        checkRange(lba, blocks);
        long pos = lba * blockSize;
        long remaining = (long) blocks * blockSize;
        while (remaining > 0) {
            long index = pos / CHUNK;
            int off = (int) (pos % CHUNK);
            int n = (int) Math.min(remaining, CHUNK - off);
            byte[] chunk = chunks.get(index);
            if (chunk == null) {
                dst.writeZero(n);
            } else {
                synchronized (chunk) {
                    dst.writeBytes(chunk, off, n);
                }
            }
            pos += n;
            remaining -= n;
        }
    }

    @Override
    public void write(long lba, ByteBuf src, boolean fua) {
        int length = src.readableBytes();
        if (length % blockSize != 0) {
            throw new IllegalArgumentException("not a whole number of blocks: " + length);
        }
        checkRange(lba, length / blockSize);
        long pos = lba * blockSize;
        int srcIndex = src.readerIndex();
        int remaining = length;
        while (remaining > 0) {
            long index = pos / CHUNK;
            int off = (int) (pos % CHUNK);
            int n = Math.min(remaining, CHUNK - off);
            byte[] chunk = chunks.computeIfAbsent(index, k -> new byte[CHUNK]);
            synchronized (chunk) {
                src.getBytes(srcIndex, chunk, off, n);
            }
            pos += n;
            srcIndex += n;
            remaining -= n;
        }
    }

    @Override
    public void flush() {}

    @Override
    public void unmap(long lba, long blocks) {
        checkRange(lba, blocks);
        if (!thin) {
            return;
        }
        long pos = lba * blockSize;
        long end = pos + blocks * blockSize;
        while (pos < end) {
            long index = pos / CHUNK;
            int off = (int) (pos % CHUNK);
            int n = (int) Math.min(end - pos, CHUNK - off);
            if (n == CHUNK) {
                chunks.remove(index);
            } else {
                byte[] chunk = chunks.get(index);
                if (chunk != null) {
                    synchronized (chunk) {
                        java.util.Arrays.fill(chunk, off, off + n, (byte) 0);
                    }
                }
            }
            pos += n;
        }
    }

    @Override
    public Extent extentAt(long lba) {
        checkRange(lba, 1);
        int blocksPerChunk = CHUNK / blockSize;
        long index = lba / blocksPerChunk;
        boolean mapped = !thin || chunks.containsKey(index);
        if (!thin) {
            return new Extent(lba, blockCount - lba, true);
        }
        long lastChunk = (blockCount - 1) / blocksPerChunk;
        long next = index + 1;
        while (next <= lastChunk && chunks.containsKey(next) == mapped) {
            next++;
        }
        long end = Math.min(blockCount, next * blocksPerChunk);
        return new Extent(lba, end - lba, mapped);
    }

    @Override
    public void close() {
        chunks.clear();
    }

    private void checkRange(long lba, long blocks) {
        if (lba < 0 || blocks < 0 || lba + blocks > blockCount) {
            throw new IllegalArgumentException("range " + lba + "+" + blocks + " outside 0.." + blockCount);
        }
    }
}
