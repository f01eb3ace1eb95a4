package org.elastichadoop.iscsi.volume.log;

import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.volume.log.map.PageStore;

import java.util.concurrent.CompletableFuture;

/** The map's pages as entries of the volume's store. */
final class StorePages implements PageStore {
    private final ImmutableStore store;
    private final String volumeId;

    StorePages(ImmutableStore store, String volumeId) {
        this.store = store;
        this.volumeId = volumeId;
    }

    @Override
    public CompletableFuture<Void> put(long pageId, byte[] bytes) {
        return store.putIfAbsent(VolumeKeys.mapPage(volumeId, pageId), bytes);
    }

    @Override
    public CompletableFuture<byte[]> get(long pageId) {
        return store.get(VolumeKeys.mapPage(volumeId, pageId));
    }

    CompletableFuture<Void> delete(long pageId) {
        return store.delete(VolumeKeys.mapPage(volumeId, pageId));
    }
}
