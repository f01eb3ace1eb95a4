package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes a {@link Message} as one frame, length first. A large value that already sits in direct memory (a
 * node forwarding what it received) is not copied: the frame goes out as its head followed by the value's
 * own buffer, gathered by the socket write.
 */
@ChannelHandler.Sharable
public final class MessageEncoder extends MessageToMessageEncoder<Message> {
    public static final MessageEncoder INSTANCE = new MessageEncoder();
    private static final int ZERO_COPY_MIN_BYTES = 64 * 1024;

    @Override
    protected void encode(ChannelHandlerContext ctx, Message msg, List<Object> out) {
        if (msg instanceof PutRequest p && p.value().isDirect() && p.valueLength() >= ZERO_COPY_MIN_BYTES) {
            ByteBuf head = ctx.alloc().ioBuffer(4 + Frames.HEADER_BYTES + p.bodySizeHint() - p.valueLength());
            writeHeader(msg, head);
            p.encodeBodyHead(head);
            head.setInt(0, head.readableBytes() - 4 + p.valueLength());
            out.add(head);
            out.add(p.value().retainedSlice());
            return;
        }
        ByteBuf buf = LargeBuffers.directBuffer(ctx.alloc(), 4 + Frames.HEADER_BYTES + msg.bodySizeHint());
        encodeTo(msg, buf);
        out.add(buf);
    }

    public static void encodeTo(Message msg, ByteBuf out) {
        int lengthAt = out.writerIndex();
        writeHeader(msg, out);
        msg.encodeBody(out);
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }

    /** The length field (0 for now: the caller sets it) and the fixed header. */
    private static void writeHeader(Message msg, ByteBuf out) {
        out.writeInt(0);
        out.writeByte(Frames.VERSION);
        out.writeByte(msg.isResponse() ? 1 : 0);
        out.writeByte(msg.op().code());
        out.writeByte(msg.flags());
        out.writeLong(msg.requestId());
    }
}
