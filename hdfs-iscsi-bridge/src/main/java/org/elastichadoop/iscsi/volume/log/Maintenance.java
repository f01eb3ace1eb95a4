package org.elastichadoop.iscsi.volume.log;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The volume's background work, off the I/O path: on its own thread a pass of checkpoint then compaction, queued once
 * however often it is asked for (after enough stored segments, when garbage or the memtable grows, when the volume is
 * idle); on another thread the map's merges, which may take long and must not hold checkpoints up.
 */
final class Maintenance implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Maintenance.class);
    private static final int IDLE_CHECKPOINT_SECONDS = 5;
    /** How often the idle check looks: a pass starts at most this long after the volume has been idle long enough. */
    private static final int IDLE_CHECK_SECONDS = 1;
    /** At most this many segments rewritten per pass (a pass follows every 64 stored segments or so). */
    private static final int COMPACT_PER_PASS = 64;

    private final VolumeState s;
    private final Checkpointer checkpointer;
    private final MapMerger merger;
    private final Compactor compactor;
    private final ScheduledExecutorService passes;
    private final ExecutorService merges;
    private boolean passQueued; // guarded by s
    private boolean mergeQueued; // guarded by s

    Maintenance(VolumeState s, Checkpointer checkpointer, MapMerger merger, Compactor compactor) {
        this.s = s;
        this.checkpointer = checkpointer;
        this.merger = merger;
        this.compactor = compactor;
        this.passes = Executors.newSingleThreadScheduledExecutor(daemon("volume-" + s.name + "-maintenance"));
        this.merges = Executors.newSingleThreadExecutor(daemon("volume-" + s.name + "-merge"));
        passes.scheduleWithFixedDelay(this::checkpointIfIdle, IDLE_CHECK_SECONDS, IDLE_CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /** Runs {@code task} on the maintenance thread before any pass. */
    void first(Runnable task) {
        passes.execute(task);
    }

    /** Queues a pass (once, however often asked). */
    void request() {
        synchronized (s) {
            if (passQueued || s.closed || s.failure != null) return;
            passQueued = true;
        }
        try {
            passes.execute(this::pass);
        } catch (RejectedExecutionException e) {
            synchronized (s) {
                passQueued = false; // closing
            }
        }
    }

    private void checkpointIfIdle() {
        synchronized (s) {
            // written since the last checkpoint, or dead segments left to delete, and no write for a while
            if (s.segmentsSinceCheckpoint == 0 && s.open.entries.isEmpty() && s.garbage.isEmpty()) return;
            if (System.nanoTime() - s.lastWriteNanos < TimeUnit.SECONDS.toNanos(IDLE_CHECKPOINT_SECONDS)) return;
        }
        request();
    }

    private void pass() {
        boolean idle;
        synchronized (s) {
            passQueued = false;
            if (s.closed || s.failure != null) return;
            idle = System.nanoTime() - s.lastWriteNanos >= TimeUnit.SECONDS.toNanos(IDLE_CHECKPOINT_SECONDS);
        }
        guarded(() -> {
            checkpointer.checkpoint();
            requestMerges(idle);
            compactor.compact(COMPACT_PER_PASS);
        });
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Runs a step of maintenance: a fenced writer stops serving; any other failure waits for the next pass. */
    private void guarded(Step step) {
        try {
            step.run();
        } catch (FencedException e) {
            synchronized (s) {
                s.fail(e);
            }
            LOG.error("Volume '{}': {}", s.name, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Volume '{}': checkpoint or garbage collection failed ({}); it is retried after the next segments "
                    + "(nothing acknowledged is at risk: recovery replays the segments after the last checkpoint)", s.name, e.getMessage());
        }
    }

    /** Queues a compaction without a checkpoint before it. */
    private void requestCompaction() {
        try {
            passes.execute(() -> {
                synchronized (s) {
                    if (s.closed || s.failure != null) return;
                }
                guarded(() -> compactor.compact(COMPACT_PER_PASS));
            });
        } catch (RejectedExecutionException closing) {
            // the volume is closing: nothing to collect for
        }
    }

    /** Queues the merges the map needs; an idle volume's merges make the live counts exact sooner (MapMerger). */
    private void requestMerges(boolean idle) {
        synchronized (s) {
            if (mergeQueued) return;
            mergeQueued = true;
        }
        try {
            merges.execute(() -> {
                synchronized (s) {
                    mergeQueued = false;
                }
                // a merge finds the blocks that newer runs overwrote: the segments' live counts fall, and compaction,
                // which chose by the counts as they were, gets another look; after a checkpoint first when writes
                // arrived meanwhile, whose memtable the next merge can then judge too
                if (merger.mergeAll(idle) > 0) {
                    boolean written;
                    synchronized (s) {
                        written = s.segmentsSinceCheckpoint > 0 || !s.garbage.isEmpty();
                    }
                    if (written) request();
                    else requestCompaction();
                }
            });
        } catch (RejectedExecutionException e) {
            synchronized (s) {
                mergeQueued = false;
            }
        }
    }

    @Override
    public void close() {
        passes.shutdownNow();
        merges.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
