package org.elastichadoop.iscsi.store.hdfs;

import java.util.ArrayList;
import java.util.List;

/**
 * What a group knows of one key: the copy it is read from, every pack that holds a copy of its value (more than one
 * while a pack is compacted, or after a write that was retried in a new pack), and whether it was deleted. A deletion
 * is kept (its record copied forward by compaction) as long as a pack still holds a copy of the value; after that the
 * key is forgotten. One per key in the bridge's heap, so the usual case (one holder) needs no list.
 */
final class Slot {
    /** The pack and record the value is read from; null once deleted or before the first copy is synced. */
    Pack pack;
    PackRecord record;
    boolean deleted;
    /** The first pack holding a copy, and the others when there are more (rare). */
    private Pack holder;
    private List<Pack> moreHolders;

    boolean live() {
        return !deleted && record != null;
    }

    void addHolder(Pack p) {
        if (holder == null) holder = p;
        else if (holder != p && (moreHolders == null || !moreHolders.contains(p))) {
            if (moreHolders == null) moreHolders = new ArrayList<>(2);
            moreHolders.add(p);
        }
    }

    void removeHolder(Pack p) {
        if (moreHolders != null) moreHolders.remove(p);
        if (holder == p) holder = moreHolders == null || moreHolders.isEmpty() ? null : moreHolders.remove(0);
        if (moreHolders != null && moreHolders.isEmpty()) moreHolders = null;
    }

    /** The packs holding a copy of the value. */
    List<Pack> holders() {
        if (holder == null) return List.of();
        if (moreHolders == null) return List.of(holder);
        List<Pack> all = new ArrayList<>(moreHolders.size() + 1);
        all.add(holder);
        all.addAll(moreHolders);
        return all;
    }

    boolean heldElsewhereThan(Pack p) {
        return (holder != null && holder != p) || (moreHolders != null && moreHolders.stream().anyMatch(h -> h != p));
    }

    boolean held() {
        return holder != null;
    }
}
