package org.elastichadoop.iscsi.volume.log.map;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Map pages in memory, counting what is written and read. */
final class MemoryPages implements PageStore {
    final Map<Long, byte[]> pages = new ConcurrentHashMap<>();
    final AtomicLong bytesWritten = new AtomicLong();
    final AtomicLong gets = new AtomicLong();

    @Override
    public CompletableFuture<Void> put(long pageId, byte[] bytes) {
        byte[] before = pages.putIfAbsent(pageId, bytes);
        if (before != null) return CompletableFuture.failedFuture(new IllegalStateException("page " + pageId + " stored twice"));
        bytesWritten.addAndGet(bytes.length);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<byte[]> get(long pageId) {
        gets.incrementAndGet();
        return CompletableFuture.completedFuture(pages.get(pageId));
    }

    void delete(long pageId) {
        pages.remove(pageId);
    }
}
