package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns one length-delimited frame (as cut by {@link Frames#frameDecoder}) into a {@link Message}.
 * A malformed frame raises {@link MalformedFrameException}, which the pipeline's last handler answers
 * by closing that connection.
 */
public final class MessageDecoder extends ByteToMessageDecoder {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) throws Exception {
        out.add(decodeFrame(frame));
    }

    public static Message decodeFrame(ByteBuf frame) throws MalformedFrameException {
        Frames.need(frame, Frames.HEADER_BYTES, "header");
        byte version = frame.readByte();
        if (version != Frames.VERSION) {
            throw new MalformedFrameException("protocol version " + version + ", this node speaks " + Frames.VERSION);
        }
        byte kind = frame.readByte();
        Op op = Op.of(frame.readByte());
        byte flags = frame.readByte();
        long id = frame.readLong();
        if (kind == 1) {
            return Response.decode(op, id, frame);
        }
        if (kind != 0) {
            throw new MalformedFrameException("frame kind " + kind);
        }
        return switch (op) {
            case PUT, ACCEPT -> PutRequest.decode(op, id, flags, frame);
            case PREPARE, COMMIT -> BallotRequest.decode(op, id, flags, frame);
            case GET, DELETE -> KeyRequest.decode(op, id, flags, frame);
            case META -> MetaRequest.decode(id, frame);
            case STATS -> StatsRequest.decode(id, frame);
        };
    }
}
