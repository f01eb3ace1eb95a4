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
 * "LVS1" | version u16 | idLength u16 | volume id | epoch u64 | seq u64 | entries u32 | dataLength u32
 * entries: lba u64 | blocks u32 | kind u8 (0 data, 1 unmap) | 3 zero bytes | dataOffset u32   (20 bytes each)
 * data area (dataLength bytes) | CRC32C of everything before, u32
 * </pre>
 * Later entries win over earlier ones for the same blocks, within a segment and across segments by
 * sequence number.
 */
final class Segment {
    static final int MAGIC = 0x4c565331; // "LVS1"
    static final int ENTRY_BYTES = 20;

    enum Kind { DATA, UNMAP }

    record Entry(long lba, long blocks, Kind kind, long dataOffset) {}

    final String volumeId;
    final long epoch;
    final long seq;
    final List<Entry> entries;
    /** The encoded segment; the data area starts at {@link #dataStart}. */
    final byte[] bytes;
    final int dataStart;

    private Segment(String volumeId, long epoch, long seq, List<Entry> entries, byte[] bytes, int dataStart) {
        this.volumeId = volumeId;
        this.epoch = epoch;
        this.seq = seq;
        this.entries = entries;
        this.bytes = bytes;
        this.dataStart = dataStart;
    }

    static int headerBytes(String volumeId, int entries) {
        return 4 + 2 + 2 + volumeId.getBytes(StandardCharsets.UTF_8).length + 8 + 8 + 4 + 4 + entries * ENTRY_BYTES;
    }

    /** Encodes entries and their data (concatenated in entry order) into one segment. */
    static Segment encode(String volumeId, long epoch, long seq, List<Entry> entries, byte[] data, int dataLength) {
        byte[] id = volumeId.getBytes(StandardCharsets.UTF_8);
        int header = headerBytes(volumeId, entries.size());
        ByteBuffer b = ByteBuffer.allocate(header + dataLength + 4);
        b.putInt(MAGIC).putShort((short) 1).putShort((short) id.length).put(id).putLong(epoch).putLong(seq)
                .putInt(entries.size()).putInt(dataLength);
        for (Entry e : entries) {
            b.putLong(e.lba()).putInt((int) e.blocks()).put((byte) e.kind().ordinal()).put(new byte[3]).putInt((int) e.dataOffset());
        }
        b.put(data, 0, dataLength);
        b.putInt(crc(b.array(), b.position()));
        return new Segment(volumeId, epoch, seq, List.copyOf(entries), b.array(), header);
    }

    /** Decodes and verifies a stored segment; throws {@link CorruptSegmentException} if it is not one. */
    static Segment decode(byte[] bytes, String expectedVolumeId, long expectedSeq) {
        try {
            if (bytes.length < 32) throw new CorruptSegmentException("segment " + expectedSeq + " is only " + bytes.length + " bytes");
            int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
            if (stored != crc(bytes, bytes.length - 4)) throw new CorruptSegmentException("segment " + expectedSeq + " fails its CRC32C");
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.getInt() != MAGIC) throw new CorruptSegmentException("segment " + expectedSeq + " has no segment header");
            b.getShort();
            byte[] id = new byte[b.getShort()];
            b.get(id);
            String volumeId = new String(id, StandardCharsets.UTF_8);
            long epoch = b.getLong();
            long seq = b.getLong();
            int count = b.getInt();
            int dataLength = b.getInt();
            if (!volumeId.equals(expectedVolumeId) || seq != expectedSeq) {
                throw new CorruptSegmentException("segment " + expectedSeq + " belongs to " + volumeId + "/" + seq);
            }
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long lba = b.getLong();
                long blocks = Integer.toUnsignedLong(b.getInt());
                Kind kind = Kind.values()[b.get()];
                b.position(b.position() + 3);
                entries.add(new Entry(lba, blocks, kind, Integer.toUnsignedLong(b.getInt())));
            }
            int dataStart = b.position();
            if (dataStart + dataLength + 4 != bytes.length) throw new CorruptSegmentException("segment " + expectedSeq + " has a wrong length");
            return new Segment(volumeId, epoch, seq, entries, bytes, dataStart);
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
