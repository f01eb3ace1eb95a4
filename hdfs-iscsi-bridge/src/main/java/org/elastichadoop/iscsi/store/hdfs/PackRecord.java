package org.elastichadoop.iscsi.store.hdfs;

/**
 * One record of a pack file as the index knows it: a stored value ({@link Type#PUT}) or a deletion
 * ({@link Type#DELETE}), its key, where the record starts and, for a put, the value's length and CRC32C.
 */
record PackRecord(Type type, String key, long offset, int valueLength, int valueCrc) {

    enum Type {
        PUT(1), DELETE(2);

        final int code;

        Type(int code) {
            this.code = code;
        }

        static Type of(int code) {
            for (Type t : values()) if (t.code == code) return t;
            return null;
        }
    }

    /** Where the value's bytes start in the pack. */
    long valueOffset() {
        return offset + PackFormat.headerLength(key);
    }

    /** The bytes the record takes in the pack. */
    long length() {
        return PackFormat.headerLength(key) + valueLength;
    }
}
