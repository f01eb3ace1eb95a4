package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads which records a closed pack holds: from its index when its writer closed it, else record by record up to
 * the first torn one (a writer killed mid-record leaves one; nothing after it was ever acknowledged).
 */
final class PackReader {
    private static final Logger LOG = LogManager.getLogger(PackReader.class);
    /** One read covers a record's header whenever its key is shorter than this. */
    private static final int HEADER_READ = 512;

    private PackReader() {
    }

    static List<PackRecord> records(FileSystem fs, Path path, long length) throws IOException {
        try (FSDataInputStream in = fs.open(path)) {
            List<PackRecord> indexed = fromIndex(in, length);
            if (indexed != null) return indexed;
            return scan(in, path, length);
        }
    }

    private static List<PackRecord> fromIndex(FSDataInputStream in, long length) throws IOException {
        if (length < PackFormat.MAGIC.length + PackFormat.TRAILER) return null;
        byte[] trailer = new byte[PackFormat.TRAILER];
        in.readFully(length - trailer.length, trailer, 0, trailer.length);
        long indexOffset = PackFormat.indexOffset(trailer);
        if (indexOffset < PackFormat.MAGIC.length || indexOffset > length - trailer.length
                || length - indexOffset > Integer.MAX_VALUE) return null;
        byte[] index = new byte[(int) (length - indexOffset)];
        in.readFully(indexOffset, index, 0, index.length);
        return PackFormat.parseIndex(index);
    }

    private static List<PackRecord> scan(FSDataInputStream in, Path path, long length) throws IOException {
        List<PackRecord> records = new ArrayList<>();
        if (length < PackFormat.MAGIC.length) return records;
        byte[] magic = new byte[PackFormat.MAGIC.length];
        in.readFully(0, magic, 0, magic.length);
        if (!Arrays.equals(magic, PackFormat.MAGIC)) throw new IOException(path + " is not a pack file (no " + new String(PackFormat.MAGIC) + ")");
        long position = magic.length;
        while (position + PackFormat.FIXED_HEADER <= length) {
            byte[] head = new byte[(int) Math.min(HEADER_READ, length - position)];
            in.readFully(position, head, 0, head.length);
            int keyLength = PackFormat.keyLength(head);
            if (keyLength < 0 || position + PackFormat.FIXED_HEADER + keyLength > length) break;
            byte[] header = Arrays.copyOf(head, PackFormat.FIXED_HEADER + keyLength);
            if (header.length > head.length) in.readFully(position, header, 0, header.length);
            PackRecord r = PackFormat.parseHeader(header, position);
            if (r == null || position + r.length() > length) break;
            records.add(r);
            position += r.length();
        }
        if (position < length) {
            LOG.info("{}: {} records read; the {} bytes after them are a torn record its writer never finished (ignored)",
                    path, records.size(), length - position);
        }
        return records;
    }
}
