package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.volume.log.map.MappedRun;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rewrites the live blocks of mostly dead segments (under two thirds live) into the open segment, so that those
 * segments die and are deleted after a later checkpoint: random rewrites then do not grow the stored bytes without
 * bound. Runs only when the volume stores more than 1.5 times its live data, and brings it down to about 1.25 times.
 */
final class Compactor {
    private static final Logger LOG = LogManager.getLogger(Compactor.class);

    private final VolumeState s;
    private final SegmentWriter writer;
    private final ReadPath reads;

    Compactor(VolumeState s, SegmentWriter writer, ReadPath reads) {
        this.s = s;
        this.writer = writer;
        this.reads = reads;
    }

    /** Returns how many segments it emptied (at most {@code maxSegments}). */
    int compact(int maxSegments) throws IOException {
        int emptied = 0;
        for (long seq : candidates(maxSegments)) {
            Segment segment = reads.acquire(seq);
            if (segment == null) continue;
            try {
                ByteBuf bytes = Unpooled.wrappedBuffer(segment.bytes);
                for (Segment.Entry e : segment.entries) {
                    if (e.kind() != Segment.Kind.DATA) continue;
                    s.faults.reached("compact.entry");
                    reads.withPages(e.lba(), e.blocks(), pages -> {
                        s.ensureUsable();
                        for (MappedRun run : s.map.lookup(e.lba(), e.blocks(), pages)) {
                            if (run.seq() != seq) continue; // overwritten since
                            if (s.open.roomInBlocks(s.blockSize) < run.blocks()) writer.seal();
                            writer.append(run.lba(), (int) run.blocks(), bytes, segment.dataStart + (int) run.offset());
                        }
                        return null;
                    });
                }
            } finally {
                segment.release();
            }
            s.faults.reached("compact.moved");
            synchronized (s) {
                s.map.retire(seq); // every block it still held now lives in the open segment
                s.collectGarbage();
            }
            emptied++;
        }
        if (emptied > 0) LOG.debug("Volume '{}': compaction moved the live blocks of {} segment(s)", s.name, emptied);
        return emptied;
    }

    private List<Long> candidates(int maxSegments) throws IOException {
        List<Long> candidates = new ArrayList<>();
        synchronized (s) {
            s.ensureUsable();
            long stored = 0;
            long live = 0;
            for (long seq : s.map.liveSegments()) {
                stored += storedSize(seq);
                live += s.map.liveBlocks(seq) * s.blockSize;
            }
            if (stored <= live * 3 / 2) return candidates;
            long through = s.storedThrough();
            List<Long> byLiveness = new ArrayList<>(s.map.liveSegments());
            byLiveness.removeIf(seq -> seq > through);
            // least live first, as a share of the segment's size (segments sealed early are small),
            // until what would remain is 1.25 times the live data
            byLiveness.sort(Comparator.comparingDouble(this::liveShare));
            long remaining = stored;
            for (long seq : byLiveness) {
                if (liveShare(seq) >= 2.0 / 3 || candidates.size() == maxSegments || remaining <= live * 5 / 4) break;
                candidates.add(seq);
                remaining -= storedSize(seq) - s.map.liveBlocks(seq) * s.blockSize;
            }
        }
        return candidates;
    }

    private long storedSize(long seq) {
        return s.storedSizes.getOrDefault(seq, s.options.segmentBytes());
    }

    private double liveShare(long seq) {
        return (double) s.map.liveBlocks(seq) * s.blockSize / storedSize(seq);
    }
}
