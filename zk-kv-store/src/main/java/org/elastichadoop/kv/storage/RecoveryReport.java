package org.elastichadoop.kv.storage;

/**
 * What {@link LogStore#open} found on disk.
 *
 * @param segments            segment files opened
 * @param segmentsFromHints   sealed segments indexed from their hint file, without reading values
 * @param segmentsScanned     segments indexed by reading and verifying every record (always includes the last)
 * @param tornBytesCut        bytes cut from the end of the last segment (an interrupted write)
 * @param corruptBytesSkipped bytes that failed verification elsewhere and were ignored
 * @param millis              time spent recovering
 */
public record RecoveryReport(int segments, int segmentsFromHints, int segmentsScanned, long tornBytesCut,
                             long corruptBytesSkipped, long millis) {
}
