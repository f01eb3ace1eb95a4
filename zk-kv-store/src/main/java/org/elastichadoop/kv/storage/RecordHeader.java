package org.elastichadoop.kv.storage;

/** The fields of a record's fixed header (its own checksum aside). */
record RecordHeader(RecordType type, int keyLength, int valueLength, long timestamp, int valueCrc) {

    static RecordHeader put(int keyLength, int valueLength, long timestamp, int valueCrc) {
        return new RecordHeader(RecordType.PUT, keyLength, valueLength, timestamp, valueCrc);
    }

    static RecordHeader tombstone(int keyLength, long timestamp) {
        return new RecordHeader(RecordType.TOMBSTONE, keyLength, 0, timestamp, 0);
    }

    static RecordHeader accepted(int keyLength, int valueLength, long ballot, int valueCrc) {
        return new RecordHeader(RecordType.ACCEPTED, keyLength, valueLength, ballot, valueCrc);
    }

    static RecordHeader marker(RecordType type, int keyLength, long timestampOrBallot) {
        return new RecordHeader(type, keyLength, 0, timestampOrBallot, 0);
    }

    /** Header, key and value; {@link RecordFormat#parseHeader} guarantees this fits an int. */
    int recordLength() {
        return RecordFormat.HEADER_BYTES + keyLength + valueLength;
    }
}
