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

    @Test
    public void framesCutAnywhereArriveWhole() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Frames.install(ch.pipeline(), Frames.DEFAULT_MAX_FRAME_BYTES, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                ctx.fireChannelRead(msg);
            }
        });
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
}
