package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.store.StoreException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A group's writing thread: it takes the requests queued meanwhile (up to {@value #BATCH_BYTES} bytes), answers those
 * that need no writing, appends the rest to the open pack, syncs once and only then acknowledges. When HDFS fails a
 * sync (a DataNode lost and no replacement, the NameNode away when a block is needed) the pack is abandoned and the
 * requests are written again to a new pack, for up to {@code retrySeconds}. Between requests, and for a slice a second
 * when they keep coming, it compacts.
 */
final class GroupCommit implements Runnable {
    private static final Logger LOG = LogManager.getLogger(GroupCommit.class);
    private static final long BATCH_BYTES = 64L << 20;
    private static final long IDLE_MILLIS = 200;
    private static final long BUSY_COMPACTION_BYTES = 16L << 20;
    private static final long BUSY_COMPACTION_EVERY_MILLIS = 1000;

    private sealed interface Op permits Put, Delete, Stop {}

    private record Put(String key, byte[] value, int length, int crc, CompletableFuture<Void> done) implements Op {}

    private record Delete(String key, CompletableFuture<Void> done) implements Op {}

    private record Stop() implements Op {}

    private final Path dir;
    private final PackIndex index;
    private final OpenPack open;
    private final PackReads reads;
    private final PackCompactor compactor;
    private final int retrySeconds;
    private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private long lastCompactionMillis;
    private volatile boolean closed;
    private volatile boolean exited;

    GroupCommit(Path dir, PackIndex index, OpenPack open, PackReads reads, PackCompactor compactor, int retrySeconds) {
        this.dir = dir;
        this.index = index;
        this.open = open;
        this.reads = reads;
        this.compactor = compactor;
        this.retrySeconds = retrySeconds;
    }

    CompletableFuture<Void> put(String key, byte[] value, int length) {
        Put p = new Put(key, value, length, PackFormat.crc(value, 0, length), new CompletableFuture<>());
        submit(p);
        return p.done();
    }

    CompletableFuture<Void> delete(String key) {
        Delete d = new Delete(key, new CompletableFuture<>());
        submit(d);
        return d.done();
    }

    private void submit(Op op) {
        StoreException f = open.fenced();
        if (f != null) fail(op, f);
        else if (closed) fail(op, closedError());
        else {
            queue.add(op);
            if (exited) failQueued(closedError());
        }
    }

    /** Refuses new requests and makes the thread stop once it has written those queued. */
    void stop() {
        closed = true;
        queue.add(new Stop());
    }

    private StoreException closedError() {
        return new StoreException(StoreException.Reason.UNAVAILABLE, dir + ": the store is closed");
    }

    @Override
    public void run() {
        try {
            while (true) {
                Op first = queue.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    compact(BATCH_BYTES);
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
                if (System.currentTimeMillis() - lastCompactionMillis > BUSY_COMPACTION_EVERY_MILLIS) compact(BUSY_COMPACTION_BYTES);
            }
            open.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("{}: the pack writer stopped on an unexpected error; requests now fail", dir, e);
            open.fence(new StoreException(StoreException.Reason.UNAVAILABLE, dir + ": the pack writer stopped: " + e, e));
        } finally {
            exited = true;
            StoreException f = open.fenced();
            failQueued(f != null ? f : closedError());
        }
    }

    private void compact(long maxBytes) {
        lastCompactionMillis = System.currentTimeMillis();
        if (!closed) compactor.slice(maxBytes, () -> !queue.isEmpty());
    }

    private void failQueued(StoreException why) {
        for (Op op; (op = queue.poll()) != null; ) fail(op, why);
    }

    private void write(List<Op> batch) throws InterruptedException {
        List<Op> accepted = decide(batch);
        if (accepted.isEmpty()) return;
        long deadline = System.currentTimeMillis() + retrySeconds * 1000L;
        long wait = 100;
        while (true) {
            StoreException f = open.fenced();
            if (f != null) {
                accepted.forEach(op -> fail(op, f));
                return;
            }
            try {
                PackWriter writer = open.writer();
                List<PackRecord> written = new ArrayList<>(accepted.size());
                for (Op op : accepted) {
                    if (op instanceof Put p) written.add(writer.append(PackRecord.Type.PUT, p.key(), p.value(), p.length(), p.crc()));
                    else written.add(writer.append(PackRecord.Type.DELETE, ((Delete) op).key(), null, 0, 0));
                }
                open.syncAndIndex(written);
                for (Op op : accepted) done(op).complete(null);
                open.rollIfFull();
                return;
            } catch (IOException e) {
                open.abandon(e);
                if (open.fenced() != null) continue;
                if (System.currentTimeMillis() > deadline) {
                    StoreException why = new StoreException(StoreException.Reason.UNAVAILABLE,
                            dir + ": HDFS failed every write for " + retrySeconds + " s; last: " + e, e);
                    accepted.forEach(op -> fail(op, why));
                    return;
                }
                Thread.sleep(wait);
                wait = Math.min(2000, wait * 2);
            }
        }
    }

    /** Answers what needs no writing (a retry of a stored value, a second delete, a refused put); returns the rest. */
    private List<Op> decide(List<Op> batch) {
        List<Op> accepted = new ArrayList<>();
        Map<String, Op> inBatch = new HashMap<>();
        for (Op op : batch) {
            if (op instanceof Put p) {
                Op earlier = inBatch.get(p.key());
                PackIndex.Located stored = index.live(p.key());
                if (index.deleted(p.key()) || earlier instanceof Delete) {
                    fail(p, new StoreException(StoreException.Reason.DELETED, p.key() + " was deleted"));
                } else if (stored != null) {
                    answerRetry(p, stored.record());
                } else if (earlier instanceof Put e) {
                    if (e.length() == p.length() && Arrays.equals(e.value(), 0, e.length(), p.value(), 0, p.length())) follow(p.done(), e.done());
                    else fail(p, new StoreException(StoreException.Reason.EXISTS, p.key() + " holds other bytes"));
                } else {
                    accepted.add(p);
                    inBatch.put(p.key(), p);
                }
            } else if (op instanceof Delete d) {
                if (index.deleted(d.key())) {
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
    private void answerRetry(Put p, PackRecord r) {
        if (r.valueLength() != p.length() || r.valueCrc() != p.crc()) {
            fail(p, new StoreException(StoreException.Reason.EXISTS, p.key() + " holds other bytes"));
            return;
        }
        try {
            byte[] stored = reads.get(p.key());
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

    private static CompletableFuture<Void> done(Op op) {
        return op instanceof Put p ? p.done() : ((Delete) op).done();
    }

    private static void fail(Op op, StoreException why) {
        if (!(op instanceof Stop)) done(op).completeExceptionally(why);
    }
}
