package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The store's segments in sequence order (oldest first). */
final class SegmentSet {
    private final ConcurrentSkipListMap<Long, Segment> bySequence = new ConcurrentSkipListMap<>();

    void add(Segment segment) {
        bySequence.put(segment.sequence(), segment);
    }

    void remove(Segment segment) {
        bySequence.remove(segment.sequence(), segment);
    }

    boolean isOldest(Segment segment) {
        Map.Entry<Long, Segment> first = bySequence.firstEntry();
        return first != null && first.getValue() == segment;
    }

    List<Segment> snapshot() {
        return new ArrayList<>(bySequence.values());
    }

    int count() {
        return bySequence.size();
    }

    long totalBytes() {
        long total = 0;
        for (Segment segment : bySequence.values()) {
            total += segment.size();
        }
        return total;
    }

    long liveBytes() {
        long live = 0;
        for (Segment segment : bySequence.values()) {
            live += segment.liveBytes();
        }
        return live;
    }

    /** Closes every segment, reporting the first failure after trying them all. */
    void closeAll() throws IOException {
        IOException first = null;
        for (Segment segment : bySequence.values()) {
            try {
                segment.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
