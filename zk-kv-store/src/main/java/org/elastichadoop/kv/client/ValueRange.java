package org.elastichadoop.kv.client;

/**
 * Part of a key's value, as {@link KvClient#getRange} returns it: the whole value's length and CRC32C, when it
 * became the key's value (ms; 0 when the coordinator read it from other replicas), the {@code offset} of
 * {@code bytes} within the value (resolved: at least 0), and the bytes.
 *
 * <p>The bytes are not checked against {@code valueCrc}, which covers the whole value: see {@link KvClient#getRange}.
 */
public record ValueRange(int valueLength, int valueCrc, long timestamp, long offset, byte[] bytes) {
}
