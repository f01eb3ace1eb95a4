package org.elastichadoop.iscsi.bridge.standby;

import io.netty.buffer.ByteBuf;
import org.elastichadoop.iscsi.volume.BlockVolume;
import org.elastichadoop.iscsi.volume.FileSpan;
import org.elastichadoop.iscsi.volume.log.FencedException;
import org.elastichadoop.iscsi.volume.log.LogVolume;

import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * The served log volume, passing every call through, that reports a {@link FencedException}
 * (another writer took the volume over with a newer epoch) before rethrowing it, so the LUN stops
 * serving at once instead of failing command after command.
 */
final class FenceAwareVolume implements BlockVolume {
    private final BlockVolume delegate;
    private final BiConsumer<FenceAwareVolume, FencedException> onFenced;

    FenceAwareVolume(BlockVolume delegate, BiConsumer<FenceAwareVolume, FencedException> onFenced) {
        this.delegate = delegate;
        this.onFenced = onFenced;
    }

    /** The writer epoch of the volume, or -1 if it is not a log volume. */
    long epoch() {
        return delegate instanceof LogVolume lv ? lv.epoch() : -1;
    }

    @Override public int blockSize() { return delegate.blockSize(); }
    @Override public long blockCount() { return delegate.blockCount(); }
    @Override public boolean supportsUnmap() { return delegate.supportsUnmap(); }
    @Override public String describe() { return delegate.describe(); }

    @Override
    public void read(long lba, int blocks, ByteBuf dst) throws IOException {
        delegate.read(lba, blocks, dst);
    }

    @Override
    public boolean readIfCached(long lba, int blocks, ByteBuf dst) throws IOException {
        return delegate.readIfCached(lba, blocks, dst);
    }

    @Override
    public java.util.concurrent.CompletableFuture<Boolean> readAsync(long lba, int blocks, ByteBuf dst) throws IOException {
        return delegate.readAsync(lba, blocks, dst);
    }

    @Override
    public FileSpan cachedFileSpan(long lba, int blocks) throws IOException {
        return delegate.cachedFileSpan(lba, blocks);
    }

    @Override
    public void write(long lba, ByteBuf src, boolean fua) throws IOException {
        try {
            delegate.write(lba, src, fua);
        } catch (IOException e) {
            throw reported(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            delegate.flush();
        } catch (IOException e) {
            throw reported(e);
        }
    }

    @Override
    public void unmap(long lba, long blocks) throws IOException {
        try {
            delegate.unmap(lba, blocks);
        } catch (IOException e) {
            throw reported(e);
        }
    }

    @Override
    public Extent extentAt(long lba) throws IOException {
        return delegate.extentAt(lba);
    }

    private IOException reported(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FencedException f) {
                onFenced.accept(this, f);
                break;
            }
        }
        return e;
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
