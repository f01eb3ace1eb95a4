package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a {@link Message} as one frame, length first. */
@ChannelHandler.Sharable
public final class MessageEncoder extends MessageToByteEncoder<Message> {
    public static final MessageEncoder INSTANCE = new MessageEncoder();

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Message msg, boolean preferDirect) {
        int size = 4 + Frames.HEADER_BYTES + msg.bodySizeHint();
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
        encodeTo(msg, out);
    }

    public static void encodeTo(Message msg, ByteBuf out) {
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        out.writeByte(Frames.VERSION);
        out.writeByte(msg.isResponse() ? 1 : 0);
        out.writeByte(msg.op().code());
        out.writeByte(msg.flags());
        out.writeLong(msg.requestId());
        msg.encodeBody(out);
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }
}
