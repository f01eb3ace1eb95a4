package org.elastichadoop.kv.storage;

import java.nio.ByteBuffer;

/**
 * The outcome of decoding a record at an offset. {@code header} and {@code key} are set unless the header
 * is untrusted; {@code bytes} (the whole record, valid only until the input is read again) only when VALID.
 */
record Decoded(Status status, String problem, long offset, RecordHeader header, Key key, ByteBuffer bytes) {

    enum Status {
        /** Both checksums match. */
        VALID,
        /** The header or key is damaged or incomplete: its length fields cannot be trusted. */
        BAD_HEADER,
        /** Header and key are intact (so the record's extent is known) but the value is damaged. */
        BAD_VALUE,
        /** Header and key are intact but the value is cut off by the end of the data. */
        TRUNCATED_VALUE
    }

    static Decoded badHeader(long offset, String problem) {
        return new Decoded(Status.BAD_HEADER, problem, offset, null, null, null);
    }
}
