package org.elastichadoop.iscsi.volume.log;

import org.elastichadoop.iscsi.store.ImmutableStore;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * The LBA map at a point of the log, so that recovery replays only what came after it.
 *
 * <pre>
 * "LVC1" | seq u64 (last segment covered) | extents u32 | (lba u64, blocks u32, seq u64, offset u32)*
 *        | garbage u32 | seq u64* (dead segments still to delete) | CRC32C u32
 * </pre>
 */
final class Checkpoint {
    static final int MAGIC = 0x4c564331; // "LVC1"
    private static final int EXTENT_BYTES = 24;

    private Checkpoint() {}

    static byte[] encode(long seq, List<MappedRun> extents, List<Long> garbage) {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 4 + extents.size() * EXTENT_BYTES + 4 + garbage.size() * 8 + 4);
        b.putInt(MAGIC).putLong(seq).putInt(extents.size());
        for (MappedRun e : extents) {
            b.putLong(e.lba()).putInt((int) e.blocks()).putLong(e.seq()).putInt((int) e.offset());
        }
        b.putInt(garbage.size());
        for (long g : garbage) b.putLong(g);
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, b.position());
        b.putInt((int) c.getValue());
        return b.array();
    }

    record Decoded(long seq, List<MappedRun> extents, List<Long> garbage) {}

    static Decoded decode(byte[] bytes, String key) {
        if (bytes.length < 20) throw new Segment.CorruptSegmentException("checkpoint " + key + " is too short");
        CRC32C c = new CRC32C();
        c.update(bytes, 0, bytes.length - 4);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(bytes.length - 4) != (int) c.getValue() || b.getInt() != MAGIC) {
            throw new Segment.CorruptSegmentException("checkpoint " + key + " fails its CRC32C");
        }
        long seq = b.getLong();
        int count = b.getInt();
        List<MappedRun> extents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            extents.add(new MappedRun(b.getLong(), Integer.toUnsignedLong(b.getInt()), b.getLong(), Integer.toUnsignedLong(b.getInt())));
        }
        int dead = b.getInt();
        List<Long> garbage = new ArrayList<>(dead);
        for (int i = 0; i < dead; i++) garbage.add(b.getLong());
        return new Decoded(seq, extents, garbage);
    }

    /**
     * The store key of part {@code part}: a checkpoint larger than one store entry may hold (a map
     * of more than about a million extents) is split; part 0 is the record's key itself.
     */
    static String partKey(String key, int part) {
        return part == 0 ? key : key + "/" + part;
    }

    /** Stores an encoded checkpoint under {@code key} in parts of at most {@code partBytes}; completes with the part count. */
    static CompletableFuture<Integer> store(ImmutableStore store, String key, byte[] bytes, int partBytes) {
        int parts = Math.max(1, (bytes.length + partBytes - 1) / partBytes);
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            int from = i * partBytes;
            byte[] part = parts == 1 ? bytes : java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + partBytes));
            puts.add(store.putIfAbsent(partKey(key, i), part));
        }
        return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).thenApply(v -> parts);
    }

    /** The encoded checkpoint, its parts joined; null if a part is missing. */
    static CompletableFuture<byte[]> load(ImmutableStore store, VolumeRecord.Checkpoint c) {
        List<CompletableFuture<byte[]>> gets = new ArrayList<>();
        for (int i = 0; i < c.partCount(); i++) gets.add(store.get(partKey(c.key(), i)));
        return CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).thenApply(v -> {
            if (gets.size() == 1) return gets.get(0).join();
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (CompletableFuture<byte[]> g : gets) {
                byte[] part = g.join();
                if (part == null) return null;
                joined.writeBytes(part);
            }
            return joined.toByteArray();
        });
    }

    static CompletableFuture<Void> delete(ImmutableStore store, VolumeRecord.Checkpoint c) {
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (int i = 0; i < c.partCount(); i++) deletes.add(store.delete(partKey(c.key(), i)));
        return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
    }
}
