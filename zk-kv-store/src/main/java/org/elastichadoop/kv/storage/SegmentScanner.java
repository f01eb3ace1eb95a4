package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Walks a segment from its start, verifying every record.
 *
 * <p>A damaged record is skipped when the scan can find where the next one starts: from its own length
 * fields if its header checksum holds (only the value is damaged), otherwise from the first later offset
 * holding a header that passes its checksum. Whatever follows the last valid record is reported as a damaged
 * tail, and the caller decides what that means (a torn write in the last segment, data loss in a sealed one),
 * unless it is all zeros: that is the padding O_DIRECT writes leave after the last record, where nothing was
 * ever written.
 */
final class SegmentScanner {
    private static final Logger log = LogManager.getLogger(SegmentScanner.class);

    private SegmentScanner() {
    }

    /** A verified record; {@code bytes} is the whole record and is valid only during the callback. */
    record ScannedRecord(long offset, RecordHeader header, Key key, ByteBuffer bytes) {
    }

    interface Visitor {
        void record(ScannedRecord record) throws IOException;
    }

    /**
     * @param size         bytes scanned
     * @param validEnd     offset just past the last valid record; everything after it is damaged or incomplete
     * @param skippedBytes damaged bytes skipped between valid records
     * @param tailProblem  what was wrong at {@code validEnd}, if the tail is damaged
     * @param zeroTail     whether every byte after {@code validEnd} is zero
     */
    record Result(long size, long validEnd, long skippedBytes, String tailProblem, boolean zeroTail) {
        boolean hasDamagedTail() {
            return validEnd < size && !zeroTail;
        }

        /** Zeros after the last record: padding, not damage. */
        boolean hasZeroPadding() {
            return validEnd < size && zeroTail;
        }

        long damagedTailBytes() {
            return size - validEnd;
        }
    }

    static Result scan(Segment segment, Visitor visitor) throws IOException {
        PositionalInput in = new PositionalInput(segment, segment.size());
        long pos = 0;
        long validEnd = 0;
        long skipped = 0;
        String problem = null;
        while (pos < in.limit()) {
            Decoded decoded = RecordFormat.decode(in, pos);
            if (decoded.status() == Decoded.Status.VALID) {
                if (pos > validEnd) {
                    log.error("segment {}: skipped {} damaged bytes at offsets [{}, {}) ({})", segment.name(),
                            pos - validEnd, validEnd, pos, problem);
                    skipped += pos - validEnd;
                }
                visitor.record(new ScannedRecord(pos, decoded.header(), decoded.key(), decoded.bytes()));
                pos += decoded.header().recordLength();
                validEnd = pos;
                problem = null;
                continue;
            }
            if (problem == null) {
                problem = decoded.problem() + " at offset " + pos;
            }
            long next = switch (decoded.status()) {
                case BAD_VALUE -> pos + decoded.header().recordLength();
                case BAD_HEADER -> nextTrustedHeader(in, pos + 1);
                default -> -1;
            };
            if (next < 0) {
                break;
            }
            pos = next;
        }
        return new Result(in.limit(), validEnd, skipped, problem, isZero(in, validEnd));
    }

    private static boolean isZero(PositionalInput in, long from) throws IOException {
        for (long pos = from; pos < in.limit(); pos++) {
            if (in.byteAt(pos) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The first offset at or after {@code from} whose header and key pass their checksum, or -1. */
    private static long nextTrustedHeader(PositionalInput in, long from) throws IOException {
        for (long pos = from; pos <= in.limit() - RecordFormat.HEADER_BYTES; pos++) {
            if ((byte) in.byteAt(pos + 4) == RecordFormat.MAGIC
                    && RecordFormat.decode(in, pos).status() != Decoded.Status.BAD_HEADER) {
                return pos;
            }
        }
        return -1;
    }
}
