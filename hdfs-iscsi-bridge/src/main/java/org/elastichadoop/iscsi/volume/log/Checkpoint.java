package org.elastichadoop.iscsi.volume.log;

import org.elastichadoop.iscsi.store.ImmutableStore;

import org.elastichadoop.iscsi.volume.log.map.MapState;
import org.elastichadoop.iscsi.volume.log.map.MappedRun;
import org.elastichadoop.iscsi.volume.log.map.Varints;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * The volume at a point of its log, so that recovery replays only what came after it: the map's state (the index of
 * its runs, whose pages are already stored, and each segment's live blocks), plus the dead segments and map pages
 * that this checkpoint no longer needs and that are deleted once it is recorded.
 *
 * <pre>
 * "LVC2" | seq varint (last segment covered) | dead segments varint, seq varint* | dead pages varint, id varint*
 *        | replaced checkpoints varint, (key length varint, key, seq varint, parts varint)*
 *        | map state length varint | map state ({@link MapState}) | CRC32C u32
 * </pre>
 * Checkpoints of earlier versions ("LVC1": every extent of the map, 24 bytes each) are still read.
 */
final class Checkpoint {
    static final int MAGIC = 0x4c564332; // "LVC2"
    static final int MAGIC_V1 = 0x4c564331; // "LVC1"
    private static final int EXTENT_BYTES_V1 = 24;

    private Checkpoint() {}

    static byte[] encode(long seq, Collection<Long> deadSegments, Collection<Long> deadPages,
                         Collection<VolumeRecord.Checkpoint> deadCheckpoints, MapState map) {
        byte[] state = map.encode();
        Varints.Writer w = new Varints.Writer(32 + 5 * (deadSegments.size() + deadPages.size()) + 80 * deadCheckpoints.size() + state.length);
        w.putInt(MAGIC).putVarLong(seq).putVarLong(deadSegments.size());
        for (long g : deadSegments) w.putVarLong(g);
        w.putVarLong(deadPages.size());
        for (long p : deadPages) w.putVarLong(p);
        w.putVarLong(deadCheckpoints.size());
        for (VolumeRecord.Checkpoint c : deadCheckpoints) {
            byte[] key = c.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            w.putVarLong(key.length).putBytes(key).putVarLong(c.seq()).putVarLong(c.partCount());
        }
        w.putVarLong(state.length).putBytes(state);
        CRC32C c = new CRC32C();
        c.update(w.array(), 0, w.length());
        w.putInt((int) c.getValue());
        return w.toArray();
    }

    /**
     * A decoded checkpoint.
     *
     * @param map       the map's state; null in a version 1 checkpoint, which has {@code extents} instead
     * @param extents   version 1: every extent of the map
     * @param checkpointGarbage earlier checkpoints that this one replaced, deleted after it was recorded
     */
    record Decoded(long seq, MapState map, List<MappedRun> extents, List<Long> garbage, List<Long> pageGarbage,
                   List<VolumeRecord.Checkpoint> checkpointGarbage) {
        /** Every segment the checkpoint may point into or still has to delete. */
        Set<Long> segments() {
            Set<Long> s = new TreeSet<>(garbage);
            if (map != null) s.addAll(map.segments());
            for (MappedRun e : extents) s.add(e.seq());
            return s;
        }

        /** Every map page the checkpoint's runs are made of or it still has to delete. */
        Set<Long> pages() {
            Set<Long> p = new TreeSet<>(pageGarbage);
            if (map != null) p.addAll(map.pageIds());
            return p;
        }
    }

    static Decoded decode(byte[] bytes, String key) {
        if (bytes.length < 12) throw new Segment.CorruptSegmentException("checkpoint " + key + " is too short");
        CRC32C c = new CRC32C();
        c.update(bytes, 0, bytes.length - 4);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt();
        if (b.getInt(bytes.length - 4) != (int) c.getValue() || (magic != MAGIC && magic != MAGIC_V1)) {
            throw new Segment.CorruptSegmentException("checkpoint " + key + " fails its CRC32C");
        }
        try {
            return magic == MAGIC_V1 ? decodeV1(b) : decodeV2(bytes);
        } catch (RuntimeException e) {
            throw new Segment.CorruptSegmentException("checkpoint " + key + " cannot be parsed: " + e);
        }
    }

    private static Decoded decodeV2(byte[] bytes) {
        int end = bytes.length - 4;
        Varints.Reader r = new Varints.Reader(bytes, 4, end);
        long seq = r.getVarLong();
        List<Long> garbage = new ArrayList<>();
        for (long i = r.getVarLong(); i > 0; i--) garbage.add(r.getVarLong());
        List<Long> pages = new ArrayList<>();
        for (long i = r.getVarLong(); i > 0; i--) pages.add(r.getVarLong());
        List<VolumeRecord.Checkpoint> checkpoints = new ArrayList<>();
        for (long i = r.getVarLong(); i > 0; i--) {
            String key = new String(r.getBytes(Math.toIntExact(r.getVarLong())), java.nio.charset.StandardCharsets.UTF_8);
            checkpoints.add(new VolumeRecord.Checkpoint(key, r.getVarLong(), Math.toIntExact(r.getVarLong())));
        }
        int length = Math.toIntExact(r.getVarLong());
        if (r.position() + length != end) throw new IllegalArgumentException("map state of " + length + " bytes does not end the checkpoint");
        return new Decoded(seq, MapState.decode(bytes, r.position(), end), List.of(), garbage, pages, checkpoints);
    }

    private static Decoded decodeV1(ByteBuffer b) {
        long seq = b.getLong();
        int count = b.getInt();
        List<MappedRun> extents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            extents.add(new MappedRun(b.getLong(), Integer.toUnsignedLong(b.getInt()), b.getLong(), Integer.toUnsignedLong(b.getInt())));
        }
        int dead = b.getInt();
        List<Long> garbage = new ArrayList<>(dead);
        for (int i = 0; i < dead; i++) garbage.add(b.getLong());
        return new Decoded(seq, null, extents, garbage, List.of(), List.of());
    }

    /** Version 1, for tests that read what earlier bridges wrote. */
    static byte[] encodeV1(long seq, List<MappedRun> extents, List<Long> garbage) {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 4 + extents.size() * EXTENT_BYTES_V1 + 4 + garbage.size() * 8 + 4);
        b.putInt(MAGIC_V1).putLong(seq).putInt(extents.size());
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

    /**
     * The store key of part {@code part}: a checkpoint larger than one store entry may hold (a map
     * of a very large map) is split; part 0 is the record's key itself.
     */
    static String partKey(String key, int part) {
        return part == 0 ? key : key + "/" + part;
    }

    /** Stores an encoded checkpoint under {@code key} in parts of at most {@code partBytes}; completes with the part count. */
    static int partCount(int bytes, int partBytes) {
        return Math.max(1, (bytes + partBytes - 1) / partBytes);
    }

    static CompletableFuture<Integer> store(ImmutableStore store, String key, byte[] bytes, int partBytes) {
        int parts = partCount(bytes.length, partBytes);
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
