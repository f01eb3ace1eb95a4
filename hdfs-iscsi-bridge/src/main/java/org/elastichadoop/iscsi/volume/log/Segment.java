package org.elastichadoop.iscsi.volume.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One immutable log segment: the writes a volume gathered, in order, with their blocks.
 *
 * <pre>
 * "LVS2" | version u16 | idLength u16 | volume id | epoch u64 | seq u64 | dataLength u32
 * data area (dataLength bytes)
 * entries u32 | entries: lba u64 | blocks u32 | kind u8 (0 data, 1 unmap) | 3 zero bytes | dataOffset u32   (20 bytes each)
 * CRC32C of everything before, u32
 * </pre>
 * The entry table follows the data so that a segment is built in place: the open segment's array
 * becomes the stored entry without another copy (see {@link OpenSegment}). Later entries win over
 * earlier ones for the same blocks, within a segment and across segments by sequence number.
 */
final class Segment {
    static final int MAGIC = 0x4c565332; // "LVS2"
    static final int ENTRY_BYTES = 20;

    enum Kind { DATA, UNMAP }

    record Entry(long lba, long blocks, Kind kind, long dataOffset) {}

    final long seq;
    final List<Entry> entries;
    /** The encoded segment is {@code bytes[0 .. length)}; the data area starts at {@link #dataStart}. */
    final byte[] bytes;
    final int length;
    final int dataStart;

    private Segment(long seq, List<Entry> entries, byte[] bytes, int length, int dataStart) {
        this.seq = seq;
        this.entries = entries;
        this.bytes = bytes;
        this.length = length;
        this.dataStart = dataStart;
    }

    /** Bytes before the data area. */
    static int headerBytes(String volumeId) {
        return 4 + 2 + 2 + volumeId.getBytes(StandardCharsets.UTF_8).length + 8 + 8 + 4;
    }

    /** Bytes after the data area for this many entries. */
    static int trailerBytes(int entries) {
        return 4 + entries * ENTRY_BYTES + 4;
    }

    /** Writes the header of a segment whose data area follows it; the data length is set by {@link #seal}. */
    static void writeHeader(byte[] into, String volumeId, long epoch, long seq) {
        byte[] id = volumeId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer.wrap(into).putInt(MAGIC).putShort((short) 2).putShort((short) id.length).put(id).putLong(epoch).putLong(seq).putInt(0);
    }

    /**
     * Completes a segment in place: {@code into} holds the header and {@code dataLength} bytes of
     * data after it, with room for the trailer; the entry table and the CRC are written after the data.
     */
    static Segment seal(byte[] into, int dataStart, long seq, List<Entry> entries, int dataLength) {
        ByteBuffer b = ByteBuffer.wrap(into);
        b.putInt(dataStart - 4, dataLength);
        b.position(dataStart + dataLength);
        b.putInt(entries.size());
        for (Entry e : entries) {
            b.putLong(e.lba()).putInt((int) e.blocks()).put((byte) e.kind().ordinal()).put((byte) 0).putShort((short) 0).putInt((int) e.dataOffset());
        }
        int length = b.position() + 4;
        b.putInt(crc(into, length - 4));
        return new Segment(seq, List.copyOf(entries), into, length, dataStart);
    }

    /** Decodes and verifies a stored segment; throws {@link CorruptSegmentException} if it is not one. */
    static Segment decode(byte[] bytes, String expectedVolumeId, long expectedSeq) {
        try {
            if (bytes.length < 36) throw new CorruptSegmentException("segment " + expectedSeq + " is only " + bytes.length + " bytes");
            int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
            if (stored != crc(bytes, bytes.length - 4)) throw new CorruptSegmentException("segment " + expectedSeq + " fails its CRC32C");
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.getInt() != MAGIC) throw new CorruptSegmentException("segment " + expectedSeq + " has no segment header");
            b.getShort();
            byte[] id = new byte[b.getShort()];
            b.get(id);
            String volumeId = new String(id, StandardCharsets.UTF_8);
            b.getLong(); // epoch: the key already says which writer stored it
            long seq = b.getLong();
            int dataLength = b.getInt();
            if (!volumeId.equals(expectedVolumeId) || seq != expectedSeq) {
                throw new CorruptSegmentException("segment " + expectedSeq + " belongs to " + volumeId + "/" + seq);
            }
            int dataStart = b.position();
            b.position(dataStart + dataLength);
            int count = b.getInt();
            if (b.position() + (long) count * ENTRY_BYTES + 4 != bytes.length) {
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
            return new Segment(seq, List.copyOf(entries), bytes, bytes.length, dataStart);
        } catch (RuntimeException e) {
            if (e instanceof CorruptSegmentException c) throw c;
            throw new CorruptSegmentException("segment " + expectedSeq + " cannot be parsed: " + e);
        }
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
