package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Copies forward what is still live in a closed pack whose live share fell under {@code compactBelow} (its live values,
 * and deletions that still hide a value in another pack), then deletes the pack. Runs on the writing thread, a slice
 * at a time, and yields as soon as requests are waiting.
 */
final class PackCompactor {
    private static final Logger LOG = LogManager.getLogger(PackCompactor.class);

    private final FileSystem fs;
    private final PackIndex index;
    private final OpenPack open;
    private final PackReads reads;
    private final double compactBelow;
    private final Set<Pack> damaged = new HashSet<>();
    private Pack victim;
    private int cursor;

    PackCompactor(FileSystem fs, PackIndex index, OpenPack open, PackReads reads, double compactBelow) {
        this.fs = fs;
        this.index = index;
        this.open = open;
        this.reads = reads;
        this.compactBelow = compactBelow;
    }

    /** Copies up to {@code maxBytes} of records forward, stopping early when {@code yield} says requests wait. */
    void slice(long maxBytes, BooleanSupplier yield) {
        if (open.fenced() != null) return;
        if (victim == null) {
            victim = index.compactionCandidate(open.pack(), damaged, compactBelow);
            cursor = 0;
            if (victim == null) return;
            LOG.debug("{}: compacting ({}% live)", victim, Math.round(victim.liveShare() * 100));
        }
        try {
            List<PackRecord> copies = new ArrayList<>();
            long copied = 0;
            int at = cursor;
            while (at < victim.records.size() && copied < maxBytes && !yield.getAsBoolean()) {
                PackRecord r = victim.records.get(at);
                if (index.mustCopy(victim, r)) {
                    byte[] value = r.type() == PackRecord.Type.PUT ? value(r) : null;
                    if (value == null && r.type() == PackRecord.Type.PUT) {
                        damaged(r, copies);
                        return;
                    }
                    copies.add(open.writer().append(r.type(), r.key(), value, value == null ? 0 : value.length, r.valueCrc()));
                    copied += r.length();
                }
                at++;
            }
            if (!copies.isEmpty()) open.syncAndIndex(copies);
            cursor = at;
            if (cursor == victim.records.size()) delete();
            open.rollIfFull();
        } catch (IOException e) {
            open.abandon(e); // copied again from the cursor at the next slice
        }
    }

    /** The record's value, from another copy if this one fails its CRC32C; null if every copy does. */
    private byte[] value(PackRecord r) throws IOException {
        byte[] value = reads.read(new PackIndex.Located(victim, r));
        return value != null ? value : reads.otherCopy(r.key(), victim);
    }

    /** A live value with no good copy: the pack is kept as it is (reads of that key fail and say so) and not compacted again. */
    private void damaged(PackRecord r, List<PackRecord> copied) throws IOException {
        if (!copied.isEmpty()) open.syncAndIndex(copied);
        LOG.error("{}: the value of {} at {} fails its CRC32C and no other copy exists; this pack is kept and no longer "
                + "compacted. Read the volume's other data off and check the DataNodes' disks.", victim, r.key(), r.valueOffset());
        damaged.add(victim);
        victim = null;
    }

    private void delete() throws IOException {
        if (open.fenced() != null) return;
        fs.delete(victim.path, false);
        index.removePack(victim);
        victim.close();
        LOG.debug("{}: deleted after copying what was live", victim);
        victim = null;
    }
}
