package org.elastichadoop.iscsi.store.hdfs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of a pack file. A pack starts with {@link #MAGIC}, then holds records one after another:
 * <pre>
 *   type u8 | key length u16 | value length u32 | value CRC32C u32 | header CRC32C u32 | key (UTF-8) | value
 * </pre>
 * the header CRC covering the fields before it and the key. A pack closed by its writer ends with an index of its
 * records (type, key, offset, value length, value CRC each) and a trailer: the index's offset u64, its CRC32C u32,
 * {@link #END}. A pack whose writer died has no trailer: it is read record by record, and a torn last record (too
 * short, or a header that fails its CRC) ends it.
 */
final class PackFormat {
    static final byte[] MAGIC = "EHPACK01".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "EHPKEND1".getBytes(StandardCharsets.US_ASCII);
    static final int FIXED_HEADER = 1 + 2 + 4 + 4 + 4;
    static final int TRAILER = 8 + 4 + 8;
    static final int MAX_KEY_BYTES = 0xFFFF;

    private PackFormat() {
    }

    static int headerLength(String key) {
        return FIXED_HEADER + utf8(key).length;
    }

    static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    /** A record's header; the value (for a put) follows it. */
    static byte[] header(PackRecord.Type type, String key, int valueLength, int valueCrc) {
        byte[] k = utf8(key);
        if (k.length > MAX_KEY_BYTES) throw new IllegalArgumentException("key of " + k.length + " bytes, over " + MAX_KEY_BYTES);
        ByteBuffer b = ByteBuffer.allocate(FIXED_HEADER + k.length);
        b.put((byte) type.code).putShort((short) k.length).putInt(valueLength).putInt(valueCrc);
        b.putInt(0).put(k);
        byte[] a = b.array();
        ByteBuffer.wrap(a).putInt(11, headerCrc(a, k.length));
        return a;
    }

    private static int headerCrc(byte[] header, int keyLength) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, 11);
        crc.update(header, FIXED_HEADER, keyLength);
        return (int) crc.getValue();
    }

    /** The key length a header's fixed part announces, or -1 if it is not a record's start. */
    static int keyLength(byte[] fixed) {
        if (PackRecord.Type.of(fixed[0]) == null) return -1;
        return ByteBuffer.wrap(fixed).getShort(1) & 0xFFFF;
    }

    /** The record whose whole header (fixed part and key) is {@code header}, starting at {@code offset}; null if torn. */
    static PackRecord parseHeader(byte[] header, long offset) {
        if (header.length < FIXED_HEADER) return null;
        ByteBuffer b = ByteBuffer.wrap(header);
        PackRecord.Type type = PackRecord.Type.of(b.get(0));
        int keyLength = b.getShort(1) & 0xFFFF;
        if (type == null || header.length != FIXED_HEADER + keyLength) return null;
        if (b.getInt(11) != headerCrc(header, keyLength)) return null;
        int valueLength = b.getInt(3);
        if (valueLength < 0) return null;
        String key = new String(header, FIXED_HEADER, keyLength, StandardCharsets.UTF_8);
        return new PackRecord(type, key, offset, valueLength, b.getInt(7));
    }

    /** The index and trailer a writer appends when it closes a pack that ends at {@code indexOffset}. */
    static byte[] index(List<PackRecord> records, long indexOffset) {
        int size = 4;
        List<byte[]> keys = new ArrayList<>(records.size());
        for (PackRecord r : records) {
            byte[] k = utf8(r.key());
            keys.add(k);
            size += 1 + 2 + k.length + 8 + 4 + 4;
        }
        ByteBuffer b = ByteBuffer.allocate(size + TRAILER);
        b.putInt(records.size());
        for (int i = 0; i < records.size(); i++) {
            PackRecord r = records.get(i);
            byte[] k = keys.get(i);
            b.put((byte) r.type().code).putShort((short) k.length).put(k).putLong(r.offset()).putInt(r.valueLength()).putInt(r.valueCrc());
        }
        b.putLong(indexOffset).putInt(crc(b.array(), 0, size)).put(END);
        return b.array();
    }

    /** The index's offset a trailer names, or -1 if these bytes are not a trailer. */
    static long indexOffset(byte[] trailer) {
        if (trailer.length != TRAILER) return -1;
        for (int i = 0; i < END.length; i++) if (trailer[12 + i] != END[i]) return -1;
        return ByteBuffer.wrap(trailer).getLong(0);
    }

    /** The records of an index read with its trailer ({@code bytes} from the index's offset to the end); null if damaged. */
    static List<PackRecord> parseIndex(byte[] bytes) {
        int size = bytes.length - TRAILER;
        if (size < 4 || ByteBuffer.wrap(bytes).getInt(size + 8) != crc(bytes, 0, size)) return null;
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, size);
        int n = b.getInt();
        List<PackRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PackRecord.Type type = PackRecord.Type.of(b.get());
            int keyLength = b.getShort() & 0xFFFF;
            byte[] k = new byte[keyLength];
            b.get(k);
            records.add(new PackRecord(type, new String(k, StandardCharsets.UTF_8), b.getLong(), b.getInt(), b.getInt()));
        }
        return records;
    }
}
