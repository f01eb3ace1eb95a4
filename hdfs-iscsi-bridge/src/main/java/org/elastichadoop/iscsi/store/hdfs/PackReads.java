package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.FileSystem;
import org.elastichadoop.iscsi.store.StoreException;

import java.io.IOException;

/**
 * Reads of a group's values: positional reads of the copy the index names, checked against the value's CRC32C (another
 * copy is read when one is damaged), and read again where compaction moved a value meanwhile. They block: call them
 * off the event loops.
 */
final class PackReads {
    private static final int MOVED_RETRIES = 3;

    private final FileSystem fs;
    private final PackIndex index;

    PackReads(FileSystem fs, PackIndex index) {
        this.fs = fs;
        this.index = index;
    }

    /** The value stored under {@code key}, checked against its CRC32C; null if none. */
    byte[] get(String key) throws IOException {
        return readLive(key, at -> {
            byte[] value = read(at);
            if (value != null) return value;
            byte[] other = otherCopy(key, at.pack());
            if (other != null) return other;
            throw new StoreException(StoreException.Reason.UNAVAILABLE, key + ": the copy in " + at.pack().path + " at "
                    + at.record().valueOffset() + " fails its CRC32C and there is no other");
        });
    }

    /** Bytes {@code [offset, offset + length)} of the value, cut at its end (see ImmutableStore); null if none. Not checked. */
    byte[] getRange(String key, long offset, int length) throws IOException {
        return readLive(key, at -> {
            PackRecord r = at.record();
            long start = offset < 0 ? Math.max(0, r.valueLength() + offset) : Math.min(offset, r.valueLength());
            byte[] part = new byte[(int) Math.min(r.valueLength() - start, length)];
            if (part.length > 0) at.pack().read(fs, r.valueOffset() + start, part, 0, part.length);
            return part;
        });
    }

    /** A good copy of {@code key}'s value in a pack other than {@code damaged}, or null. */
    byte[] otherCopy(String key, Pack damaged) throws IOException {
        for (PackIndex.Located at : index.copies(key, damaged)) {
            byte[] value = read(at);
            if (value != null) return value;
        }
        return null;
    }

    /** The whole value at {@code at}, or null if it fails its CRC32C. */
    byte[] read(PackIndex.Located at) throws IOException {
        PackRecord r = at.record();
        byte[] value = new byte[r.valueLength()];
        at.pack().read(fs, r.valueOffset(), value, 0, value.length);
        return PackFormat.crc(value, 0, value.length) == r.valueCrc() ? value : null;
    }

    private interface Read {
        byte[] read(PackIndex.Located at) throws IOException;
    }

    private byte[] readLive(String key, Read read) throws IOException {
        for (int attempt = 0; ; attempt++) {
            PackIndex.Located at = index.live(key);
            if (at == null) return null;
            try {
                return read.read(at);
            } catch (IOException e) {
                if (!at.pack().gone || attempt >= MOVED_RETRIES) throw e;
            }
        }
    }
}
