package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.FSDataOutputStream;

import java.io.IOException;

/**
 * Appends records to the open pack. {@link #sync} makes what was appended durable (HDFS {@code hsync}: on every
 * DataNode of the pipeline's disks, or {@code hflush}: in their memory, as configured); {@link #finish} appends the
 * index and closes the file, which is then immutable.
 */
final class PackWriter {
    final Pack pack;
    private final FSDataOutputStream out;
    private final boolean hsync;

    private PackWriter(Pack pack, FSDataOutputStream out, boolean hsync) {
        this.pack = pack;
        this.out = out;
        this.hsync = hsync;
    }

    /** Starts the pack in {@code out}, its file just created: its magic, synced; on failure the file is closed as it stands. */
    static PackWriter start(Pack pack, FSDataOutputStream out, boolean hsync) throws IOException {
        try {
            out.write(PackFormat.MAGIC);
            if (hsync) out.hsync();
            else out.hflush();
        } catch (IOException e) {
            out.close();
            throw e;
        }
        pack.open = true;
        return new PackWriter(pack, out, hsync);
    }

    /** Appends a put of {@code value[0, length)} (or a delete, with no value); the record is the pack's once synced. */
    PackRecord append(PackRecord.Type type, String key, byte[] value, int length) throws IOException {
        int crc = type == PackRecord.Type.PUT ? PackFormat.crc(value, 0, length) : 0;
        return append(type, key, value, length, crc);
    }

    /** As {@link #append(PackRecord.Type, String, byte[], int)}, with the value's CRC32C already known (a copy). */
    PackRecord append(PackRecord.Type type, String key, byte[] value, int length, int crc) throws IOException {
        int valueLength = type == PackRecord.Type.PUT ? length : 0;
        long offset = out.getPos();
        out.write(PackFormat.header(type, key, valueLength, crc));
        if (valueLength > 0) out.write(value, 0, valueLength);
        return new PackRecord(type, key, offset, valueLength, crc);
    }

    void sync() throws IOException {
        if (hsync) out.hsync();
        else out.hflush();
    }

    long length() throws IOException {
        return out.getPos();
    }

    /** Appends the index of {@code pack}'s records and closes the file. */
    void finish() throws IOException {
        out.write(PackFormat.index(pack.records, out.getPos()));
        out.close();
        pack.open = false;
    }

    /** Closes the file without an index (after a failure); a reader reads it record by record. */
    void abandon() {
        pack.open = false;
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // the stream already failed; whatever was synced stays in the file
        }
    }
}
