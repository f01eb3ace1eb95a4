package org.elastichadoop.iscsi.wire;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** CRC32C header and data digests (RFC 7143 section 12.1), sent least significant byte first. */
public final class Digests {
    private Digests() {}

    public static int crc32c(ByteBuf buf, int index, int length) {
        CRC32C crc = new CRC32C();
        update(crc, buf, index, length);
        return (int) crc.getValue();
    }

    /** The data digest covers the data segment and its padding (zero bytes). */
    public static int dataDigest(ByteBuf data, int padding) {
        CRC32C crc = new CRC32C();
        update(crc, data, data.readerIndex(), data.readableBytes());
        for (int i = 0; i < padding; i++) crc.update(0);
        return (int) crc.getValue();
    }

    private static void update(CRC32C crc, ByteBuf buf, int index, int length) {
        if (length == 0) return;
        if (buf.nioBufferCount() == 1) {
            crc.update(buf.nioBuffer(index, length));
        } else {
            for (ByteBuffer part : buf.nioBuffers(index, length)) crc.update(part);
        }
    }

    public static int padding(int length) {
        return (4 - (length & 3)) & 3;
    }
}
