package org.elastichadoop.kv.consensus;

import java.util.zip.CRC32C;

final class KvChecksum {
    private KvChecksum() {
    }

    static int crc32c(byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(value);
        return (int) crc.getValue();
    }
}
