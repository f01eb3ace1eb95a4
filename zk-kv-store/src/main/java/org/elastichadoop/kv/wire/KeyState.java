package org.elastichadoop.kv.wire;

/** What one node holds for one key. For a PROVISIONAL value {@code timestamp} is the ballot it was accepted in. */
public record KeyState(State state, int valueCrc, int valueLength, long timestamp) {
    public enum State { ABSENT, PRESENT, TOMBSTONE, PROVISIONAL }

    public static final KeyState ABSENT = new KeyState(State.ABSENT, 0, 0, 0);
}
