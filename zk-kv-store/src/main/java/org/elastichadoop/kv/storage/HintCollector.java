package org.elastichadoop.kv.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The hint entries of the tail segment, gathered as its records are appended, so that its hint file can be
 * written when it is sealed without reading the segment back (with O_DIRECT writes that would be a read from
 * disk, not from the page cache). Entries are kept in hint-file layout. Past a size limit the collector gives
 * up, and the sealed segment is scanned as before.
 */
final class HintCollector {
    static final int MAX_BYTES = 4 << 20;
    private static final int ENTRY_OVERHEAD = Long.BYTES + RecordFormat.HEADER_BYTES;

    private byte[] bytes = new byte[4096];
    private int length;
    private int count;
    private long end;

    /** Adds the record appended at {@code offset}; false if that would pass the limit (drop the collector). */
    boolean add(long offset, ByteBuffer record, RecordHeader header) {
        int entryBytes = ENTRY_OVERHEAD + header.keyLength();
        if (!makeRoom(entryBytes)) {
            return false;
        }
        ByteBuffer.wrap(bytes).putLong(length, offset).put(length + Long.BYTES, record,
                record.position(), RecordFormat.HEADER_BYTES + header.keyLength());
        added(entryBytes, offset + header.recordLength());
        return true;
    }

    /** Adds a record found by a scan; false if that would pass the limit (drop the collector). */
    boolean add(HintFile.Entry entry) {
        int entryBytes = ENTRY_OVERHEAD + entry.key().length();
        if (!makeRoom(entryBytes)) {
            return false;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).putLong(length, entry.offset()).position(length + Long.BYTES);
        RecordFormat.writeHeaderAndKey(buf, entry.header(), entry.key());
        added(entryBytes, entry.offset() + entry.header().recordLength());
        return true;
    }

    int count() {
        return count;
    }

    /** The segment offset just past the last record added. */
    long end() {
        return end;
    }

    /** The entries, in hint-file layout. */
    ByteBuffer entries() {
        return ByteBuffer.wrap(bytes, 0, length).slice();
    }

    private boolean makeRoom(int entryBytes) {
        if (entryBytes > MAX_BYTES - length) {
            return false;
        }
        if (entryBytes > bytes.length - length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_BYTES, Math.max(2L * bytes.length, length + entryBytes)));
        }
        return true;
    }

    private void added(int entryBytes, long recordEnd) {
        length += entryBytes;
        count++;
        end = recordEnd;
    }
}
