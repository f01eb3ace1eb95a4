package org.elastichadoop.kv.storage;

/** What the index knows about a key, without reading the value. {@code key} is a private copy. */
public record EntryMeta(byte[] key, State state, int valueLength, int valueCrc, long timestamp) {

    public enum State { PRESENT, TOMBSTONE }
}
