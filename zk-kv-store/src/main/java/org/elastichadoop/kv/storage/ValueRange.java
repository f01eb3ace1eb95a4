package org.elastichadoop.kv.storage;

/**
 * Part of a stored value, as returned by {@link LogStore#getRange}: the whole value's length, CRC32C and timestamp,
 * the resolved {@code offset} (at least 0) of {@code bytes} within it, and the bytes (a private copy).
 */
public record ValueRange(int valueLength, int valueCrc, long timestamp, long offset, byte[] bytes) {
}
