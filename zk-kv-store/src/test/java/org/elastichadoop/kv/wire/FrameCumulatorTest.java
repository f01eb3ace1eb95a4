package org.elastichadoop.kv.wire;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Random;
import org.junit.Test;

public class FrameCumulatorTest {
    /** A channel with the protocol's pipeline whose decoded messages come out of readInbound(). */
    private static EmbeddedChannel framed() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Frames.install(ch.pipeline(), Frames.DEFAULT_MAX_FRAME_BYTES, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                ctx.fireChannelRead(msg);
            }
        });
        return ch;
    }

    @Test
    public void framesCutAnywhereArriveWhole() {
        EmbeddedChannel ch = framed();
        Random r = new Random(3);
        byte[][] values = {new byte[(1 << 20) + 17], new byte[5], new byte[300_000]};
        ByteBuf wire = Unpooled.buffer();
        for (int i = 0; i < values.length; i++) {
            r.nextBytes(values[i]);
            MessageEncoder.encodeTo(PutRequest.of(i, (byte) 0, ("k" + i).getBytes(), 7, values[i]), wire);
        }
        // deliver in uneven pieces, as TCP would, some spanning two frames
        while (wire.isReadable()) {
            int n = Math.min(wire.readableBytes(), 1 + r.nextInt(70_000));
            ch.writeInbound(wire.readRetainedSlice(n));
        }
        for (int i = 0; i < values.length; i++) {
            PutRequest p = ch.readInbound();
            assertEquals(i, p.requestId());
            assertArrayEquals("value " + i, values[i], ByteBufUtil.getBytes(p.value()));
            p.release();
        }
        assertNull(ch.readInbound());
        wire.release();
        ch.finishAndReleaseAll();
    }

    /**
     * Large frames arriving piece by piece are gathered in one buffer each (not copied again with every piece while a
     * previous frame's value is still held), and that buffer serves the frames after it once their values are released.
     */
    @Test
    public void largeFramesAreGatheredOnceIntoBuffersThatAreReused() {
        EmbeddedChannel ch = framed();
        LargeBuffers mine = LargeBuffers.ofThisThread();
        long allocatedBefore = mine.allocated();
        long reusedBefore = mine.reused();
        Random r = new Random(5);
        byte[] value = new byte[4 << 20];
        r.nextBytes(value);
        PutRequest held = null;
        for (int i = 0; i < 6; i++) {
            ByteBuf wire = Unpooled.buffer();
            MessageEncoder.encodeTo(PutRequest.of(i, (byte) 0, ("k" + i).getBytes(), 7, value), wire);
            while (wire.isReadable()) ch.writeInbound(wire.readRetainedSlice(Math.min(wire.readableBytes(), 65536)));
            wire.release();
            PutRequest p = ch.readInbound();
            assertArrayEquals(value, ByteBufUtil.getBytes(p.value()));
            if (held != null) held.release();
            held = p; // one value is always held while the next frame arrives
        }
        held.release();
        assertEquals("buffers allocated for 6 frames with at most 2 in use", 2, mine.allocated() - allocatedBefore);
        assertEquals("the rest reused", 4, mine.reused() - reusedBefore);
        ch.finishAndReleaseAll();
    }
}
