package org.elastichadoop.iscsi.volume.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * One immutable log segment: the writes a volume gathered, in order, with their blocks.
 *
 * <pre>
 * "LVS3" | version u16 | idLength u16 | volume id | epoch u64 | seq u64 | dataLength u32
 * data area (dataLength bytes)
 * entries u32 | entries: lba u64 | blocks u32 | kind u8 (0 data, 1 unmap) | 3 zero bytes | dataOffset u32   (20 bytes each)
 * chunk table and tail ({@link SegmentChunks}): a CRC32C per 4 KiB of the data area
 * CRC32C of everything but the data area (which the chunk table covers), u32
 * </pre>
 * The entry table follows the data so that a segment is built in place: the open segment's array
 * becomes the stored entry without another copy (see {@link OpenSegment}). Later entries win over
 * earlier ones for the same blocks, within a segment and across segments by sequence number.
 * "LVS2" segments (no chunk table, one CRC32C over everything) are still read.
 */
final class Segment {
    static final int MAGIC = 0x4c565333; // "LVS3"
    static final int MAGIC_V2 = 0x4c565332; // "LVS2"
    static final int ENTRY_BYTES = 20;

    enum Kind { DATA, UNMAP }

    record Entry(long lba, long blocks, Kind kind, long dataOffset) {}

    final long seq;
    final List<Entry> entries;
    /** The encoded segment is {@code bytes[0 .. length)}; the data area starts at {@link #dataStart}. */
    final byte[] bytes;
    final int length;
    final int dataStart;
    /** Where the array goes back when nothing reads it (null: a segment read from the store, left to the GC). */
    private final SegmentArrays arrays;
    /** The cache's reference (or the writer's, until the segment is stored) and one per reader outside the lock. */
    private final AtomicInteger refs = new AtomicInteger(1);

    private Segment(long seq, List<Entry> entries, byte[] bytes, int length, int dataStart, SegmentArrays arrays) {
        this.seq = seq;
        this.entries = entries;
        this.bytes = bytes;
        this.length = length;
        this.dataStart = dataStart;
        this.arrays = arrays;
    }

    /** Another reference to a segment that is still referenced (the caller holds the cache's lock). */
    Segment retain() {
        if (arrays != null && refs.getAndIncrement() <= 0) {
            throw new IllegalStateException("segment " + seq + " retained after its array was handed back");
        }
        return this;
    }

    /** Drops a reference; the last one hands the array back for a new open segment. */
    void release() {
        if (arrays == null) return;
        int left = refs.decrementAndGet();
        if (left == 0) arrays.give(bytes);
        else if (left < 0) throw new IllegalStateException("segment " + seq + " released more often than retained");
    }

    /** Bytes before the data area. */
    static int headerBytes(String volumeId) {
        return 4 + 2 + 2 + volumeId.getBytes(StandardCharsets.UTF_8).length + 8 + 8 + 4;
    }

    /** Bytes after a data area of at most {@code dataCapacity} bytes with this many entries. */
    static int trailerBytes(int entries, int dataCapacity) {
        return 4 + entries * ENTRY_BYTES + SegmentChunks.suffixBytes(SegmentChunks.chunksFor(dataCapacity));
    }

    /** Writes the header of a segment whose data area follows it; the data length is set by {@link #seal}. */
    static void writeHeader(byte[] into, String volumeId, long epoch, long seq) {
        byte[] id = volumeId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer.wrap(into).putInt(MAGIC).putShort((short) 3).putShort((short) id.length).put(id).putLong(epoch).putLong(seq).putInt(0);
    }

    /**
     * Completes a segment in place: {@code into} holds the header and {@code dataLength} bytes of
     * data after it, with room for the trailer; the entry table, the chunk table and the CRC are written after the data.
     */
    static Segment seal(byte[] into, int dataStart, long seq, List<Entry> entries, int dataLength, SegmentArrays arrays) {
        ByteBuffer b = ByteBuffer.wrap(into);
        b.putInt(dataStart - 4, dataLength);
        b.position(dataStart + dataLength);
        b.putInt(entries.size());
        for (Entry e : entries) {
            b.putLong(e.lba()).putInt((int) e.blocks()).put((byte) e.kind().ordinal()).put((byte) 0).putShort((short) 0).putInt((int) e.dataOffset());
        }
        SegmentChunks.of(into, dataStart, dataLength).writeTo(b);
        int length = b.position() + 4;
        b.putInt(crcAroundData(into, dataStart, dataLength, length - 4));
        return new Segment(seq, List.copyOf(entries), into, length, dataStart, arrays);
    }

    /** Decodes and verifies a stored segment; throws {@link CorruptSegmentException} if it is not one. */
    static Segment decode(byte[] bytes, String expectedVolumeId, long expectedSeq) {
        try {
            if (bytes.length < 36) throw new CorruptSegmentException("segment " + expectedSeq + " is only " + bytes.length + " bytes");
            int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
            ByteBuffer b = ByteBuffer.wrap(bytes);
            int magic = b.getInt();
            if (magic != MAGIC && magic != MAGIC_V2) throw new CorruptSegmentException("segment " + expectedSeq + " has no segment header");
            if (magic == MAGIC_V2 && stored != crc(bytes, bytes.length - 4)) {
                throw new CorruptSegmentException("segment " + expectedSeq + " fails its CRC32C");
            }
            b.getShort();
            byte[] id = new byte[b.getShort()];
            b.get(id);
            String volumeId = new String(id, StandardCharsets.UTF_8);
            b.getLong(); // epoch: the key already says which writer stored it
            long seq = b.getLong();
            int dataLength = b.getInt();
            int dataStart = b.position();
            if (magic == MAGIC) verifyV3(bytes, dataStart, dataLength, stored, expectedSeq);
            if (!volumeId.equals(expectedVolumeId) || seq != expectedSeq) {
                throw new CorruptSegmentException("segment " + expectedSeq + " belongs to " + volumeId + "/" + seq);
            }
            b.position(dataStart + dataLength);
            int count = b.getInt();
            long tableEnd = b.position() + (long) count * ENTRY_BYTES;
            long expectedEnd = magic == MAGIC ? bytes.length - SegmentChunks.suffixBytes(SegmentChunks.chunksFor(dataLength)) : bytes.length - 4;
            if (count < 0 || tableEnd != expectedEnd) {
                throw new CorruptSegmentException("segment " + expectedSeq + " has a wrong length");
            }
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long lba = b.getLong();
                long blocks = Integer.toUnsignedLong(b.getInt());
                Kind kind = Kind.values()[b.get()];
                b.position(b.position() + 3);
                long offset = Integer.toUnsignedLong(b.getInt());
                if (kind == Kind.DATA && offset + blocks > dataLength) { // blocks >= 1 byte each: a cheap bound
                    throw new CorruptSegmentException("segment " + expectedSeq + " has an entry outside its data");
                }
                entries.add(new Entry(lba, blocks, kind, offset));
            }
            return new Segment(seq, List.copyOf(entries), bytes, bytes.length, dataStart, null);
        } catch (RuntimeException e) {
            if (e instanceof CorruptSegmentException c) throw c;
            throw new CorruptSegmentException("segment " + expectedSeq + " cannot be parsed: " + e);
        }
    }

    /** Checks the CRC around the data area, then the chunk table, then the data against it. */
    private static void verifyV3(byte[] bytes, int dataStart, int dataLength, int stored, long seq) {
        if (dataLength < 0 || (long) dataStart + dataLength > bytes.length - 4) {
            throw new CorruptSegmentException("segment " + seq + " has a wrong length");
        }
        if (stored != crcAroundData(bytes, dataStart, dataLength, bytes.length - 4)) {
            throw new CorruptSegmentException("segment " + seq + " fails its CRC32C");
        }
        SegmentChunks chunks = SegmentChunks.decodeSuffix(bytes, seq);
        if (chunks.dataLength != dataLength || !chunks.matchesData(bytes, dataStart)) {
            throw new CorruptSegmentException("segment " + seq + "'s data fails its chunks' CRC32C");
        }
    }

    /** CRC32C of {@code b[0 .. length)} without the data area, which the chunk table covers. */
    private static int crcAroundData(byte[] b, int dataStart, int dataLength, int length) {
        CRC32C c = new CRC32C();
        c.update(b, 0, dataStart);
        c.update(b, dataStart + dataLength, length - dataStart - dataLength);
        return (int) c.getValue();
    }

    private static int crc(byte[] b, int length) {
        CRC32C c = new CRC32C();
        c.update(b, 0, length);
        return (int) c.getValue();
    }

    static final class CorruptSegmentException extends RuntimeException {
        CorruptSegmentException(String message) {
            super(message);
        }
    }
}
