package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Rebuilds the index from the segment files when a store opens. Segments are applied oldest first and records
 * in file order, so a later record for a key replaces an earlier one. Sealed segments are read from their hint
 * file when it is valid; the last segment is always scanned in full, and a damaged end of it (a write that
 * never completed) is cut off. Zeros after the last record of a segment are the padding of O_DIRECT writes
 * (left by a crash before the segment was sealed or closed), and are cut off without complaint.
 */
final class Recovery {
    private static final Logger log = LogManager.getLogger(Recovery.class);

    private final Path dir;
    private final KeyIndex index;
    private final SegmentSet segments = new SegmentSet();
    private int fromHints;
    private int scanned;
    private long tornBytesCut;
    private long corruptBytes;

    private Recovery(Path dir, KeyIndex index) {
        this.dir = dir;
        this.index = index;
    }

    /**
     * Everything the store needs to start: its segments (the last one is the tail), the hint entries of the
     * tail's records (null if there are too many) and what was found.
     */
    record Result(SegmentSet segments, Segment tail, HintCollector tailHints, RecoveryReport report) {
    }

    static Result run(Path dir, KeyIndex index) throws IOException {
        return new Recovery(dir, index).run();
    }

    private Result run() throws IOException {
        long started = System.nanoTime();
        try {
            List<Long> sequences = listSegments();
            Segment tail;
            HintCollector tailHints = new HintCollector();
            if (sequences.isEmpty()) {
                tail = Segment.create(dir, 1, 0);
                segments.add(tail);
            } else {
                long base = 0;
                for (int i = 0; i < sequences.size() - 1; i++) {
                    Segment sealed = Segment.open(dir, sequences.get(i), base, false, Segment.State.SEALED);
                    segments.add(sealed);
                    recoverSealed(sealed);
                    base = sealed.endPosition();
                }
                tail = Segment.open(dir, sequences.get(sequences.size() - 1), base, true, Segment.State.ACTIVE);
                segments.add(tail);
                tailHints = recoverTail(tail);
            }
            tail.force();
            FileIo.fsyncDirectory(dir);
            tail.markDirectoryEntryDurable();
            long millis = (System.nanoTime() - started) / 1_000_000;
            RecoveryReport report = new RecoveryReport(segments.count(), fromHints, scanned, tornBytesCut,
                    corruptBytes, millis);
            log.info("opened {}: {} segments ({} from hint files, {} scanned), {} keys present, {} deleted, "
                            + "{} torn bytes cut, {} corrupt bytes skipped, in {} ms", dir, report.segments(),
                    fromHints, scanned, index.presentCount(), index.tombstoneCount(), tornBytesCut, corruptBytes,
                    millis);
            return new Result(segments, tail, tailHints, report);
        } catch (IOException | RuntimeException e) {
            try {
                segments.closeAll();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void recoverSealed(Segment segment) throws IOException {
        List<HintFile.Entry> hints = HintFile.read(segment);
        if (hints != null) {
            for (HintFile.Entry hint : hints) {
                index.recover(hint.key(), new IndexEntry(segment, hint.offset(), hint.header()));
            }
            fromHints++;
            return;
        }
        List<HintFile.Entry> entries = new ArrayList<>();
        SegmentScanner.Result result = scan(segment, entries);
        if (result.hasZeroPadding()) {
            cutPadding(segment, result);
        }
        if (result.hasDamagedTail()) {
            corruptBytes += result.damagedTailBytes();
            log.error("sealed segment {}: its last {} bytes are unreadable ({}); records there are lost",
                    segment.name(), result.damagedTailBytes(), result.tailProblem());
        }
        // A segment without a hint may never have been fsync'd before a crash.
        segment.force();
        HintFile.write(segment, entries);
    }

    /** Returns the hint entries of the tail's valid records, or null if there are too many to keep. */
    private HintCollector recoverTail(Segment tail) throws IOException {
        Files.deleteIfExists(tail.hintPath());
        List<HintFile.Entry> entries = new ArrayList<>();
        SegmentScanner.Result result = scan(tail, entries);
        if (result.hasDamagedTail()) {
            // Nothing valid follows: this is the end of a write that never completed (or never got synced).
            tornBytesCut = result.damagedTailBytes();
            tail.truncate(result.validEnd());
            log.warn("segment {}: torn write ({}); truncated the segment from {} to {} bytes, cutting {} bytes",
                    tail.name(), result.tailProblem(), result.size(), result.validEnd(), tornBytesCut);
        } else if (result.hasZeroPadding()) {
            cutPadding(tail, result);
        }
        HintCollector hints = new HintCollector();
        for (HintFile.Entry entry : entries) {
            if (!hints.add(entry)) {
                return null;
            }
        }
        return hints;
    }

    private static void cutPadding(Segment segment, SegmentScanner.Result result) throws IOException {
        segment.truncate(result.validEnd());
        log.debug("segment {}: cut {} bytes of zero padding after its last record", segment.name(),
                result.size() - result.validEnd());
    }

    /** Indexes every valid record of the segment, also collecting them into {@code entries} unless it is null. */
    private SegmentScanner.Result scan(Segment segment, List<HintFile.Entry> entries) throws IOException {
        scanned++;
        SegmentScanner.Result result = SegmentScanner.scan(segment, record -> {
            index.recover(record.key(), new IndexEntry(segment, record.offset(), record.header()));
            if (entries != null) {
                entries.add(new HintFile.Entry(record.offset(), record.header(), record.key()));
            }
        });
        corruptBytes += result.skippedBytes();
        return result;
    }

    /** Segment sequence numbers in order; removes temporary files and hint files without a segment. */
    private List<Long> listSegments() throws IOException {
        List<Long> sequences = new ArrayList<>();
        Set<Long> hints = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                long segment = Segment.sequenceOf(name, Segment.SEGMENT_SUFFIX);
                long hint = Segment.sequenceOf(name, Segment.HINT_SUFFIX);
                if (segment >= 0) {
                    sequences.add(segment);
                } else if (hint >= 0) {
                    hints.add(hint);
                } else if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                }
            }
        }
        hints.removeAll(sequences);
        for (long orphan : hints) {
            Files.deleteIfExists(dir.resolve(Segment.fileName(orphan, Segment.HINT_SUFFIX)));
        }
        Collections.sort(sequences);
        return sequences;
    }
}
