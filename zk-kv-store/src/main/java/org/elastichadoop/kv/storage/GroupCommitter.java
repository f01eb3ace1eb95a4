package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The sync thread. Writers append without syncing and then wait for their record's end position; this thread
 * repeatedly fsyncs everything appended so far and completes every waiter that position covers, so all the
 * writers that arrived during one fsync share the next. With O_DIRECT the appends are only staged in memory,
 * and forcing the tail first writes them, in one aligned write.
 *
 * <p>Futures complete on this thread: dependent stages added without an executor run here too and should be
 * short. After a failed fsync the data in the page cache cannot be trusted to reach the disk, so the committer
 * fails every present and future waiter and the store stops accepting writes.
 */
final class GroupCommitter {
    private static final Logger log = LogManager.getLogger(GroupCommitter.class);

    private final Appender appender;
    private final Path dir;
    private final LongAdder syncs;
    private final Consumer<Segment> onSealed;
    private final Thread thread;

    private final Object monitor = new Object();
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>(Comparator.comparingLong(Waiter::position));
    private boolean closing;
    private boolean stopped;

    private volatile long durablePosition;
    private volatile StoreException failure;

    private record Waiter(long position, CompletableFuture<Void> future) {
    }

    /**
     * @param durablePosition everything before this store-wide position is already durable
     * @param onSealed        called with each rolled-over segment once it is durable
     */
    GroupCommitter(Appender appender, Path dir, long durablePosition, LongAdder syncs, Consumer<Segment> onSealed,
                   String threadName) {
        this.appender = appender;
        this.dir = dir;
        this.durablePosition = durablePosition;
        this.syncs = syncs;
        this.onSealed = onSealed;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Completes once everything before {@code position} is on disk. */
    CompletableFuture<Void> whenDurable(long position) {
        if (position <= durablePosition) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (monitor) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (position <= durablePosition) {
                future.complete(null);
            } else if (stopped) {
                future.completeExceptionally(new StoreException("store is closed"));
            } else {
                waiters.add(new Waiter(position, future));
                monitor.notifyAll();
            }
        }
        return future;
    }

    /** Throws if an fsync has failed: appending more would only produce writes that can never be acknowledged. */
    void checkHealthy() throws StoreException {
        StoreException failed = failure;
        if (failed != null) {
            throw new StoreException("store refuses writes after a failed fsync", failed);
        }
    }

    /** Syncs whatever is still pending, completes every waiter and stops the thread. */
    void close() throws InterruptedException {
        synchronized (monitor) {
            closing = true;
            monitor.notifyAll();
        }
        thread.join();
    }

    private void run() {
        try {
            while (awaitWork()) {
                syncOnce();
            }
            syncOnce();
        } catch (InterruptedException e) {
            fail(new StoreException("sync thread interrupted"));
        } catch (RuntimeException | Error e) {
            fail(new StoreException("sync thread died", e));
            throw e;
        } finally {
            synchronized (monitor) {
                stopped = true;
            }
        }
    }

    /** Waits until a writer waits; false once closing with nobody left waiting. */
    private boolean awaitWork() throws InterruptedException {
        synchronized (monitor) {
            while (waiters.isEmpty() && !closing && failure == null) {
                monitor.wait();
            }
            return failure == null && !(closing && waiters.isEmpty());
        }
    }

    private void syncOnce() {
        if (failure != null) {
            return;
        }
        Appender.SyncBatch batch = appender.syncBatch();
        Segment tail = batch.tail();
        try {
            for (Segment segment : batch.sealing()) {
                segment.force();
                syncs.increment();
            }
            if (!tail.isDirectoryEntryDurable()
                    || batch.sealing().stream().anyMatch(s -> !s.isDirectoryEntryDurable())) {
                FileIo.fsyncDirectory(dir);
                syncs.increment();
                batch.sealing().forEach(Segment::markDirectoryEntryDurable);
                tail.markDirectoryEntryDurable();
            }
            if (batch.position() > Math.max(durablePosition, tail.basePosition())) {
                tail.force();
                syncs.increment();
            }
        } catch (IOException e) {
            fail(new StoreException("fsync failed in " + dir, e));
            return;
        }
        if (batch.position() > durablePosition) {
            durablePosition = batch.position();
        }
        if (!batch.sealing().isEmpty()) {
            appender.sealed(batch.sealing());
            batch.sealing().forEach(onSealed);
        }
        completeUpTo(durablePosition);
    }

    private void completeUpTo(long position) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (monitor) {
            while (!waiters.isEmpty() && waiters.peek().position() <= position) {
                ready.add(waiters.poll());
            }
        }
        for (Waiter waiter : ready) {
            waiter.future().complete(null);
        }
    }

    private void fail(StoreException cause) {
        List<Waiter> failed;
        synchronized (monitor) {
            if (failure == null) {
                failure = cause;
                log.error("{}; the store will not accept writes until reopened", cause.getMessage(), cause.getCause());
            }
            failed = new ArrayList<>(waiters);
            waiters.clear();
            monitor.notifyAll();
        }
        for (Waiter waiter : failed) {
            waiter.future().completeExceptionally(failure);
        }
    }
}
