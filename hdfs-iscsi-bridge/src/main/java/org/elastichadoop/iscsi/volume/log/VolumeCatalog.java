package org.elastichadoop.iscsi.volume.log;

import java.util.List;
import java.util.Optional;

/**
 * Where volume records live (ZooKeeper in production). Every change is a compare-and-set against
 * the version read, so two bridges cannot both believe they own a volume.
 */
public interface VolumeCatalog extends AutoCloseable {

    /** A record and the version it was read at. */
    record Versioned(VolumeRecord record, int version) {}

    /** Creates a new record; fails with {@link CatalogException} ({@code EXISTS}) if the name is taken. */
    Versioned create(VolumeRecord record);

    Optional<Versioned> read(String name);

    /**
     * Replaces the record if it is still at {@code expectedVersion}; returns the new version, or
     * empty if someone else changed (or deleted) it first.
     */
    Optional<Versioned> compareAndSet(String name, int expectedVersion, VolumeRecord next);

    /** Names of all volumes, sorted. */
    List<String> list();

    /** Deletes the record if it is still at {@code expectedVersion}; false if it changed meanwhile. */
    boolean delete(String name, int expectedVersion);

    @Override
    void close();
}
