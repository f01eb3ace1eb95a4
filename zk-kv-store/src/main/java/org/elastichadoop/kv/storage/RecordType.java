package org.elastichadoop.kv.storage;

/**
 * The kinds of record in a segment, with their on-disk codes. PUT holds a value known to be the key's value;
 * ACCEPTED holds a value a consensus round proposed, which counts only once COMMIT follows it (or a reader
 * learns from the other replicas that it was chosen); PROMISE records a ballot this replica promised not to go
 * below. In ACCEPTED and PROMISE records the timestamp field holds the ballot.
 */
enum RecordType {
    PUT((byte) 1),
    TOMBSTONE((byte) 2),
    ACCEPTED((byte) 3),
    PROMISE((byte) 4),
    COMMIT((byte) 5);

    private static final RecordType[] ALL = values();

    private final byte code;

    RecordType(byte code) {
        this.code = code;
    }

    /** Records that carry no value bytes. */
    boolean isMarker() {
        return this == TOMBSTONE || this == PROMISE || this == COMMIT;
    }

    byte code() {
        return code;
    }

    /** The type with this code, or null if none has it. */
    static RecordType fromCode(byte code) {
        for (RecordType type : ALL) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
