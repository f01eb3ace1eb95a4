package org.elastichadoop.iscsi.volume.log.map;

import java.util.List;
import java.util.zip.CRC32C;

/**
 * One immutable page of a run: records in LBA order, never overlapping, mappings and holes.
 *
 * <pre>
 * "LVP1" | page id varint | count varint | per record: gap from the previous record's end varint | blocks varint
 *        | segment delta from the previous record's, zigzag varint (holes: segment -1) | offset in blocks varint
 *        | CRC32C of everything before, u32
 * </pre>
 * About 6-8 bytes a record for random 4 KiB writes; decoded, 32 bytes a record.
 */
final class MapPage {
    static final int MAGIC = 0x4c565031; // "LVP1"
    private static final int DECODED_BYTES_PER_RECORD = 32;

    final long id;
    private final long[] lba;
    private final long[] blocks;
    private final long[] seq;
    private final long[] offset;

    private MapPage(long id, long[] lba, long[] blocks, long[] seq, long[] offset) {
        this.id = id;
        this.lba = lba;
        this.blocks = blocks;
        this.seq = seq;
        this.offset = offset;
    }

    static MapPage of(long id, List<MappedRun> records) {
        int n = records.size();
        long[] lba = new long[n];
        long[] blocks = new long[n];
        long[] seq = new long[n];
        long[] offset = new long[n];
        for (int i = 0; i < n; i++) {
            MappedRun r = records.get(i);
            lba[i] = r.lba();
            blocks[i] = r.blocks();
            seq[i] = r.seq();
            offset[i] = r.offset();
        }
        return new MapPage(id, lba, blocks, seq, offset);
    }

    static byte[] encode(long id, List<MappedRun> records, int blockSize) {
        Varints.Writer w = new Varints.Writer(16 + records.size() * 8);
        w.putInt(MAGIC).putVarLong(id).putVarLong(records.size());
        long prevEnd = 0;
        long prevSeq = 0;
        for (MappedRun r : records) {
            if (r.lba() < prevEnd) throw new IllegalArgumentException("records out of order at LBA " + r.lba());
            if (r.offset() % blockSize != 0) throw new IllegalArgumentException("offset " + r.offset() + " is not a whole block");
            w.putVarLong(r.lba() - prevEnd).putVarLong(r.blocks()).putSignedVarLong(r.seq() - prevSeq).putVarLong(r.offset() / blockSize);
            prevEnd = r.end();
            prevSeq = r.seq();
        }
        CRC32C crc = new CRC32C();
        crc.update(w.array(), 0, w.length());
        w.putInt((int) crc.getValue());
        return w.toArray();
    }

    /** Decodes and checks a stored page; throws {@link CorruptPageException} if it is not page {@code id}. */
    static MapPage decode(long id, byte[] bytes, int blockSize) {
        try {
            if (bytes.length < 10) throw new CorruptPageException("map page " + id + " is only " + bytes.length + " bytes");
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - 4);
            Varints.Reader r = new Varints.Reader(bytes, 0, bytes.length);
            Varints.Reader tail = new Varints.Reader(bytes, bytes.length - 4, bytes.length);
            if (tail.getInt() != (int) crc.getValue()) throw new CorruptPageException("map page " + id + " fails its CRC32C");
            if (r.getInt() != MAGIC) throw new CorruptPageException("map page " + id + " has no page header");
            long stored = r.getVarLong();
            if (stored != id) throw new CorruptPageException("map page " + id + " holds page " + stored);
            int n = Math.toIntExact(r.getVarLong());
            if (n > bytes.length) throw new CorruptPageException("map page " + id + " claims " + n + " records");
            long[] lba = new long[n];
            long[] blocks = new long[n];
            long[] seq = new long[n];
            long[] offset = new long[n];
            long prevEnd = 0;
            long prevSeq = 0;
            for (int i = 0; i < n; i++) {
                lba[i] = prevEnd + r.getVarLong();
                blocks[i] = r.getVarLong();
                seq[i] = prevSeq + r.getSignedVarLong();
                offset[i] = r.getVarLong() * blockSize;
                prevEnd = lba[i] + blocks[i];
                prevSeq = seq[i];
            }
            if (r.position() != bytes.length - 4) throw new CorruptPageException("map page " + id + " has a wrong length");
            return new MapPage(id, lba, blocks, seq, offset);
        } catch (RuntimeException e) {
            if (e instanceof CorruptPageException c) throw c;
            throw new CorruptPageException("map page " + id + " cannot be parsed: " + e);
        }
    }

    int count() {
        return lba.length;
    }

    MappedRun get(int i) {
        return new MappedRun(lba[i], blocks[i], seq[i], offset[i]);
    }

    /** Bytes this page takes in memory, for the cache's bound. */
    int weight() {
        return 64 + lba.length * DECODED_BYTES_PER_RECORD;
    }

    /** The index of the first record ending after {@code at}; {@link #count()} if none. */
    int firstEndingAfter(long at) {
        int lo = 0;
        int hi = lba.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lba[mid] + blocks[mid] > at) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** Appends the records overlapping {@code [from, to)}, clipped to it, in LBA order. */
    void collect(long from, long to, int blockSize, List<MappedRun> out) {
        for (int i = firstEndingAfter(from); i < lba.length && lba[i] < to; i++) {
            MappedRun r = get(i);
            out.add(r.lba() < from || r.end() > to ? r.slice(Math.max(from, r.lba()), Math.min(to, r.end()), blockSize) : r);
        }
    }

    static final class CorruptPageException extends RuntimeException {
        CorruptPageException(String message) {
            super(message);
        }
    }
}
