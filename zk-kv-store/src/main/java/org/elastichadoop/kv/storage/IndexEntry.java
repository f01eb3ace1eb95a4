package org.elastichadoop.kv.storage;

/**
 * Where a key's newest record lives, with the header fields needed to answer without reading it. An ACCEPTED
 * record that a later COMMIT confirmed keeps pointing at the ACCEPTED record, with {@code committedAt} set to
 * the commit's time (0 while it is provisional).
 */
record IndexEntry(Segment segment, long offset, int recordLength, RecordType type, int valueLength, int valueCrc,
                  long timestamp, long committedAt) {

    IndexEntry(Segment segment, long offset, RecordHeader header) {
        this(segment, offset, header.recordLength(), header.type(), header.valueLength(), header.valueCrc(),
                header.timestamp(), 0);
    }

    boolean isTombstone() {
        return type == RecordType.TOMBSTONE;
    }

    boolean holdsValue() {
        return type == RecordType.PUT || type == RecordType.ACCEPTED;
    }

    /** A value that is the key's value: written as such, or accepted and then committed. */
    boolean isCommittedValue() {
        return type == RecordType.PUT || (type == RecordType.ACCEPTED && committedAt != 0);
    }

    boolean isProvisional() {
        return type == RecordType.ACCEPTED && committedAt == 0;
    }

    /** The ballot of an ACCEPTED or PROMISE record. */
    long ballot() {
        return timestamp;
    }

    /** When the value became the key's value, as far as this store knows. */
    long valueTimestamp() {
        return type == RecordType.ACCEPTED ? committedAt : timestamp;
    }

    IndexEntry committed(long at) {
        return new IndexEntry(segment, offset, recordLength, type, valueLength, valueCrc, timestamp, at);
    }

    /** The store-wide position just past the record: once the store is durable up to here, so is the record. */
    long endPosition() {
        return segment.basePosition() + offset + recordLength;
    }

    EntryMeta toMeta(Key key) {
        if (isTombstone()) {
            return new EntryMeta(key.toByteArray(), EntryMeta.State.TOMBSTONE, 0, 0, timestamp);
        }
        if (isProvisional()) {
            return new EntryMeta(key.toByteArray(), EntryMeta.State.PROVISIONAL, valueLength, valueCrc, ballot());
        }
        return new EntryMeta(key.toByteArray(), EntryMeta.State.PRESENT, valueLength, valueCrc, valueTimestamp());
    }

    String describe() {
        return type + " record at offset " + offset + " of segment " + segment.name();
    }
}
