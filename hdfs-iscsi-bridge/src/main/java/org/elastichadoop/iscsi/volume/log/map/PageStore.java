package org.elastichadoop.iscsi.volume.log.map;

import java.util.concurrent.CompletableFuture;

/** Where the map's pages are kept: immutable bytes by page id (the volume's store, under keys of its own). */
public interface PageStore {
    CompletableFuture<Void> put(long pageId, byte[] bytes);

    /** The page's bytes, or null if there is no such page. */
    CompletableFuture<byte[]> get(long pageId);
}
