package org.elastichadoop.iscsi.volume.log.map;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges consecutive runs into one: for every block the newest run's record wins, and what it hides in the older
 * runs is counted as dead (per segment), which is how the map learns that blocks were overwritten. Holes are kept
 * unless the oldest run of the map takes part (nothing older is left for them to hide).
 */
final class RunMerger {
    interface PageLoader {
        MapPage load(long pageId) throws IOException;
    }

    /** Takes the merged records in LBA order. */
    interface Sink {
        void add(MappedRun r) throws IOException;
    }

    private final int blockSize;
    private final PageLoader loader;

    RunMerger(int blockSize, PageLoader loader) {
        this.blockSize = blockSize;
        this.loader = loader;
    }

    /** Merges {@code runs} (newest first) into {@code out}; returns the blocks found dead, per segment. */
    Map<Long, Long> merge(List<MapRun> runs, boolean dropHoles, Sink out) throws IOException {
        List<Cursor> cursors = new ArrayList<>(runs.size());
        for (MapRun r : runs) cursors.add(new Cursor(r));
        Map<Long, Long> dead = new HashMap<>();
        long pos = Long.MIN_VALUE;
        while (true) {
            int winner = -1;
            long nextStart = Long.MAX_VALUE;
            for (int i = 0; i < cursors.size(); i++) {
                Cursor c = cursors.get(i);
                c.clipTo(pos);
                if (c.head == null) continue;
                if (winner < 0 && c.head.lba() <= pos) winner = i;
                nextStart = Math.min(nextStart, c.head.lba());
            }
            if (nextStart == Long.MAX_VALUE) break;
            if (winner < 0) {
                pos = nextStart;
                continue;
            }
            Cursor w = cursors.get(winner);
            long until = w.head.end();
            for (int i = 0; i < winner; i++) {
                MappedRun h = cursors.get(i).head;
                if (h != null) until = Math.min(until, h.lba());
            }
            MappedRun piece = w.head.slice(pos, until, blockSize);
            if (!(piece.isHole() && dropHoles)) out.add(piece);
            for (int j = winner + 1; j < cursors.size(); j++) cursors.get(j).hidden(pos, until, dead);
            pos = until;
        }
        return dead;
    }

    /** Reads one run record by record, a page at a time; its head may be clipped on the left. */
    private final class Cursor {
        private final MapRun run;
        private int page = -1;
        private MapPage current;
        private int index;
        MappedRun head;

        Cursor(MapRun run) throws IOException {
            this.run = run;
            next();
        }

        private void next() throws IOException {
            while (current == null || ++index >= current.count()) {
                if (++page >= run.pages()) {
                    head = null;
                    current = null;
                    return;
                }
                current = loader.load(run.pageId(page));
                index = -1;
            }
            head = current.get(index);
        }

        void clipTo(long pos) throws IOException {
            while (head != null && head.end() <= pos) next();
            if (head != null && head.lba() < pos) head = head.slice(pos, head.end(), blockSize);
        }

        /** Counts and skips what this (older) run has in {@code [from, to)}: a newer record hides it. */
        void hidden(long from, long to, Map<Long, Long> dead) throws IOException {
            while (head != null && head.lba() < to) {
                long overlap = Math.min(head.end(), to) - Math.max(head.lba(), from);
                if (!head.isHole() && overlap > 0) dead.merge(head.seq(), overlap, Long::sum);
                if (head.end() <= to) {
                    next();
                } else {
                    head = head.slice(to, head.end(), blockSize);
                    return;
                }
            }
        }
    }
}
