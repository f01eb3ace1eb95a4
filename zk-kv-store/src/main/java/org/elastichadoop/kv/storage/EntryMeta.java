package org.elastichadoop.kv.storage;

/**
 * What the index knows about a key, without reading the value. {@code key} is a private copy. For a
 * PROVISIONAL value (accepted by a consensus round, not yet known to be chosen) {@code timestamp} is the
 * ballot it was accepted in.
 */
public record EntryMeta(byte[] key, State state, int valueLength, int valueCrc, long timestamp) {

    public enum State { PRESENT, TOMBSTONE, PROVISIONAL }
}
