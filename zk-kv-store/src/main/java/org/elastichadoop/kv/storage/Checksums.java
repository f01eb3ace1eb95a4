package org.elastichadoop.kv.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** CRC32C helpers that never move the caller's buffer position. */
final class Checksums {

    private Checksums() {
    }

    /** CRC32C of the buffer's remaining bytes. */
    static int crc32c(ByteBuffer buf) {
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate());
        return (int) crc.getValue();
    }

    /** CRC32C of {@code buf[from, from + length)}. */
    static int crc32c(ByteBuffer buf, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(from, length));
        return (int) crc.getValue();
    }
}
