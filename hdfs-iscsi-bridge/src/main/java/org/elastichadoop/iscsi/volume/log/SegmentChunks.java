package org.elastichadoop.iscsi.volume.log;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The CRC32C of every 4 KiB chunk of a segment's data area, as the segment's tail stores it: what lets a read
 * fetch a few KiB of a stored segment and still know them intact. The store cannot vouch for part of a value
 * (its checksum covers the whole), so the chunks covering a read are fetched and checked against this table,
 * which a reader fetches once per segment from the end of the stored value (the last {@link #suffixBytes} bytes).
 *
 * <pre>
 * chunk CRCs u32 each | "LVT3" | chunks u32 | dataLength u32 | CRC32C of the table and these three fields u32 | segment CRC u32
 * </pre>
 */
final class SegmentChunks {
    static final int CHUNK = 4096;
    static final int TAIL_MAGIC = 0x4c565433; // "LVT3"
    /** The fields after the table: magic, chunks, dataLength, the table's CRC, and the segment's own CRC. */
    static final int TAIL_BYTES = 20;

    final int dataLength;
    private final int[] crcs;

    SegmentChunks(int dataLength, int[] crcs) {
        this.dataLength = dataLength;
        this.crcs = crcs;
    }

    static int chunksFor(long dataLength) {
        return (int) ((dataLength + CHUNK - 1) / CHUNK);
    }

    /** The bytes at the end of a segment that hold the table and its tail. */
    static int suffixBytes(int chunks) {
        return 4 * chunks + TAIL_BYTES;
    }

    /** Computes the table of {@code data[from .. from + length)}. */
    static SegmentChunks of(byte[] data, int from, int length) {
        int[] crcs = new int[chunksFor(length)];
        CRC32C c = new CRC32C();
        for (int i = 0; i < crcs.length; i++) {
            c.reset();
            c.update(data, from + i * CHUNK, Math.min(CHUNK, length - i * CHUNK));
            crcs[i] = (int) c.getValue();
        }
        return new SegmentChunks(length, crcs);
    }

    /** Writes the table and the tail's fields up to (not including) the segment CRC. */
    void writeTo(ByteBuffer b) {
        int start = b.position();
        for (int crc : crcs) b.putInt(crc);
        b.putInt(TAIL_MAGIC).putInt(crcs.length).putInt(dataLength);
        CRC32C c = new CRC32C();
        c.update(b.array(), start, b.position() - start);
        b.putInt((int) c.getValue());
    }

    /**
     * How many bytes at the end of a stored segment its table takes, read off {@code suffix} (the segment's last
     * bytes, at least {@link #TAIL_BYTES} of them); -1 when the segment has no table (written before tables were).
     */
    static int suffixNeeded(byte[] suffix) {
        if (suffix.length < TAIL_BYTES) return -1;
        ByteBuffer b = ByteBuffer.wrap(suffix, suffix.length - TAIL_BYTES, TAIL_BYTES);
        if (b.getInt() != TAIL_MAGIC) return -1;
        int chunks = b.getInt();
        return chunks < 0 || chunks > (Integer.MAX_VALUE - TAIL_BYTES) / 4 ? -1 : suffixBytes(chunks);
    }

    /** Decodes the table from a segment's last bytes (at least {@link #suffixNeeded} of them), checking its CRC. */
    static SegmentChunks decodeSuffix(byte[] suffix, long seq) {
        int needed = suffixNeeded(suffix);
        if (needed < 0 || needed > suffix.length) {
            throw new Segment.CorruptSegmentException("segment " + seq + " has no readable chunk table in its last " + suffix.length + " bytes");
        }
        int start = suffix.length - needed;
        CRC32C c = new CRC32C();
        c.update(suffix, start, needed - 8);
        ByteBuffer b = ByteBuffer.wrap(suffix, start, needed);
        int[] crcs = new int[(needed - TAIL_BYTES) / 4];
        for (int i = 0; i < crcs.length; i++) crcs[i] = b.getInt();
        b.getInt(); // magic, checked by suffixNeeded
        b.getInt(); // chunks, likewise
        int dataLength = b.getInt();
        if ((int) c.getValue() != b.getInt()) throw new Segment.CorruptSegmentException("segment " + seq + "'s chunk table fails its CRC32C");
        if (dataLength < 0 || chunksFor(dataLength) != crcs.length) {
            throw new Segment.CorruptSegmentException("segment " + seq + "'s chunk table does not fit its data length " + dataLength);
        }
        return new SegmentChunks(dataLength, crcs);
    }

    /** The chunk-aligned start, in the data area, of the chunks holding byte {@code offset}. */
    static long alignedStart(long offset) {
        return offset / CHUNK * CHUNK;
    }

    /** The chunk-aligned end of the chunks holding bytes up to {@code end}, within the data area. */
    long alignedEnd(long end) {
        return Math.min(dataLength, (end + CHUNK - 1) / CHUNK * CHUNK);
    }

    /** Whether {@code bytes}, read from the data area at the chunk-aligned {@code from}, match their chunks' CRCs. */
    boolean matches(long from, byte[] bytes) {
        if (from % CHUNK != 0 || from + bytes.length > dataLength) return false;
        CRC32C c = new CRC32C();
        for (int at = 0, chunk = (int) (from / CHUNK); at < bytes.length; at += CHUNK, chunk++) {
            int n = Math.min(CHUNK, bytes.length - at);
            if (n < CHUNK && from + at + n != dataLength) return false; // a short chunk is only the data area's last
            c.reset();
            c.update(bytes, at, n);
            if ((int) c.getValue() != crcs[chunk]) return false;
        }
        return true;
    }

    /** Whether the data area {@code data[from .. from + dataLength)} matches the table. */
    boolean matchesData(byte[] data, int from) {
        CRC32C c = new CRC32C();
        for (int i = 0; i < crcs.length; i++) {
            c.reset();
            c.update(data, from + i * CHUNK, Math.min(CHUNK, dataLength - i * CHUNK));
            if ((int) c.getValue() != crcs[i]) return false;
        }
        return true;
    }

    /** Heap this table takes, for the cache's bound. */
    long heapBytes() {
        return 32L + 16 + 4L * crcs.length;
    }
}
