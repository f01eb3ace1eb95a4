package org.elastichadoop.iscsi.volume.log;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * Stored segments kept in memory, least recently used evicted first, bounded in bytes. Segments
 * are immutable, so a cached copy never goes stale; a segment leaves only when evicted or deleted.
 * Concurrent misses of one segment share a single fetch from the store.
 *
 * <p>The cache holds one reference to each segment it keeps ({@link Segment#release} when it lets go); a reader
 * that copies outside the volume's lock takes its own with {@link #acquire}.
 */
final class SegmentCache {
    private final long capacityBytes;
    private final LinkedHashMap<Long, Segment> segments = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<Long, CompletableFuture<Segment>> loading = new HashMap<>();
    private long bytes;
    private long hits;
    private long misses;

    SegmentCache(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    synchronized Segment get(long seq) {
        Segment s = segments.get(seq);
        if (s != null) hits++;
        return s;
    }

    synchronized boolean contains(long seq) {
        return segments.containsKey(seq) || loading.containsKey(seq);
    }

    /** Keeps {@code s}, taking over the caller's reference to it. */
    synchronized void put(Segment s) {
        Segment old = segments.put(s.seq, s);
        if (old != null) dropped(old);
        bytes += s.bytes.length;
        var eldest = segments.entrySet().iterator();
        while (bytes > capacityBytes && eldest.hasNext()) {
            Segment e = eldest.next().getValue();
            if (e == s) break; // the newest stays even when it alone exceeds the bound
            eldest.remove();
            dropped(e);
        }
    }

    synchronized void remove(long seq) {
        Segment old = segments.remove(seq);
        if (old != null) dropped(old);
    }

    private void dropped(Segment s) {
        bytes -= s.bytes.length;
        s.release();
    }

    /**
     * The cached segment, or the fetch of it already under way, or a new fetch by {@code loader}
     * whose result (when not null: the segment exists) is cached.
     */
    CompletableFuture<Segment> load(long seq, LongFunction<CompletableFuture<Segment>> loader) {
        return load(seq, loader, false);
    }

    /**
     * {@link #load}, with a reference for the caller to {@link Segment#release} when done reading the segment's bytes.
     * (A segment fetched from the store is the GC's; only one this volume wrote and cached is referenced here.)
     */
    CompletableFuture<Segment> acquire(long seq, LongFunction<CompletableFuture<Segment>> loader) {
        return load(seq, loader, true);
    }

    private CompletableFuture<Segment> load(long seq, LongFunction<CompletableFuture<Segment>> loader, boolean retain) {
        CompletableFuture<Segment> mine;
        synchronized (this) {
            Segment s = segments.get(seq);
            if (s != null) {
                hits++;
                return CompletableFuture.completedFuture(retain ? s.retain() : s);
            }
            CompletableFuture<Segment> under = loading.get(seq);
            if (under != null) return under;
            misses++;
            mine = new CompletableFuture<>();
            loading.put(seq, mine);
        }
        loader.apply(seq).whenComplete((s, e) -> {
            synchronized (this) {
                loading.remove(seq);
                if (s != null) put(s);
            }
            if (e != null) mine.completeExceptionally(e);
            else mine.complete(s);
        });
        return mine;
    }

    synchronized void clear() {
        for (Segment s : segments.values()) s.release();
        segments.clear();
        bytes = 0;
    }

    synchronized int loadsInFlight() {
        return loading.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Lookups answered from memory and fetches from the store, for metrics and tests. */
    synchronized long[] hitsAndMisses() {
        return new long[] {hits, misses};
    }
}
