package org.elastichadoop.iscsi.volume.log.map;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Decoded map pages, bounded in bytes (Caffeine, weighed by each page's size in memory). Pages are immutable, so a
 * cached page never goes stale; concurrent misses of one page share one read of the store.
 */
final class PageCache {
    private final AsyncCache<Long, MapPage> pages;
    private final PageStore store;
    private final int blockSize;

    PageCache(long maxBytes, PageStore store, int blockSize) {
        this.store = store;
        this.blockSize = blockSize;
        this.pages = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Long id, MapPage p) -> p.weight())
                .executor(Runnable::run) // evict on the caller's thread: the bound holds at every moment
                .buildAsync();
    }

    CompletableFuture<MapPage> get(long id) {
        return pages.get(id, (key, executor) -> read(key));
    }

    /** The page if it is in memory now, else null. */
    MapPage getIfPresent(long id) {
        CompletableFuture<MapPage> f = pages.getIfPresent(id);
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
    }

    /** The page from memory or the store, without caching it (merges read every page once). */
    CompletableFuture<MapPage> getPassingBy(long id) {
        MapPage p = getIfPresent(id);
        return p != null ? CompletableFuture.completedFuture(p) : read(id);
    }

    void put(MapPage p) {
        pages.put(p.id, CompletableFuture.completedFuture(p));
    }

    void forget(long id) {
        pages.synchronous().invalidate(id);
    }

    long bytes() {
        return pages.synchronous().policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    private CompletableFuture<MapPage> read(long id) {
        return store.get(id).thenApply(bytes -> {
            if (bytes == null) throw new CompletionException(new IOException("map page " + id + " is missing from the store"));
            return MapPage.decode(id, bytes, blockSize);
        });
    }
}
