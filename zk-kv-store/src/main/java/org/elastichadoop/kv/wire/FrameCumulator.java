package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Gathers received bytes until a frame is whole, growing the buffer once to the size the frame's length
 * field announces. Netty's default cumulator doubles its buffer as a large frame arrives, copying what it
 * holds each time; for 1 MiB values that was a sixth of a node's CPU.
 */
final class FrameCumulator implements ByteToMessageDecoder.Cumulator {
    private final int maxFrameBytes;

    FrameCumulator(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (!cumulation.isReadable() && in.isContiguous()) {
            cumulation.release();
            return in;
        }
        try {
            int incoming = in.readableBytes();
            // written in place when it fits, even while frames sliced from it are held: their bytes lie before
            // the writer index and stay as they are (growing in place would move them, hence a copy instead)
            if (incoming > cumulation.writableBytes() || cumulation.isReadOnly()) {
                cumulation = grown(alloc, cumulation, cumulation.readableBytes() + incoming);
            }
            cumulation.writeBytes(in, in.readerIndex(), incoming);
            in.readerIndex(in.writerIndex());
            return cumulation;
        } finally {
            in.release();
        }
    }

    /** A copy of what is held, in a buffer big enough for the frame in progress (when its length is sane). */
    private ByteBuf grown(ByteBufAllocator alloc, ByteBuf cumulation, int needed) {
        int capacity = needed;
        if (cumulation.readableBytes() >= 4) {
            int frame = cumulation.getInt(cumulation.readerIndex());
            if (frame >= 0 && frame <= maxFrameBytes) {
                capacity = Math.max(needed, 4 + frame);
            }
        }
        ByteBuf bigger = LargeBuffers.directBuffer(alloc, capacity);
        bigger.writeBytes(cumulation);
        cumulation.release();
        return bigger;
    }
}
