package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;

/** Body: key (u16 length + bytes), int CRC32C of the value, value (int length + bytes). */
public record PutRequest(long requestId, byte flags, byte[] key, int valueCrc, byte[] value) implements Message {

    public static PutRequest decode(long requestId, byte flags, ByteBuf body) throws MalformedFrameException {
        byte[] key = Frames.readKey(body);
        Frames.need(body, 4, "value CRC");
        int crc = body.readInt();
        byte[] value = Frames.readSized(body, "value");
        Frames.expectEnd(body, Op.PUT);
        return new PutRequest(requestId, flags, key, crc, value);
    }

    @Override
    public Op op() {
        return Op.PUT;
    }

    @Override
    public int bodySizeHint() {
        return 2 + key.length + 4 + 4 + value.length;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        Frames.writeKey(out, key);
        out.writeInt(valueCrc);
        out.writeInt(value.length);
        out.writeBytes(value);
    }
}
