package org.elastichadoop.iscsi.volume.log;

import org.elastichadoop.iscsi.store.ImmutableStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One writer's view of the store and the catalog, cut at once when the test kills the writer: from then on nothing
 * it asks reaches them (what it asked before may still land, as a killed process's requests in flight would), so a
 * halted writer's threads can do no more harm than a killed bridge.
 */
final class KillSwitch {
    private final AtomicBoolean killed = new AtomicBoolean();

    void kill() {
        killed.set(true);
    }

    boolean killed() {
        return killed.get();
    }

    private <T> CompletableFuture<T> dead() {
        return CompletableFuture.failedFuture(new java.io.IOException("killed"));
    }

    ImmutableStore store(ImmutableStore store) {
        return new ImmutableStore() {
            @Override
            public CompletableFuture<Void> putIfAbsent(String key, byte[] value) {
                return killed.get() ? dead() : store.putIfAbsent(key, value);
            }

            @Override
            public CompletableFuture<Void> putIfAbsent(String key, byte[] value, int length) {
                return killed.get() ? dead() : store.putIfAbsent(key, value, length);
            }

            @Override
            public CompletableFuture<byte[]> get(String key) {
                return killed.get() ? dead() : store.get(key);
            }

            @Override
            public CompletableFuture<Void> delete(String key) {
                return killed.get() ? dead() : store.delete(key);
            }

            @Override
            public String describe() {
                return store.describe();
            }

            @Override
            public void close() {
            }
        };
    }

    VolumeCatalog catalog(VolumeCatalog catalog) {
        return new VolumeCatalog() {
            @Override
            public Versioned create(VolumeRecord record) {
                check();
                return catalog.create(record);
            }

            @Override
            public Optional<Versioned> read(String name) {
                check();
                return catalog.read(name);
            }

            @Override
            public Optional<Versioned> compareAndSet(String name, int expectedVersion, VolumeRecord next) {
                check();
                return catalog.compareAndSet(name, expectedVersion, next);
            }

            @Override
            public List<String> list() {
                check();
                return catalog.list();
            }

            @Override
            public boolean delete(String name, int expectedVersion) {
                check();
                return catalog.delete(name, expectedVersion);
            }

            @Override
            public void close() {
            }

            private void check() {
                if (killed.get()) throw new CatalogException(CatalogException.Reason.UNAVAILABLE, "killed");
            }
        };
    }
}
