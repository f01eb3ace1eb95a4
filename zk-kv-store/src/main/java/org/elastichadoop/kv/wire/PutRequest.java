package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Body: key (u16 length + bytes), int CRC32C of the value, value (int length + bytes).
 *
 * <p>A decoded request's value is a retained slice of the received frame, not a copy: large values cross
 * the node without a heap array per request. Whoever receives a decoded request releases its value once
 * done (see {@link #release}); code that keeps it longer retains it.
 */
public record PutRequest(long requestId, byte flags, byte[] key, int valueCrc, ByteBuf value) implements Message {

    public static PutRequest of(long requestId, byte flags, byte[] key, int valueCrc, byte[] value) {
        return new PutRequest(requestId, flags, key, valueCrc, Unpooled.wrappedBuffer(value));
    }

    public static PutRequest decode(long requestId, byte flags, ByteBuf body) throws MalformedFrameException {
        byte[] key = Frames.readKey(body);
        Frames.need(body, 8, "value CRC and length");
        int crc = body.readInt();
        int len = body.readInt();
        if (len < 0) {
            throw new MalformedFrameException("value length " + len + " is negative");
        }
        Frames.need(body, len, "value");
        ByteBuf value = body.readRetainedSlice(len);
        if (body.isReadable()) {
            value.release();
            Frames.expectEnd(body, Op.PUT);
        }
        return new PutRequest(requestId, flags, key, crc, value);
    }

    public int valueLength() {
        return value.readableBytes();
    }

    /** Gives back a decoded request's value (a no-op for values wrapped from arrays, which the GC collects). */
    public void release() {
        value.release();
    }

    @Override
    public Op op() {
        return Op.PUT;
    }

    @Override
    public int bodySizeHint() {
        return 2 + key.length + 4 + 4 + value.readableBytes();
    }

    @Override
    public void encodeBody(ByteBuf out) {
        encodeBodyHead(out);
        out.writeBytes(value, value.readerIndex(), value.readableBytes());
    }

    /** The body up to the value's bytes: key, CRC, value length. */
    void encodeBodyHead(ByteBuf out) {
        Frames.writeKey(out, key);
        out.writeInt(valueCrc);
        out.writeInt(value.readableBytes());
    }
}
