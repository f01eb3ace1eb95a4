package org.elastichadoop.iscsi.volume.log.map;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many blocks of each segment the map may still point to. Counts rise exactly (a write names its segment) and
 * fall as the map finds blocks replaced: at once within the memtable, and when a merge meets a newer record over
 * an older one. So a count is never below the truth, and a segment whose count reaches 0 is dead for certain.
 * A segment leaves for good when it dies or is retired (compaction moved what was live in it); later news of its
 * blocks is ignored.
 */
final class SegmentUsage {
    private final Map<Long, Long> live = new HashMap<>();
    private final List<Long> died = new ArrayList<>();
    private long total;

    void add(long seq, long blocks) {
        live.merge(seq, blocks, Long::sum);
        total += blocks;
    }

    void subtract(long seq, long blocks) {
        Long before = live.get(seq);
        if (before == null) return;
        long left = before - Math.min(before, blocks);
        total -= before - left;
        if (left == 0) {
            live.remove(seq);
            died.add(seq);
        } else {
            live.put(seq, left);
        }
    }

    /** Compaction moved every live block of {@code seq} elsewhere: it is dead, whatever its count said. */
    void retire(long seq) {
        Long before = live.remove(seq);
        if (before == null) return;
        total -= before;
        died.add(seq);
    }

    long live(long seq) {
        return live.getOrDefault(seq, 0L);
    }

    Set<Long> segments() {
        return live.keySet();
    }

    long totalBlocks() {
        return total;
    }

    /**
     * Segments whose count reached 0 since the previous call and is still 0. (A segment being filled, or replayed
     * after a restart, can lose all its blocks to its own later writes and then gain more.)
     */
    List<Long> drainDied() {
        List<Long> out = new ArrayList<>(died.size());
        for (long seq : died) if (!live.containsKey(seq) && !out.contains(seq)) out.add(seq);
        died.clear();
        return out;
    }

    SegmentUsage copy() {
        SegmentUsage c = new SegmentUsage();
        c.live.putAll(live);
        c.total = total;
        return c;
    }

    void encode(Varints.Writer w) {
        long[] seqs = live.keySet().stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(seqs);
        w.putVarLong(seqs.length);
        long prev = 0;
        for (long s : seqs) {
            w.putVarLong(s - prev).putVarLong(live.get(s));
            prev = s;
        }
    }

    static SegmentUsage decode(Varints.Reader r) {
        SegmentUsage u = new SegmentUsage();
        long n = r.getVarLong();
        long prev = 0;
        for (long i = 0; i < n; i++) {
            long seq = prev + r.getVarLong();
            u.add(seq, r.getVarLong());
            prev = seq;
        }
        return u;
    }
}
