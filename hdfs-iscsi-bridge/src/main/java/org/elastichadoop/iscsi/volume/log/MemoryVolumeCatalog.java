package org.elastichadoop.iscsi.volume.log;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The volume catalog in memory, with ZooKeeper's version semantics (0 at creation, +1 per
 * successful compare-and-set). For tests and single-process use.
 */
public final class MemoryVolumeCatalog implements VolumeCatalog {
    private final TreeMap<String, Versioned> records = new TreeMap<>();

    @Override
    public synchronized Versioned create(VolumeRecord record) {
        String name = ZkVolumeCatalog.checkName(record.name());
        if (records.containsKey(name)) {
            throw new CatalogException(CatalogException.Reason.EXISTS, "volume " + name + " already exists");
        }
        Versioned created = new Versioned(record, 0);
        records.put(name, created);
        return created;
    }

    @Override
    public synchronized Optional<Versioned> read(String name) {
        return Optional.ofNullable(records.get(ZkVolumeCatalog.checkName(name)));
    }

    @Override
    public synchronized Optional<Versioned> compareAndSet(String name, int expectedVersion, VolumeRecord next) {
        Versioned current = records.get(ZkVolumeCatalog.checkName(name));
        if (!name.equals(next.name())) {
            throw new IllegalArgumentException("cannot rename volume " + name + " to " + next.name() + " by compare-and-set");
        }
        if (current == null || current.version() != expectedVersion) {
            return Optional.empty();
        }
        Versioned updated = new Versioned(next, expectedVersion + 1);
        records.put(name, updated);
        return Optional.of(updated);
    }

    @Override
    public synchronized List<String> list() {
        return List.copyOf(records.keySet());
    }

    @Override
    public synchronized boolean delete(String name, int expectedVersion) {
        Versioned current = records.get(ZkVolumeCatalog.checkName(name));
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        records.remove(name);
        return true;
    }

    @Override
    public void close() {
    }
}
