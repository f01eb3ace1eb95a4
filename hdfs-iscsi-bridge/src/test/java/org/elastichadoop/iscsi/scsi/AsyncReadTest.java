package org.elastichadoop.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.elastichadoop.iscsi.volume.BlockVolume;
import org.elastichadoop.iscsi.volume.MemoryVolume;
import org.junit.Test;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * READ on a volume that fetches asynchronously: the result comes when the volume's future does, with no I/O thread
 * taken meanwhile; a read the volume hands back runs the blocking way; a failure is a MEDIUM ERROR like a blocking
 * read's.
 */
public class AsyncReadTest extends ScsiTestBase {

    /** A memory volume whose asynchronous reads complete when the test says, hand back, or fail. */
    private static final class LaterVolume implements BlockVolume {
        enum Mode { LATER, HAND_BACK, FAIL }

        final MemoryVolume memory = new MemoryVolume(BLOCKS, BS);
        volatile Mode mode = Mode.LATER;
        volatile CompletableFuture<Boolean> pending;
        final AtomicInteger blockingReads = new AtomicInteger();

        @Override
        public CompletableFuture<Boolean> readAsync(long lba, int blocks, ByteBuf dst) throws IOException {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            switch (mode) {
                case LATER -> {
                    memory.read(lba, blocks, dst);
                    pending = f;
                }
                case HAND_BACK -> {
                    dst.writeZero(blocks * BS); // what a partial read leaves behind: the caller discards it
                    f.complete(false);
                }
                case FAIL -> f.completeExceptionally(new IOException("the store is gone"));
            }
            return f;
        }

        @Override
        public void read(long lba, int blocks, ByteBuf dst) throws IOException {
            blockingReads.incrementAndGet();
            memory.read(lba, blocks, dst);
        }

        @Override public int blockSize() { return memory.blockSize(); }
        @Override public long blockCount() { return memory.blockCount(); }
        @Override public void write(long lba, ByteBuf src, boolean fua) throws IOException { memory.write(lba, src, fua); }
        @Override public void flush() throws IOException { memory.flush(); }
        @Override public boolean supportsUnmap() { return false; }
        @Override public void unmap(long lba, long blocks) { throw new UnsupportedOperationException(); }
        @Override public String describe() { return "a volume reading later"; }
        @Override public void close() { }
    }

    @Test
    public void aReadCompletesWhenTheVolumesFutureDoesWithoutAnIoThread() throws Exception {
        LaterVolume v = new LaterVolume();
        BlockDevice d = newDevice(v, false);
        byte[] data = filled(2 * BS, 'q');
        assertGood(send(d, A, rw10(0x2A, 40, 2), data, data.length));

        ScsiCommand read = new ScsiCommand(A, 0, rw10(0x28, 40, 2), Unpooled.EMPTY_BUFFER, 2 * BS,
                ScsiCommand.TaskAttribute.SIMPLE, 1);
        CompletableFuture<ScsiResult> result = d.execute(read);
        assertFalse("waits for the volume", result.isDone());
        assertTrue(v.pending != null);
        v.pending.complete(true);
        ScsiResult r = result.join();
        assertGood(r);
        assertArrayEquals(data, bytes(r));
        assertEquals("no blocking read", 0, v.blockingReads.get());
    }

    @Test
    public void aReadTheVolumeHandsBackRunsTheBlockingWay() {
        LaterVolume v = new LaterVolume();
        BlockDevice d = newDevice(v, false);
        byte[] data = filled(BS, 'z');
        assertGood(send(d, A, rw10(0x2A, 7, 1), data, data.length));
        v.mode = LaterVolume.Mode.HAND_BACK;
        ScsiResult r = send(d, A, rw10(0x28, 7, 1), null, BS);
        assertGood(r);
        assertArrayEquals(data, bytes(r));
        assertEquals(1, v.blockingReads.get());
    }

    @Test
    public void aFailedAsynchronousReadIsAMediumError() {
        LaterVolume v = new LaterVolume();
        BlockDevice d = newDevice(v, false);
        v.mode = LaterVolume.Mode.FAIL;
        assertCheck(send(d, A, rw10(0x28, 0, 1), null, BS), SenseKey.MEDIUM_ERROR, Asc.UNRECOVERED_READ_ERROR);
        assertEquals(0, v.blockingReads.get());
    }
}
