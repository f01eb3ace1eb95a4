package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * PUT, or ACCEPT (a proposal in a ballot). Body: key (u16 length + bytes), for ACCEPT a long ballot and the
 * long ring epoch of the coordinator, then int CRC32C of the value, value (int length + bytes).
 *
 * <p>A decoded request's value is a retained slice of the received frame, not a copy: large values cross
 * the node without a heap array per request. Whoever receives a decoded request releases its value once
 * done (see {@link #release}); code that keeps it longer retains it.
 */
public record PutRequest(Op op, long requestId, byte flags, byte[] key, long ballot, long epoch, int valueCrc, ByteBuf value)
        implements Message {

    public PutRequest {
        if (op != Op.PUT && op != Op.ACCEPT) {
            throw new IllegalArgumentException("PutRequest carries PUT or ACCEPT, not " + op);
        }
    }

    public PutRequest(long requestId, byte flags, byte[] key, int valueCrc, ByteBuf value) {
        this(Op.PUT, requestId, flags, key, 0, 0, valueCrc, value);
    }

    public static PutRequest of(long requestId, byte flags, byte[] key, int valueCrc, byte[] value) {
        return new PutRequest(requestId, flags, key, valueCrc, Unpooled.wrappedBuffer(value));
    }

    public static PutRequest accept(long requestId, byte[] key, long ballot, long epoch, int valueCrc, ByteBuf value) {
        return new PutRequest(Op.ACCEPT, requestId, (byte) 0, key, ballot, epoch, valueCrc, value);
    }

    public static PutRequest decode(Op op, long requestId, byte flags, ByteBuf body) throws MalformedFrameException {
        byte[] key = Frames.readKey(body);
        long ballot = 0;
        long epoch = 0;
        if (op == Op.ACCEPT) {
            Frames.need(body, 16, "ballot and ring epoch");
            ballot = body.readLong();
            epoch = body.readLong();
        }
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
            Frames.expectEnd(body, op);
        }
        return new PutRequest(op, requestId, flags, key, ballot, epoch, crc, value);
    }

    public int valueLength() {
        return value.readableBytes();
    }

    /** Gives back a decoded request's value (a no-op for values wrapped from arrays, which the GC collects). */
    public void release() {
        value.release();
    }

    @Override
    public int bodySizeHint() {
        return 2 + key.length + (op == Op.ACCEPT ? 16 : 0) + 4 + 4 + value.readableBytes();
    }

    @Override
    public void encodeBody(ByteBuf out) {
        encodeBodyHead(out);
        out.writeBytes(value, value.readerIndex(), value.readableBytes());
    }

    /** The body up to the value's bytes: key, CRC, value length. */
    void encodeBodyHead(ByteBuf out) {
        Frames.writeKey(out, key);
        if (op == Op.ACCEPT) {
            out.writeLong(ballot);
            out.writeLong(epoch);
        }
        out.writeInt(valueCrc);
        out.writeInt(value.readableBytes());
    }
}
