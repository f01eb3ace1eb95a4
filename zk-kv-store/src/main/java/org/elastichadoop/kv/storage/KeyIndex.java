package org.elastichadoop.kv.storage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Key to newest record, plus the accounting that follows from it: how many keys are present or deleted and
 * how many bytes of each segment are still referenced. Readers need no lock; the store makes every change
 * while holding the appender lock, so changes to one key happen in the same order as its appends.
 */
final class KeyIndex {
    private final ConcurrentHashMap<Key, IndexEntry> entries = new ConcurrentHashMap<>();
    /** The highest ballot each undecided key has promised, as its PROMISE record. */
    private final ConcurrentHashMap<Key, IndexEntry> promises = new ConcurrentHashMap<>();
    private final AtomicLong present = new AtomicLong();
    private final AtomicLong tombstones = new AtomicLong();

    IndexEntry get(Key key) {
        return entries.get(key);
    }

    /** Points the key at a newer record. */
    void put(Key key, IndexEntry entry) {
        IndexEntry previous = entries.put(key, entry);
        release(previous);
        retain(entry);
    }

    /** Moves the key to {@code entry} only if it still points at {@code expected}. */
    boolean replace(Key key, IndexEntry expected, IndexEntry entry) {
        if (!entries.replace(key, expected, entry)) {
            return false;
        }
        release(expected);
        retain(entry);
        return true;
    }

    /** Forgets the key only if it still points at {@code expected}; that record's bytes become garbage. */
    boolean remove(Key key, IndexEntry expected) {
        if (!entries.remove(key, expected)) {
            return false;
        }
        release(expected);
        return true;
    }

    /** Applies one record found while recovering, in log order. */
    void recover(Key key, IndexEntry record) {
        switch (record.type()) {
            case PROMISE -> {
                IndexEntry current = promises.get(key);
                if (current == null || current.ballot() < record.ballot()) {
                    putPromise(key, record);
                }
            }
            case COMMIT -> {
                // the store appends COMMIT only right after the ACCEPTED record it confirms
                IndexEntry current = entries.get(key);
                if (current != null && current.isProvisional()) {
                    replace(key, current, current.committed(record.timestamp()));
                    removePromise(key);
                }
            }
            default -> put(key, record);
        }
    }

    IndexEntry promise(Key key) {
        return promises.get(key);
    }

    void putPromise(Key key, IndexEntry promise) {
        IndexEntry previous = promises.put(key, promise);
        if (previous != null) {
            previous.segment().addLiveBytes(-previous.recordLength());
        }
        promise.segment().addLiveBytes(promise.recordLength());
    }

    /** Moves the promise only if it is still {@code expected} (compaction carrying it). */
    boolean replacePromise(Key key, IndexEntry expected, IndexEntry promise) {
        if (!promises.replace(key, expected, promise)) {
            return false;
        }
        expected.segment().addLiveBytes(-expected.recordLength());
        promise.segment().addLiveBytes(promise.recordLength());
        return true;
    }

    /** A decided key needs its promise no more; its record becomes garbage. */
    void removePromise(Key key) {
        IndexEntry previous = promises.remove(key);
        if (previous != null) {
            previous.segment().addLiveBytes(-previous.recordLength());
        }
    }

    /** Weakly consistent: sees each key at most once, with some state it had during the walk. */
    void forEach(BiConsumer<Key, IndexEntry> action) {
        entries.forEach(action);
    }

    long presentCount() {
        return present.get();
    }

    long tombstoneCount() {
        return tombstones.get();
    }

    private void retain(IndexEntry entry) {
        entry.segment().addLiveBytes(entry.recordLength());
        (entry.isTombstone() ? tombstones : present).incrementAndGet();
    }

    private void release(IndexEntry entry) {
        if (entry != null) {
            entry.segment().addLiveBytes(-entry.recordLength());
            (entry.isTombstone() ? tombstones : present).decrementAndGet();
        }
    }
}
