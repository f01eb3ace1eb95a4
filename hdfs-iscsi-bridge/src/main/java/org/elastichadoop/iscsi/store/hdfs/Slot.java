package org.elastichadoop.iscsi.store.hdfs;

import java.util.ArrayList;
import java.util.List;

/**
 * What a group knows of one key: the copy it is read from, every pack that holds a copy of its value (more than one
 * while a pack is compacted, or after a write that was retried in a new pack), and whether it was deleted. A deletion
 * is kept (its record copied forward by compaction) as long as a pack still holds a copy of the value; after that the
 * key is forgotten.
 */
final class Slot {
    /** The pack and record the value is read from; null once deleted or before the first copy is synced. */
    Pack pack;
    PackRecord record;
    final List<Pack> holders = new ArrayList<>(1);
    boolean deleted;

    boolean live() {
        return !deleted && record != null;
    }
}
