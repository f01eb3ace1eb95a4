package org.elastichadoop.iscsi.store.hdfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a group knows: its packs by number and, per key, the {@link Slot} saying where its value is read from. Only the
 * group's writing thread (and its claim, before that thread starts) changes it; readers look keys up from any thread.
 */
final class PackIndex {
    /** Where a live value is read from. */
    record Located(Pack pack, PackRecord record) {}

    private final TreeMap<Long, Pack> packs = new TreeMap<>();
    private final Map<String, Slot> slots = new HashMap<>();

    synchronized void addPack(Pack pack) {
        packs.put(pack.number, pack);
    }

    /** The number after every pack known here. */
    synchronized long nextNumber() {
        return packs.isEmpty() ? 0 : packs.lastKey() + 1;
    }

    synchronized int packCount() {
        return packs.size();
    }

    synchronized List<Pack> packs() {
        return new ArrayList<>(packs.values());
    }

    /** Makes {@code written} (synced in {@code pack}, in this order) the pack's records and the newest word on their keys. */
    synchronized void synced(Pack pack, List<PackRecord> written) {
        for (PackRecord r : written) {
            pack.add(r);
            index(pack, r);
        }
    }

    /** Records {@code r}, already among {@code pack}'s records, as the newest word on its key. */
    synchronized void index(Pack pack, PackRecord r) {
        Slot s = slots.computeIfAbsent(r.key(), k -> new Slot());
        if (r.type() == PackRecord.Type.PUT) {
            s.addHolder(pack);
            if (s.deleted) return;
            if (s.pack != null) s.pack.liveBytes -= s.record.length();
            s.pack = pack;
            s.record = r;
            pack.liveBytes += r.length();
        } else if (!s.deleted) {
            if (s.pack != null) s.pack.liveBytes -= s.record.length();
            s.pack = null;
            s.record = null;
            s.deleted = true;
        }
    }

    /** Where {@code key}'s value is read from; null if it has none (never stored, or deleted). */
    synchronized Located live(String key) {
        Slot s = slots.get(key);
        return s == null || !s.live() ? null : new Located(s.pack, s.record);
    }

    synchronized boolean deleted(String key) {
        Slot s = slots.get(key);
        return s != null && s.deleted;
    }

    /** Every copy of {@code key}'s value in the packs, but those in {@code except}: where to read when one is damaged. */
    synchronized List<Located> copies(String key, Pack except) {
        Slot s = slots.get(key);
        if (s == null) return List.of();
        List<Located> copies = new ArrayList<>();
        for (Pack p : s.holders()) {
            if (p == except) continue;
            for (PackRecord r : p.records) {
                if (r.type() == PackRecord.Type.PUT && r.key().equals(key)) copies.add(new Located(p, r));
            }
        }
        return copies;
    }

    /**
     * Whether compacting {@code victim} must copy its record {@code r} forward: a put that is still the copy its key
     * is read from, or a deletion while another pack still holds a value it hides.
     */
    synchronized boolean mustCopy(Pack victim, PackRecord r) {
        Slot s = slots.get(r.key());
        if (s == null) return false;
        return r.type() == PackRecord.Type.PUT
                ? s.live() && s.pack == victim && s.record.offset() == r.offset()
                : s.deleted && s.heldElsewhereThan(victim);
    }

    /**
     * The closed pack (not {@code writing}, not one of {@code skip}) with the smallest live share under {@code below},
     * or null. Never the highest-numbered pack: while it exists, a writer that claims the group sees the highest number
     * this writer used, and the number it creates next is the one this writer would take (see PackSet's claim).
     */
    synchronized Pack compactionCandidate(Pack writing, Set<Pack> skip, double below) {
        Pack best = null;
        for (Pack p : packs.values()) {
            if (p.open || p == writing || skip.contains(p) || p.number == packs.lastKey()) continue;
            if (p.liveShare() < below && (best == null || p.liveShare() < best.liveShare())) best = p;
        }
        return best;
    }

    /** Forgets a deleted pack: its copies, and the deletions no pack needs any more. */
    synchronized void removePack(Pack victim) {
        packs.remove(victim.number);
        victim.gone = true;
        for (PackRecord r : victim.records) {
            Slot s = slots.get(r.key());
            if (s == null) continue;
            s.removeHolder(victim);
            if (s.deleted && !s.held()) slots.remove(r.key());
        }
    }

    synchronized long liveBytes() {
        return packs.values().stream().mapToLong(p -> p.liveBytes).sum();
    }

    synchronized int liveKeys() {
        return (int) slots.values().stream().filter(Slot::live).count();
    }

    /** Packs, live keys, live bytes and recorded bytes. */
    synchronized long[] figures() {
        long records = packs.values().stream().mapToLong(p -> p.recordBytes).sum();
        return new long[]{packs.size(), liveKeys(), liveBytes(), records};
    }
}
