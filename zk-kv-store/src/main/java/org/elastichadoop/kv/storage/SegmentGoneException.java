package org.elastichadoop.kv.storage;

import java.io.IOException;

/** A segment was deleted by compaction (or closed with the store) while a reader still pointed at it. */
final class SegmentGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    SegmentGoneException(Segment segment, Throwable cause) {
        super("segment " + segment.name() + " is no longer available", cause);
    }
}
