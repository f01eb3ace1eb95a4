package org.elastichadoop.iscsi.bridge.standby;

import io.netty.buffer.ByteBuf;
import org.elastichadoop.iscsi.volume.BlockVolume;

import java.io.IOException;

/**
 * What a bridge knows of a log volume it does not serve: its name and geometry (from the catalog
 * record, then from the last time it served it). Lets the not-ready unit answer INQUIRY, MODE SENSE
 * and READ CAPACITY like the serving one; any I/O fails.
 */
final class StandbyVolume implements BlockVolume {
    private final String name;
    private volatile int blockSize;
    private volatile long blockCount;

    StandbyVolume(String name, int blockSize, long blockCount) {
        this.name = name;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
    }

    void resize(int newBlockSize, long newBlockCount) {
        blockSize = newBlockSize;
        blockCount = newBlockCount;
    }

    @Override public int blockSize() { return blockSize; }
    @Override public long blockCount() { return blockCount; }
    @Override public boolean supportsUnmap() { return true; }
    @Override public String describe() { return "log volume '" + name + "' (not served by this bridge)"; }

    @Override
    public void read(long lba, int blocks, ByteBuf dst) throws IOException {
        throw notServed();
    }

    @Override
    public void write(long lba, ByteBuf src, boolean fua) throws IOException {
        throw notServed();
    }

    @Override
    public void flush() throws IOException {
        throw notServed();
    }

    @Override
    public void unmap(long lba, long blocks) throws IOException {
        throw notServed();
    }

    private IOException notServed() {
        return new IOException("volume '" + name + "' is not served by this bridge (standby)");
    }

    @Override
    public void close() {
    }
}
