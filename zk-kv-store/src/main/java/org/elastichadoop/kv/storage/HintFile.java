package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The index of a sealed segment, so reopening need not read its values.
 *
 * <pre>
 *  0  int   magic "EHH1"
 *  4  long  length of the segment file it describes
 * 12  int   number of entries
 * 16  entries, in segment order: long record offset, then the record's 24-byte header and key, verbatim
 *  .  int   CRC32C of everything before it
 * </pre>
 *
 * Copying headers verbatim means every entry also carries the record's own header checksum.
 */
final class HintFile {
    private static final Logger log = LogManager.getLogger(HintFile.class);

    private static final int MAGIC = 0x45484831;
    private static final int PREAMBLE_BYTES = 16;
    private static final int TRAILER_BYTES = 4;
    private static final int OFFSET_BYTES = 8;

    private HintFile() {
    }

    record Entry(long offset, RecordHeader header, Key key) {
    }

    /**
     * Writes the hint file of a sealed segment: from the entries collected while it was the tail if they cover
     * all of it, otherwise by scanning it.
     */
    static void writeFor(Segment segment, HintCollector collected) throws IOException {
        if (collected != null && collected.end() == segment.size()) {
            writeFile(segment, collected.count(), collected.entries());
            return;
        }
        List<Entry> entries = new ArrayList<>();
        SegmentScanner.Result result = SegmentScanner.scan(segment,
                r -> entries.add(new Entry(r.offset(), r.header(), r.key())));
        if (result.hasDamagedTail()) {
            log.error("sealed segment {}: its last {} bytes are unreadable ({}); records there are lost",
                    segment.name(), result.damagedTailBytes(), result.tailProblem());
        }
        write(segment, entries);
    }

    /** See {@link #writeFile}. */
    static void write(Segment segment, List<Entry> entries) throws IOException {
        long bytes = 0;
        for (Entry entry : entries) {
            bytes += OFFSET_BYTES + RecordFormat.HEADER_BYTES + entry.key().length();
        }
        if (bytes > RecordFormat.MAX_RECORD_BYTES - PREAMBLE_BYTES - TRAILER_BYTES) {
            log.warn("segment {}: too many records for a hint file; it will be scanned on open", segment.name());
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes);
        for (Entry entry : entries) {
            buf.putLong(entry.offset());
            RecordFormat.writeHeaderAndKey(buf, entry.header(), entry.key());
        }
        writeFile(segment, entries.size(), buf.flip());
    }

    /** Atomically replaces the segment's hint file (write a temporary file, fsync, rename, fsync the directory). */
    private static void writeFile(Segment segment, int count, ByteBuffer entryBytes) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(PREAMBLE_BYTES + entryBytes.remaining() + TRAILER_BYTES);
        buf.putInt(MAGIC).putLong(segment.size()).putInt(count).put(entryBytes);
        buf.putInt(Checksums.crc32c(buf, 0, buf.position()));
        buf.flip();

        Path hint = segment.hintPath();
        Path temporary = hint.resolveSibling(hint.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            FileIo.writeFully(channel, buf, 0);
            channel.force(false);
        }
        Files.move(temporary, hint, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileIo.fsyncDirectory(hint.getParent());
    }

    /** The segment's entries, or null if its hint file is missing, damaged or describes another file length. */
    static List<Entry> read(Segment segment) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(segment.hintPath());
        } catch (NoSuchFileException e) {
            log.info("sealed segment {} has no hint file; scanning it", segment.name());
            return null;
        }
        try {
            return parse(ByteBuffer.wrap(bytes), segment.size());
        } catch (BadHintException e) {
            log.warn("hint file of segment {} is unusable ({}); scanning the segment instead", segment.name(),
                    e.getMessage());
            return null;
        }
    }

    private static List<Entry> parse(ByteBuffer buf, long segmentSize) throws BadHintException {
        int end = buf.limit() - TRAILER_BYTES;
        if (end < PREAMBLE_BYTES) {
            throw new BadHintException("too short");
        }
        if (buf.getInt(0) != MAGIC) {
            throw new BadHintException("bad magic");
        }
        if (Checksums.crc32c(buf, 0, end) != buf.getInt(end)) {
            throw new BadHintException("checksum mismatch");
        }
        if (buf.getLong(4) != segmentSize) {
            throw new BadHintException("it describes " + buf.getLong(4) + " bytes, the segment has " + segmentSize);
        }
        int count = buf.getInt(12);
        List<Entry> entries = new ArrayList<>();
        int pos = PREAMBLE_BYTES;
        long previousEnd = 0;
        for (int i = 0; i < count; i++) {
            if (end - pos < OFFSET_BYTES + RecordFormat.HEADER_BYTES) {
                throw new BadHintException("entry " + i + " is cut short");
            }
            long offset = buf.getLong(pos);
            int headerAt = pos + OFFSET_BYTES;
            RecordHeader header = RecordFormat.parseHeader(buf, headerAt);
            if (header == null || end - headerAt < RecordFormat.HEADER_BYTES + header.keyLength()
                    || !RecordFormat.headerCrcMatches(buf, headerAt, header.keyLength())) {
                throw new BadHintException("entry " + i + " is damaged");
            }
            if (offset < previousEnd || offset + header.recordLength() > segmentSize) {
                throw new BadHintException("entry " + i + " points outside the segment");
            }
            byte[] key = new byte[header.keyLength()];
            buf.get(headerAt + RecordFormat.HEADER_BYTES, key);
            entries.add(new Entry(offset, header, Key.wrap(key)));
            previousEnd = offset + header.recordLength();
            pos = headerAt + RecordFormat.HEADER_BYTES + header.keyLength();
        }
        if (pos != end) {
            throw new BadHintException("entry count does not match its length");
        }
        return entries;
    }

    private static final class BadHintException extends Exception {
        private static final long serialVersionUID = 1L;

        BadHintException(String problem) {
            super(problem, null, false, false);
        }
    }
}
