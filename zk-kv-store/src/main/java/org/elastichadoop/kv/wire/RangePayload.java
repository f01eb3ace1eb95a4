package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A found value's part, answering a GET flagged {@link Flags#RANGE}: int length and int CRC32C of the whole value,
 * long timestamp (ms), long offset of the part within the value (resolved: at least 0), then the part's bytes to
 * the end. The CRC covers the whole value, so the part cannot be checked against it.
 */
public record RangePayload(int valueLength, int valueCrc, long timestamp, long offset, byte[] bytes) {
    private static final int FIXED_BYTES = 4 + 4 + 8 + 8;

    public byte[] encode() {
        byte[] out = new byte[FIXED_BYTES + bytes.length];
        ByteBuf buf = Unpooled.wrappedBuffer(out);
        buf.writerIndex(0);
        buf.writeInt(valueLength);
        buf.writeInt(valueCrc);
        buf.writeLong(timestamp);
        buf.writeLong(offset);
        buf.writeBytes(bytes);
        return out;
    }

    public static RangePayload decode(byte[] payload) throws MalformedFrameException {
        ByteBuf buf = Unpooled.wrappedBuffer(payload);
        Frames.need(buf, FIXED_BYTES, "range payload");
        int valueLength = buf.readInt();
        int crc = buf.readInt();
        long ts = buf.readLong();
        long offset = buf.readLong();
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return new RangePayload(valueLength, crc, ts, offset, bytes);
    }
}
