package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.After;
import org.junit.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

public class LargeBuffersTest {
    private static final int FRAME = 4 * 1024 * 1024 + 100;
    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final LargeBuffers buffers = new LargeBuffers(2);

    @After
    public void releaseKept() {
        buffers.releaseAll();
    }

    @Test
    public void aReleasedBufferIsTakenAgainEmptyAndUnzeroedWork() {
        ByteBuf first = buffers.take(alloc, FRAME);
        first.writeLong(42);
        first.release();
        ByteBuf second = buffers.take(alloc, FRAME - 1000);
        assertSame(first, second);
        assertEquals("handed out empty", 0, second.readableBytes());
        assertTrue(second.capacity() >= FRAME);
        assertEquals(1, buffers.reused());
        second.release();
    }

    @Test
    public void aBufferWhoseSliceIsStillHeldIsNotReused() {
        ByteBuf frame = buffers.take(alloc, FRAME);
        frame.writeBytes(new byte[FRAME]);
        ByteBuf value = frame.retainedSlice(100, 1 << 20); // a value a store still reads
        value.setByte(0, 7);
        frame.release();
        ByteBuf next = buffers.take(alloc, FRAME);
        assertNotSame(frame, next);
        next.writeBytes(new byte[FRAME]);
        assertEquals("the held value's bytes are untouched", 7, value.getByte(0));
        value.release();
        next.release();
        assertSame("free again once the value is released", frame, buffers.take(alloc, FRAME));
        frame.release();
    }

    @Test
    public void aFreeBufferTooSmallIsReplacedByABiggerOne() {
        ByteBuf small = buffers.take(alloc, 1 << 20);
        ByteBuf other = buffers.take(alloc, 1 << 20);
        small.release();
        ByteBuf big = buffers.take(alloc, FRAME); // the other slot is busy: the small free one gives way
        assertTrue(big.capacity() >= FRAME);
        assertEquals("the replaced buffer went back to the allocator", 0, small.refCnt());
        other.release();
        big.release();
    }

    @Test
    public void moreInUseThanKeptComeFromTheAllocatorAndAreNotKept() {
        List<ByteBuf> inUse = new ArrayList<>();
        for (int i = 0; i < 3; i++) inUse.add(buffers.take(alloc, FRAME));
        ByteBuf extra = inUse.get(2);
        assertEquals("not kept: only the caller's reference", 1, extra.refCnt());
        for (ByteBuf b : inUse) b.release();
        assertEquals(0, extra.refCnt());
        assertEquals(3, buffers.allocated());
        buffers.take(alloc, FRAME).release();
        buffers.take(alloc, FRAME).release();
        assertEquals("the two kept buffers serve what follows", 3, buffers.allocated());
    }

    @Test
    public void smallFramesComeFromThePoolAsBefore() {
        ByteBuf small = LargeBuffers.directBuffer(alloc, 4096);
        assertTrue(small.isDirect());
        assertEquals(1, small.refCnt());
        small.release();
    }
}
