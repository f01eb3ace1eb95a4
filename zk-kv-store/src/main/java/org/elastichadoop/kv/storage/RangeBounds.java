package org.elastichadoop.kv.storage;

/**
 * The part of a value a ranged read returns: {@code length} bytes from {@code offset}, both resolved against the
 * value's length. The one place the clamping rules live; the store and the node's coordinator both use it.
 */
public record RangeBounds(int offset, int length) {

    public RangeBounds {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") is negative");
        }
    }

    /**
     * Resolves a request for {@code length} bytes from {@code offset} of a value of {@code valueLength} bytes. A
     * negative offset counts from the end ({@code -n}: the last n bytes, from 0 if the value is shorter); the range
     * is cut at the value's end, and an offset at or past the end gives an empty range there.
     */
    public static RangeBounds of(long offset, int length, int valueLength) {
        if (length < 0) {
            throw new IllegalArgumentException("range length " + length + " is negative");
        }
        if (valueLength < 0) {
            throw new IllegalArgumentException("value length " + valueLength + " is negative");
        }
        long from = offset < 0 ? Math.max(0, valueLength + offset) : Math.min(offset, valueLength);
        long to = Math.min(valueLength, from + length);
        return new RangeBounds((int) from, (int) (to - from));
    }

    /** The resolved offset just past the range. */
    public int end() {
        return offset + length;
    }
}
