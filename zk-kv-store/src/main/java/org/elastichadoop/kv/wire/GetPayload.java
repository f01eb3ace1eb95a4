package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** A found value: int CRC32C of the value, long timestamp (ms), then the value to the end. */
public record GetPayload(int valueCrc, long timestamp, byte[] value) {

    public byte[] encode() {
        byte[] out = new byte[12 + value.length];
        ByteBuf buf = Unpooled.wrappedBuffer(out);
        buf.writerIndex(0);
        buf.writeInt(valueCrc);
        buf.writeLong(timestamp);
        buf.writeBytes(value);
        return out;
    }

    public static GetPayload decode(byte[] payload) throws MalformedFrameException {
        ByteBuf buf = Unpooled.wrappedBuffer(payload);
        Frames.need(buf, 12, "GET payload");
        int crc = buf.readInt();
        long ts = buf.readLong();
        byte[] value = new byte[buf.readableBytes()];
        buf.readBytes(value);
        return new GetPayload(crc, ts, value);
    }
}
