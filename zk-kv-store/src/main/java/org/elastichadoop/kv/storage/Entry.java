package org.elastichadoop.kv.storage;

/** A stored value as returned by {@link LogStore#get}; the arrays are private copies. */
public record Entry(byte[] key, byte[] value, int valueCrc, long timestamp) {
}
