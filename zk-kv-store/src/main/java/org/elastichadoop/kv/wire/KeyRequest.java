package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;

/** GET or DELETE of one key. Body: key (u16 length + bytes). */
public record KeyRequest(Op op, long requestId, byte flags, byte[] key) implements Message {

    public KeyRequest {
        if (op != Op.GET && op != Op.DELETE) {
            throw new IllegalArgumentException("KeyRequest carries GET or DELETE, not " + op);
        }
    }

    public static KeyRequest decode(Op op, long requestId, byte flags, ByteBuf body) throws MalformedFrameException {
        byte[] key = Frames.readKey(body);
        Frames.expectEnd(body, op);
        return new KeyRequest(op, requestId, flags, key);
    }

    @Override
    public void encodeBody(ByteBuf out) {
        Frames.writeKey(out, key);
    }
}
