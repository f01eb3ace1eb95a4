package org.elastichadoop.it.history;

/**
 * One operation of a recorded history: who did what to which key, when it was invoked and when its
 * answer came (System.nanoTime of the recording process), and the answer.
 *
 * @param value for a put, the bytes it offered; for a read that found an entry, the bytes it got (a digest
 *              is enough: equal values, equal strings)
 */
public record Event(String client, Kind kind, String key, String value, long invokedNanos, long completedNanos, Outcome outcome) {

    public enum Kind { PUT, GET }

    /**
     * PUT: ACKNOWLEDGED, REFUSED (the store said the key holds other bytes: the put did not happen), or
     * UNKNOWN (timeout, lost connection, unavailable: it may or may not have happened).
     * GET: FOUND (with {@link #value}), NO_ENTRY, or UNKNOWN (no answer the client could rely on).
     */
    public enum Outcome { ACKNOWLEDGED, REFUSED, UNKNOWN, FOUND, NO_ENTRY }

    public boolean isPut() {
        return kind == Kind.PUT;
    }

    @Override
    public String toString() {
        return client + " " + kind + " " + key + (value != null ? "=" + value : "") + " -> " + outcome + " [" + invokedNanos / 1_000_000
                + ".." + completedNanos / 1_000_000 + " ms]";
    }
}
