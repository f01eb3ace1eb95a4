package org.elastichadoop.kv.storage;

/**
 * A point-in-time view of a store, read without locking (fields may be mutually a little stale).
 *
 * @param entries    keys that currently hold a value
 * @param tombstones keys that are currently deleted
 * @param liveBytes  bytes of the records the index points at (values and tombstones)
 * @param totalBytes bytes of all segment files
 * @param segments   number of segment files
 * @param syncs      fsyncs issued by the group commit thread since open (segment files and the directory)
 * @param appends    records appended since open, including compaction copies
 */
public record StoreStats(long entries, long tombstones, long liveBytes, long totalBytes, int segments,
                         long syncs, long appends) {
}
