package org.elastichadoop.iscsi.volume.log;

import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.store.StoreException;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Creating and resizing log-structured volumes in a catalog (the admin side of {@link LogVolume}). */
public final class LogVolumes {
    private LogVolumes() {}

    /** Records a new, empty volume on the zk-kv-store cluster; nothing is stored until a bridge opens and writes it. */
    public static VolumeRecord create(VolumeCatalog catalog, String name, long sizeBytes, int blockSize) {
        return create(catalog, name, sizeBytes, blockSize, null);
    }

    /** Records a new, empty volume kept in {@code store} (a store URI; null: the zk-kv-store cluster). */
    public static VolumeRecord create(VolumeCatalog catalog, String name, long sizeBytes, int blockSize, String store) {
        if (blockSize != 512 && blockSize != 4096) throw new IllegalArgumentException("block size must be 512 or 4096, not " + blockSize);
        if (sizeBytes <= 0 || sizeBytes % blockSize != 0) {
            throw new IllegalArgumentException("size must be a positive multiple of the block size " + blockSize + ", not " + sizeBytes);
        }
        VolumeRecord record = new VolumeRecord(name, UUID.randomUUID().toString(), sizeBytes, blockSize, 0, List.of(), null,
                System.currentTimeMillis(), store);
        return catalog.create(record).record();
    }

    /** Grows a volume (shrinking would drop data, so it is refused). Bridges serving it see the new size when they reopen it. */
    public static VolumeRecord grow(VolumeCatalog catalog, String name, long newSizeBytes) {
        while (true) {
            VolumeCatalog.Versioned v = catalog.read(name)
                    .orElseThrow(() -> new CatalogException(CatalogException.Reason.NOT_FOUND, "no volume named '" + name + "'"));
            VolumeRecord r = v.record();
            if (newSizeBytes < r.sizeBytes()) {
                throw new IllegalArgumentException("volume '" + name + "' has " + r.sizeBytes() + " bytes; shrinking to " + newSizeBytes + " would drop data");
            }
            if (newSizeBytes % r.blockSize() != 0) throw new IllegalArgumentException("size must be a multiple of " + r.blockSize());
            var done = catalog.compareAndSet(name, v.version(), r.withSize(newSizeBytes));
            if (done.isPresent()) return done.get().record();
        }
    }

    /**
     * Deletes a volume: fences any bridge serving it (a new epoch), deletes its segments, map
     * pages and checkpoint from the store, then its record. Returns the number of store entries deleted.
     */
    public static int delete(VolumeCatalog catalog, ImmutableStore store, String name) throws IOException {
        VolumeRecord r = null;
        VolumeCatalog.Versioned fenced = null;
        // a writer still serving the volume may update its record (a checkpoint) between our read and our
        // change; once the new epoch is in, it can change nothing more
        for (int attempt = 0; fenced == null && attempt < 20; attempt++) {
            VolumeCatalog.Versioned v = catalog.read(name)
                    .orElseThrow(() -> new CatalogException(CatalogException.Reason.NOT_FOUND, "no volume named '" + name + "'"));
            r = v.record();
            fenced = catalog.compareAndSet(name, v.version(), r.withEpoch(r.epoch() + 1, r.epochs())).orElse(null);
        }
        if (fenced == null) {
            throw new CatalogException(CatalogException.Reason.UNAVAILABLE, "volume '" + name + "' kept changing; try again");
        }
        Set<Long> segments = new HashSet<>();
        long seq = 0;
        try {
            store.claim(r.id());
            Checkpoint.Decoded c = null;
            if (r.checkpoint() != null) {
                byte[] bytes = Checkpoint.load(store, r.checkpoint()).get(60, TimeUnit.SECONDS);
                if (bytes != null) {
                    c = Checkpoint.decode(bytes, r.checkpoint().key());
                    segments.addAll(c.segments());
                    seq = c.seq() + 1;
                }
            }
            while (true) {
                String key = VolumeKeys.segment(r, seq);
                if (key == null || store.get(key).get(60, TimeUnit.SECONDS) == null) break;
                segments.add(seq++);
            }
            int deleted = 0;
            for (long s : segments) {
                store.delete(VolumeKeys.segment(r, s)).get(60, TimeUnit.SECONDS);
                deleted++;
            }
            StorePages pages = new StorePages(store, r.id());
            if (c != null) {
                for (long page : c.pages()) {
                    pages.delete(page).get(60, TimeUnit.SECONDS);
                    deleted++;
                }
            }
            deleted += Orphans.delete(store, r, fenced.record().epoch(), c);
            if (r.checkpoint() != null) {
                Checkpoint.delete(store, r.checkpoint()).get(60, TimeUnit.SECONDS);
                deleted += r.checkpoint().partCount();
            }
            if (!catalog.delete(name, fenced.version())) {
                throw new CatalogException(CatalogException.Reason.UNAVAILABLE, "volume '" + name + "' changed while deleting it");
            }
            try {
                store.retire(r.id());
            } catch (StoreException e) {
                throw new IOException("volume '" + name + "' is deleted, but what held its entries in " + store.describe()
                        + " could not be removed (" + e.getMessage() + "); remove the directory named " + r.id() + " there by hand", e);
            }
            return deleted;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while deleting volume '" + name + "'");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("deleting volume '" + name + "': " + e.getMessage(), e);
        }
    }
}
