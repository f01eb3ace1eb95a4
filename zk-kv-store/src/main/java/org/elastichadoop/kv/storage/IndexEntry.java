package org.elastichadoop.kv.storage;

/** Where a key's newest record lives, with the header fields needed to answer without reading it. */
record IndexEntry(Segment segment, long offset, int recordLength, RecordType type, int valueLength, int valueCrc,
                  long timestamp) {

    IndexEntry(Segment segment, long offset, RecordHeader header) {
        this(segment, offset, header.recordLength(), header.type(), header.valueLength(), header.valueCrc(),
                header.timestamp());
    }

    boolean isTombstone() {
        return type == RecordType.TOMBSTONE;
    }

    /** The store-wide position just past the record: once the store is durable up to here, so is the record. */
    long endPosition() {
        return segment.basePosition() + offset + recordLength;
    }

    EntryMeta toMeta(Key key) {
        EntryMeta.State state = isTombstone() ? EntryMeta.State.TOMBSTONE : EntryMeta.State.PRESENT;
        return new EntryMeta(key.toByteArray(), state, valueLength, valueCrc, timestamp);
    }

    String describe() {
        return type + " record at offset " + offset + " of segment " + segment.name();
    }
}
