package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;

/**
 * GET or DELETE of one key. Body: key (u16 length + bytes), then for a GET between nodes (not flagged COORDINATE)
 * the long ring epoch of the node asking.
 */
public record KeyRequest(Op op, long requestId, byte flags, byte[] key, long epoch) implements Message {

    public KeyRequest(Op op, long requestId, byte flags, byte[] key) {
        this(op, requestId, flags, key, 0);
    }

    public KeyRequest {
        if (op != Op.GET && op != Op.DELETE) {
            throw new IllegalArgumentException("KeyRequest carries GET or DELETE, not " + op);
        }
    }

    public static KeyRequest decode(Op op, long requestId, byte flags, ByteBuf body) throws MalformedFrameException {
        byte[] key = Frames.readKey(body);
        long epoch = 0;
        if (carriesEpoch(op, flags)) {
            Frames.need(body, 8, "ring epoch");
            epoch = body.readLong();
        }
        Frames.expectEnd(body, op);
        return new KeyRequest(op, requestId, flags, key, epoch);
    }

    private static boolean carriesEpoch(Op op, byte flags) {
        return op == Op.GET && (flags & Flags.COORDINATE) == 0;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        Frames.writeKey(out, key);
        if (carriesEpoch(op, flags)) {
            out.writeLong(epoch);
        }
    }
}
