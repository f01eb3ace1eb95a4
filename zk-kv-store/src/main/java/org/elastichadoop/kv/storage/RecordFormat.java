package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The on-disk record: a 24-byte header, then the key, then the value. Integers are big-endian.
 *
 * <pre>
 * offset size field
 *  0     4    header CRC32C, over bytes [4, 24) and the key
 *  4     1    magic / format version (0xE1)
 *  5     1    type: 1 = PUT, 2 = TOMBSTONE, 3 = ACCEPTED, 4 = PROMISE, 5 = COMMIT ({@link RecordType})
 *  6     2    key length, unsigned, 1..65535
 *  8     4    value length, 0..2^31-1 (0 for TOMBSTONE, PROMISE and COMMIT)
 * 12     8    timestamp, milliseconds since the epoch; the ballot in ACCEPTED and PROMISE records
 * 20     4    CRC32C of the value (0 when there is none)
 * 24     k    key
 * 24+k   v    value
 * </pre>
 *
 * The header checksum covers the value checksum, so together they cover every byte of the record. A zeroed
 * region fails the magic check before any checksum is computed.
 */
final class RecordFormat {
    static final int HEADER_BYTES = 24;
    static final byte MAGIC = (byte) 0xE1;
    static final int MAX_KEY_BYTES = 0xFFFF;
    /** Keeps every record addressable by an int and allocatable as one buffer. */
    static final int MAX_RECORD_BYTES = Integer.MAX_VALUE - 64;

    private static final int CRC_AT = 0;
    private static final int MAGIC_AT = 4;
    private static final int TYPE_AT = 5;
    private static final int KEY_LENGTH_AT = 6;
    private static final int VALUE_LENGTH_AT = 8;
    private static final int TIMESTAMP_AT = 12;
    private static final int VALUE_CRC_AT = 20;

    private RecordFormat() {
    }

    /** Header and key of a record, positioned at 0; the value (if any) follows them in the log. */
    static ByteBuffer encodeHead(RecordHeader header, Key key) {
        ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES + header.keyLength());
        writeHeaderAndKey(head, header, key);
        return head.flip();
    }

    /** The complete record, positioned at 0. {@code value} is null for a tombstone. */
    static ByteBuffer encode(RecordHeader header, Key key, ByteBuffer value) {
        ByteBuffer record = ByteBuffer.allocate(header.recordLength());
        writeHeaderAndKey(record, header, key);
        if (value != null) {
            record.put(value.duplicate());
        }
        return record.flip();
    }

    /** Writes header and key at the buffer's position and advances it past them. */
    static void writeHeaderAndKey(ByteBuffer buf, RecordHeader header, Key key) {
        int start = buf.position();
        buf.putInt(0)
                .put(MAGIC)
                .put(header.type().code())
                .putShort((short) header.keyLength())
                .putInt(header.valueLength())
                .putLong(header.timestamp())
                .putInt(header.valueCrc())
                .put(key.bytes());
        buf.putInt(start + CRC_AT, headerCrc(buf, start, header.keyLength()));
    }

    /**
     * Reads the header fields at {@code buf[start, start + 24)} without checking its checksum; null when they
     * cannot belong to a record (wrong magic, unknown type, impossible lengths).
     */
    static RecordHeader parseHeader(ByteBuffer buf, int start) {
        if (buf.get(start + MAGIC_AT) != MAGIC) {
            return null;
        }
        RecordType type = RecordType.fromCode(buf.get(start + TYPE_AT));
        int keyLength = Short.toUnsignedInt(buf.getShort(start + KEY_LENGTH_AT));
        int valueLength = buf.getInt(start + VALUE_LENGTH_AT);
        if (type == null || keyLength == 0 || valueLength < 0
                || (type.isMarker() && valueLength != 0)
                || (long) HEADER_BYTES + keyLength + valueLength > MAX_RECORD_BYTES) {
            return null;
        }
        return new RecordHeader(type, keyLength, valueLength, buf.getLong(start + TIMESTAMP_AT),
                buf.getInt(start + VALUE_CRC_AT));
    }

    /** Whether the header at {@code start}, followed by its key, matches its checksum. */
    static boolean headerCrcMatches(ByteBuffer buf, int start, int keyLength) {
        return buf.getInt(start + CRC_AT) == headerCrc(buf, start, keyLength);
    }

    private static int headerCrc(ByteBuffer buf, int start, int keyLength) {
        return Checksums.crc32c(buf, start + MAGIC_AT, HEADER_BYTES - MAGIC_AT + keyLength);
    }

    /** Reads and fully verifies the record starting at {@code pos}. */
    static Decoded decode(PositionalInput in, long pos) throws IOException {
        ByteBuffer head = in.slice(pos, HEADER_BYTES);
        if (head == null) {
            return Decoded.badHeader(pos, "incomplete header, " + (in.limit() - pos) + " bytes left");
        }
        RecordHeader header = parseHeader(head, 0);
        if (header == null) {
            return Decoded.badHeader(pos, "invalid header fields");
        }
        ByteBuffer headAndKey = in.slice(pos, HEADER_BYTES + header.keyLength());
        if (headAndKey == null) {
            return Decoded.badHeader(pos, "key runs past the end of the segment");
        }
        if (!headerCrcMatches(headAndKey, 0, header.keyLength())) {
            return Decoded.badHeader(pos, "header checksum mismatch");
        }
        byte[] keyBytes = new byte[header.keyLength()];
        headAndKey.get(HEADER_BYTES, keyBytes);
        Key key = Key.wrap(keyBytes);
        ByteBuffer record = in.slice(pos, header.recordLength());
        if (record == null) {
            return new Decoded(Decoded.Status.TRUNCATED_VALUE, "value runs past the end of the segment", pos, header,
                    key, null);
        }
        int valueAt = HEADER_BYTES + header.keyLength();
        if (Checksums.crc32c(record, valueAt, header.valueLength()) != header.valueCrc()) {
            return new Decoded(Decoded.Status.BAD_VALUE, "value checksum mismatch", pos, header, key, null);
        }
        return new Decoded(Decoded.Status.VALID, null, pos, header, key, record);
    }

    /**
     * Verifies a record read back for {@code key} at the location {@code expected} describes; returns what is
     * wrong with it, or null if it is intact and is the record the index expects.
     */
    static String problemWith(ByteBuffer record, Key key, IndexEntry expected) {
        String problem = problemWithHead(record, key, expected);
        if (problem != null) {
            return problem;
        }
        if (record.limit() != expected.recordLength()) {
            return "header lengths do not match the index";
        }
        if (Checksums.crc32c(record, HEADER_BYTES + key.length(), expected.valueLength()) != expected.valueCrc()) {
            return "value checksum mismatch";
        }
        return null;
    }

    /**
     * Like {@link #problemWith}, for the header and key alone (at the start of {@code head}, which holds at least
     * {@code HEADER_BYTES + key.length()} bytes): everything but the value's checksum.
     */
    static String problemWithHead(ByteBuffer head, Key key, IndexEntry expected) {
        RecordHeader header = parseHeader(head, 0);
        if (header == null) {
            return "invalid header fields";
        }
        if (header.recordLength() != expected.recordLength() || header.keyLength() != key.length()) {
            return "header lengths do not match the index";
        }
        if (!headerCrcMatches(head, 0, header.keyLength())) {
            return "header checksum mismatch";
        }
        if (!key.isAt(head, HEADER_BYTES)) {
            return "record holds another key";
        }
        if (header.type() != expected.type() || header.valueLength() != expected.valueLength()
                || header.valueCrc() != expected.valueCrc() || header.timestamp() != expected.timestamp()) {
            return "header fields do not match the index";
        }
        return null;
    }
}
