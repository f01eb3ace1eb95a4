package org.elastichadoop.kv.storage;

/** The kinds of record in a segment, with their on-disk codes. */
enum RecordType {
    PUT((byte) 1),
    TOMBSTONE((byte) 2);

    private final byte code;

    RecordType(byte code) {
        this.code = code;
    }

    byte code() {
        return code;
    }

    /** The type with this code, or null if none has it. */
    static RecordType fromCode(byte code) {
        for (RecordType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
