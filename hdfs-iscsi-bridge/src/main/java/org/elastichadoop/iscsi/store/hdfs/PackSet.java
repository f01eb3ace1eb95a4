package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LeaseRecoverable;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.store.StoreException;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The entries of one group (the keys that share a first path element: one volume's) in one HDFS directory of pack
 * files {@code 0000000000000000.pack, ...1.pack, ...}, numbered in the order they were created.
 *
 * <p>One writer at a time: {@link #claim} recovers the lease of every pack left open (which makes an earlier writer's
 * next sync fail), reads every pack's records, and creates the next pack with HDFS's create-if-absent. An earlier writer
 * that then wants a new pack finds that name taken and stops for good ({@link StoreException.Reason#REFUSED}): HDFS
 * itself refuses the second writer.
 *
 * <p>One thread writes: it takes the requests queued meanwhile, appends them to the open pack, syncs once and only
 * then acknowledges (group commit). When HDFS fails a sync (a DataNode lost and no replacement, the NameNode away when
 * a block is needed) the pack is abandoned as it stands (what was synced in it stays readable) and the requests are
 * written again to a new pack, for up to {@code retrySeconds}. A pack is closed with its index at {@code packBytes};
 * closed packs whose live share falls under {@code compactBelow} are copied forward (live values, and deletions that
 * still have a value to hide) and deleted, while no request waits or, when requests keep coming, a slice a second.
 */
final class PackSet implements Closeable {
    private static final Logger LOG = LogManager.getLogger(PackSet.class);
    private static final long BATCH_BYTES = 64L << 20;
    private static final long IDLE_MILLIS = 200;
    private static final long BUSY_COMPACTION_BYTES = 16L << 20;
    private static final long BUSY_COMPACTION_EVERY_MILLIS = 1000;
    private static final String SUFFIX = ".pack";

    private final FileSystem fs;
    private final Path dir;
    private final HdfsStoreOptions options;
    private final TreeMap<Long, Pack> packs = new TreeMap<>();
    private final Map<String, Slot> slots = new HashMap<>();
    private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Owned by the writing thread (and by {@link #claim} before it starts). */
    private PackWriter writer;
    private long abandonedNumber = -1;
    private Compaction compaction;
    private long lastCompactionMillis;
    private volatile StoreException fenced;
    private volatile boolean closed;
    private volatile boolean exited;

    private sealed interface Op permits Put, Delete, Stop {}

    private record Put(String key, byte[] value, int length, int crc, CompletableFuture<Void> done) implements Op {}

    private record Delete(String key, CompletableFuture<Void> done) implements Op {}

    private record Stop() implements Op {}

    private static final class Compaction {
        final Pack pack;
        int cursor;

        Compaction(Pack pack) {
            this.pack = pack;
        }
    }

    private PackSet(FileSystem fs, Path dir, HdfsStoreOptions options) {
        this.fs = fs;
        this.dir = dir;
        this.options = options;
        this.thread = new Thread(this::run, "hdfs-packs-" + dir.getName());
        this.thread.setDaemon(true);
    }

    /** Takes over the group in {@code dir}: fences earlier writers, reads what they stored, opens a new pack. */
    static PackSet claim(FileSystem fs, Path dir, HdfsStoreOptions options) throws IOException {
        long deadline = System.currentTimeMillis() + options.retrySeconds() * 1000L;
        while (true) {
            PackSet set = new PackSet(fs, dir, options);
            set.load(deadline);
            try {
                set.startWriting();
                set.thread.start();
                LOG.info("{}: claimed ({} packs, {} keys, {} MiB live)", dir, set.packs.size() - 1, set.slots.size(),
                        set.liveBytes() >> 20);
                return set;
            } catch (IOException e) {
                if (!taken(e) || System.currentTimeMillis() > deadline) throw e;
                LOG.info("{}: another writer created pack {} while this one claimed the group; reading again", dir, e.getMessage());
                set.closeStreams();
            }
        }
    }

    private void load(long deadline) throws IOException {
        fs.mkdirs(dir);
        FileStatus[] files = fs.listStatus(dir, p -> p.getName().endsWith(SUFFIX));
        Arrays.sort(files, (a, b) -> Long.compare(number(a.getPath()), number(b.getPath())));
        Map<Path, Long> lengths = recoverLeases(files, deadline);
        for (FileStatus f : files) {
            long n = number(f.getPath());
            if (n < 0) {
                LOG.warn("{}: {} is not named as a pack (ignored)", dir, f.getPath().getName());
                continue;
            }
            Pack pack = new Pack(n, f.getPath());
            for (PackRecord r : PackReader.records(fs, f.getPath(), lengths.getOrDefault(f.getPath(), f.getLen()))) {
                pack.add(r);
                index(pack, r);
            }
            packs.put(n, pack);
        }
    }

    /**
     * Closes the packs writers left open (revoking their leases), all at once, and returns their final lengths. The
     * NameNode hands each block recovery to a DataNode with its next heartbeat (3 s by default): look often, ask again
     * rarely.
     */
    private Map<Path, Long> recoverLeases(FileStatus[] files, long deadline) throws IOException {
        Map<Path, Long> lengths = new HashMap<>();
        if (!(fs instanceof LeaseRecoverable leases)) return lengths;
        List<Path> open = new ArrayList<>();
        for (FileStatus f : files) {
            if (leases.isFileClosed(f.getPath())) continue;
            LOG.info("{}: {} was left open by a writer that stopped or was replaced; recovering its lease", dir, f.getPath().getName());
            if (leases.recoverLease(f.getPath())) lengths.put(f.getPath(), fs.getFileStatus(f.getPath()).getLen());
            else open.add(f.getPath());
        }
        long askedAt = System.currentTimeMillis();
        while (!open.isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException(open + ": HDFS has not closed them after lease recovery; is a DataNode of their last block down?");
            }
            sleep(200);
            boolean askAgain = System.currentTimeMillis() - askedAt > 4000;
            if (askAgain) askedAt = System.currentTimeMillis();
            for (var it = open.iterator(); it.hasNext(); ) {
                Path p = it.next();
                if (leases.isFileClosed(p) || (askAgain && leases.recoverLease(p))) {
                    lengths.put(p, fs.getFileStatus(p).getLen());
                    it.remove();
                }
            }
        }
        return lengths;
    }

    private static long number(Path p) {
        String name = p.getName();
        if (!name.endsWith(SUFFIX)) return -1;
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Path path(long number) {
        return new Path(dir, String.format("%016d%s", number, SUFFIX));
    }

    /** Whether a create failed because another client holds or created that file. */
    private static boolean taken(IOException e) {
        if (e instanceof FileAlreadyExistsException) return true;
        if (e instanceof AlreadyBeingCreatedException) return !recreatedByItsHolder(e);
        return e instanceof RemoteException r && (r.getClassName().equals(FileAlreadyExistsException.class.getName())
                || r.getClassName().equals(AlreadyBeingCreatedException.class.getName()) && !recreatedByItsHolder(e));
    }

    /** HDFS's answer when a client creates again a file it created itself (its first answer was lost). */
    private static boolean recreatedByItsHolder(IOException e) {
        return String.valueOf(e.getMessage()).contains("current leaseholder is trying to recreate");
    }

    // ---- the index (guarded by this) ----

    /** Records {@code r} of {@code pack} as the newest word on its key. */
    private synchronized void index(Pack pack, PackRecord r) {
        Slot s = slots.computeIfAbsent(r.key(), k -> new Slot());
        if (r.type() == PackRecord.Type.PUT) {
            if (!s.holders.contains(pack)) s.holders.add(pack);
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

    private synchronized long liveBytes() {
        return packs.values().stream().mapToLong(p -> p.liveBytes).sum();
    }

    /** For status and tests: packs, keys, live and recorded bytes. */
    synchronized long[] figures() {
        long records = packs.values().stream().mapToLong(p -> p.recordBytes).sum();
        return new long[]{packs.size(), slots.values().stream().filter(Slot::live).count(), liveBytes(), records};
    }

    // ---- requests ----

    CompletableFuture<Void> put(String key, byte[] value, int length) {
        return submit(new Put(key, value, length, PackFormat.crc(value, 0, length), new CompletableFuture<>()));
    }

    CompletableFuture<Void> delete(String key) {
        return submit(new Delete(key, new CompletableFuture<>()));
    }

    private CompletableFuture<Void> submit(Op op) {
        CompletableFuture<Void> done = op instanceof Put p ? p.done() : ((Delete) op).done();
        StoreException f = fenced;
        if (f != null) done.completeExceptionally(f);
        else if (closed) done.completeExceptionally(new StoreException(StoreException.Reason.UNAVAILABLE, dir + ": the store is closed"));
        else {
            queue.add(op);
            if (exited) failQueued(new StoreException(StoreException.Reason.UNAVAILABLE, dir + ": the store is closed"));
        }
        return done;
    }

    /** The value stored under {@code key}, checked against its CRC32C; null if none. Blocks: call it off the event loops. */
    byte[] get(String key) throws IOException {
        return readLive(key, (pack, r) -> {
            byte[] value = new byte[r.valueLength()];
            pack.read(fs, r.valueOffset(), value, 0, value.length);
            if (PackFormat.crc(value, 0, value.length) == r.valueCrc()) return value;
            byte[] other = otherCopy(key, pack);
            if (other != null) return other;
            throw new StoreException(StoreException.Reason.UNAVAILABLE, key + ": the copy in " + pack.path + " at " + r.valueOffset()
                    + " fails its CRC32C and there is no other");
        });
    }

    /** Bytes {@code [offset, offset + length)} of the value, cut at its end (see ImmutableStore); null if none. Not checked. */
    byte[] getRange(String key, long offset, int length) throws IOException {
        return readLive(key, (pack, r) -> {
            long start = offset < 0 ? Math.max(0, r.valueLength() + offset) : Math.min(offset, r.valueLength());
            byte[] part = new byte[(int) Math.min(r.valueLength() - start, length)];
            if (part.length > 0) pack.read(fs, r.valueOffset() + start, part, 0, part.length);
            return part;
        });
    }

    private interface PackRead {
        byte[] read(Pack pack, PackRecord record) throws IOException;
    }

    /** Runs {@code read} on the record {@code key}'s value is read from; again on its new copy if compaction moved it meanwhile. */
    private byte[] readLive(String key, PackRead read) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Pack pack;
            PackRecord r;
            synchronized (this) {
                Slot s = slots.get(key);
                if (s == null || !s.live()) return null;
                pack = s.pack;
                r = s.record;
            }
            try {
                return read.read(pack, r);
            } catch (IOException e) {
                if (!pack.gone || attempt >= 3) throw e;
            }
        }
    }

    private byte[] otherCopy(String key, Pack damaged) throws IOException {
        List<Pack> holders;
        synchronized (this) {
            Slot s = slots.get(key);
            holders = s == null ? List.of() : new ArrayList<>(s.holders);
        }
        for (Pack p : holders) {
            if (p == damaged) continue;
            for (PackRecord r : p.records) {
                if (r.type() != PackRecord.Type.PUT || !r.key().equals(key)) continue;
                byte[] value = new byte[r.valueLength()];
                p.read(fs, r.valueOffset(), value, 0, value.length);
                if (PackFormat.crc(value, 0, value.length) == r.valueCrc()) return value;
            }
        }
        return null;
    }

    // ---- the writing thread ----

    private void startWriting() throws IOException {
        long next = packs.isEmpty() ? 0 : packs.lastKey() + 1;
        Pack pack = new Pack(next, path(next));
        writer = PackWriter.create(fs, pack, options.hsync());
        synchronized (this) {
            packs.put(next, pack);
        }
    }

    private void run() {
        try {
            while (true) {
                Op first = queue.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    compactSlice(BATCH_BYTES);
                    continue;
                }
                List<Op> batch = new ArrayList<>();
                boolean stop = first instanceof Stop;
                if (!stop) batch.add(first);
                long bytes = first instanceof Put p ? p.length() : 0;
                while (!stop && bytes < BATCH_BYTES) {
                    Op next = queue.poll();
                    if (next == null) break;
                    if (next instanceof Stop) stop = true;
                    else batch.add(next);
                    if (next instanceof Put p) bytes += p.length();
                }
                write(batch);
                if (stop) break;
                if (System.currentTimeMillis() - lastCompactionMillis > BUSY_COMPACTION_EVERY_MILLIS) compactSlice(BUSY_COMPACTION_BYTES);
            }
            finishWriter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("{}: the pack writer stopped on an unexpected error; requests now fail", dir, e);
            fenced = new StoreException(StoreException.Reason.UNAVAILABLE, dir + ": the pack writer stopped: " + e, e);
        } finally {
            exited = true;
            failQueued(fenced != null ? fenced : new StoreException(StoreException.Reason.UNAVAILABLE, dir + ": the store is closed"));
        }
    }

    private void failQueued(StoreException why) {
        for (Op op; (op = queue.poll()) != null; ) fail(op, why);
    }

    private void write(List<Op> batch) throws InterruptedException {
        List<Op> accepted = decide(batch);
        if (accepted.isEmpty()) return;
        long deadline = System.currentTimeMillis() + options.retrySeconds() * 1000L;
        long wait = 100;
        while (true) {
            StoreException f = fenced;
            if (f != null) {
                accepted.forEach(op -> fail(op, f));
                return;
            }
            try {
                ensureWriter();
                List<PackRecord> written = new ArrayList<>(accepted.size());
                for (Op op : accepted) {
                    if (op instanceof Put p) written.add(writer.append(PackRecord.Type.PUT, p.key(), p.value(), p.length(), p.crc()));
                    else written.add(writer.append(PackRecord.Type.DELETE, ((Delete) op).key(), null, 0, 0));
                }
                syncAndIndex(written);
                for (Op op : accepted) (op instanceof Put p ? p.done() : ((Delete) op).done()).complete(null);
                if (writer.length() >= options.packBytes()) roll();
                return;
            } catch (IOException e) {
                abandonWriter(e);
                if (fenced != null) continue;
                if (System.currentTimeMillis() > deadline) {
                    StoreException why = new StoreException(StoreException.Reason.UNAVAILABLE,
                            dir + ": HDFS failed every write for " + options.retrySeconds() + " s; last: " + e, e);
                    accepted.forEach(op -> fail(op, why));
                    return;
                }
                Thread.sleep(wait);
                wait = Math.min(2000, wait * 2);
            }
        }
    }

    /** Syncs the open pack, then makes {@code written} (appended to it since the last sync) the pack's and the index's. */
    private void syncAndIndex(List<PackRecord> written) throws IOException {
        writer.sync();
        Pack pack = writer.pack;
        for (PackRecord r : written) {
            synchronized (this) {
                pack.add(r);
            }
            index(pack, r);
        }
    }

    /** Answers what needs no writing (a retry of a stored value, a second delete, a refused put); returns the rest. */
    private List<Op> decide(List<Op> batch) {
        List<Op> accepted = new ArrayList<>();
        Map<String, Op> inBatch = new HashMap<>();
        for (Op op : batch) {
            if (op instanceof Put p) {
                Slot s;
                synchronized (this) {
                    s = slots.get(p.key());
                }
                Op earlier = inBatch.get(p.key());
                if ((s != null && s.deleted) || earlier instanceof Delete) {
                    fail(p, new StoreException(StoreException.Reason.DELETED, p.key() + " was deleted"));
                } else if (s != null && s.live()) {
                    answerRetry(p, s);
                } else if (earlier instanceof Put e) {
                    if (e.length() == p.length() && Arrays.equals(e.value(), 0, e.length(), p.value(), 0, p.length())) follow(p.done(), e.done());
                    else fail(p, new StoreException(StoreException.Reason.EXISTS, p.key() + " holds other bytes"));
                } else {
                    accepted.add(p);
                    inBatch.put(p.key(), p);
                }
            } else if (op instanceof Delete d) {
                Slot s;
                synchronized (this) {
                    s = slots.get(d.key());
                }
                if (s != null && s.deleted) {
                    d.done().complete(null);
                } else if (inBatch.get(d.key()) instanceof Delete e) {
                    follow(d.done(), e.done());
                } else {
                    accepted.add(d);
                    inBatch.put(d.key(), d);
                }
            }
        }
        return accepted;
    }

    /** A put of a key already stored: a retry if the bytes are the same (compared in full), else refused. */
    private void answerRetry(Put p, Slot s) {
        PackRecord r = s.record;
        if (r.valueLength() != p.length() || r.valueCrc() != p.crc()) {
            fail(p, new StoreException(StoreException.Reason.EXISTS, p.key() + " holds other bytes"));
            return;
        }
        try {
            byte[] stored = get(p.key());
            if (stored != null && Arrays.equals(stored, 0, stored.length, p.value(), 0, p.length())) p.done().complete(null);
            else fail(p, new StoreException(StoreException.Reason.EXISTS, p.key() + " holds other bytes"));
        } catch (IOException | RuntimeException e) {
            fail(p, new StoreException(StoreException.Reason.UNAVAILABLE, p.key() + ": could not compare with the stored value: " + e, e));
        }
    }

    private static void follow(CompletableFuture<Void> follower, CompletableFuture<Void> leader) {
        leader.whenComplete((v, e) -> {
            if (e != null) follower.completeExceptionally(e);
            else follower.complete(null);
        });
    }

    private static void fail(Op op, StoreException why) {
        if (op instanceof Put p) p.done().completeExceptionally(why);
        else if (op instanceof Delete d) d.done().completeExceptionally(why);
    }

    private void ensureWriter() throws IOException {
        if (writer != null) return;
        long next;
        synchronized (this) {
            next = Math.max(packs.isEmpty() ? 0 : packs.lastKey() + 1, abandonedNumber + 1);
        }
        Pack pack = new Pack(next, path(next));
        try {
            writer = PackWriter.create(fs, pack, options.hsync());
        } catch (IOException e) {
            if (taken(e)) { // a number after every pack this writer knows of: someone claimed the group since
                fenced = new StoreException(StoreException.Reason.REFUSED, dir + ": another writer took this group over (" + pack.path.getName()
                        + " exists); this writer stops. Its volume is served elsewhere now.", e);
                LOG.warn(fenced.getMessage());
            } else if (recreatedByItsHolder(e)) {
                abandonedNumber = next; // this writer's own, created by an attempt whose answer was lost: the next one
            } else {
                LOG.warn("{}: creating {} failed ({}); trying again", dir, pack.path.getName(), e.toString());
            }
            throw e;
        }
        synchronized (this) {
            packs.put(next, pack);
        }
    }

    private void abandonWriter(IOException why) {
        PackWriter w = writer;
        writer = null;
        if (w == null) return;
        LOG.warn("{}: HDFS failed a write to {} ({}); what was synced in it stays, the rest is written again to a new pack",
                dir, w.pack.path.getName(), why.toString());
        w.abandon();
    }

    private void roll() {
        finishWriter();
    }

    private void finishWriter() {
        PackWriter w = writer;
        writer = null;
        if (w == null) return;
        try {
            w.finish();
        } catch (IOException e) {
            LOG.warn("{}: closing {} failed ({}); it stays readable record by record", dir, w.pack.path.getName(), e.toString());
            w.abandon();
        }
    }

    // ---- compaction (on the writing thread) ----

    private void compactSlice(long maxBytes) {
        lastCompactionMillis = System.currentTimeMillis();
        if (fenced != null || closed) return;
        if (compaction == null) {
            Pack victim = candidate();
            if (victim == null) return;
            compaction = new Compaction(victim);
            LOG.debug("{}: compacting {} ({}% live)", dir, victim, Math.round(victim.liveShare() * 100));
        }
        Pack victim = compaction.pack;
        int cursor = compaction.cursor;
        try {
            List<PackRecord> copies = new ArrayList<>();
            long copied = 0;
            while (cursor < victim.records.size() && copied < maxBytes && queue.isEmpty()) {
                PackRecord r = victim.records.get(cursor);
                boolean copy;
                synchronized (this) {
                    Slot s = slots.get(r.key());
                    copy = s != null && (r.type() == PackRecord.Type.PUT
                            ? s.live() && s.pack == victim && s.record.offset() == r.offset()
                            : s.deleted && s.holders.stream().anyMatch(h -> h != victim));
                }
                if (copy) {
                    ensureWriter();
                    byte[] value = null;
                    if (r.type() == PackRecord.Type.PUT) {
                        value = new byte[r.valueLength()];
                        victim.read(fs, r.valueOffset(), value, 0, value.length);
                        if (PackFormat.crc(value, 0, value.length) != r.valueCrc()) {
                            byte[] other = otherCopy(r.key(), victim);
                            if (other == null) throw new IOException(r.key() + " in " + victim + " fails its CRC32C; not copied");
                            value = other;
                        }
                    }
                    copies.add(writer.append(r.type(), r.key(), value, value == null ? 0 : value.length, r.valueCrc()));
                    copied += r.length();
                }
                cursor++;
            }
            if (!copies.isEmpty()) syncAndIndex(copies);
            compaction.cursor = cursor;
            if (cursor == victim.records.size()) deletePack(victim);
            if (writer != null && writer.length() >= options.packBytes()) roll();
        } catch (IOException e) {
            abandonWriter(e);
        }
    }

    /** The closed pack with the smallest live share under {@code compactBelow}, or null. */
    private synchronized Pack candidate() {
        Pack best = null;
        for (Pack p : packs.values()) {
            if (p.open || (writer != null && p == writer.pack)) continue;
            if (p.liveShare() < options.compactBelow() && (best == null || p.liveShare() < best.liveShare())) best = p;
        }
        return best;
    }

    private void deletePack(Pack victim) throws IOException {
        if (fenced != null) return;
        fs.delete(victim.path, false);
        synchronized (this) {
            packs.remove(victim.number);
            victim.gone = true;
            for (PackRecord r : victim.records) {
                Slot s = slots.get(r.key());
                if (s == null) continue;
                s.holders.remove(victim);
                if (s.deleted && s.holders.isEmpty()) slots.remove(r.key());
            }
        }
        victim.close();
        compaction = null;
        LOG.debug("{}: deleted {} after copying what was live", dir, victim);
    }

    @Override
    public void close() {
        closed = true;
        queue.add(new Stop());
        try {
            thread.join(TimeUnit.SECONDS.toMillis(options.retrySeconds() + 10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeStreams();
    }

    private synchronized void closeStreams() {
        for (Pack p : packs.values()) p.close();
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    Path dir() {
        return dir;
    }
}
