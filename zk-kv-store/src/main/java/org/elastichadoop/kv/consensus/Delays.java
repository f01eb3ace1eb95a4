package org.elastichadoop.kv.consensus;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Short tasks run after a delay, on one daemon thread per process. {@code CompletableFuture.delayedExecutor} without
 * an executor of its own hands each task to the common pool, and where that pool has a single thread (two cores,
 * as here) to a new thread per task: a node started some 6,300 threads in 46 s of kv-bench, one for each put's
 * grace timer, which showed in the latency of every request around them.
 */
public final class Delays {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "kv-delays");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private Delays() {
    }

    /** Runs {@code task} after the delay; cancelling the result before then drops it. Keep tasks short. */
    public static ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return TIMER.schedule(task, delay, unit);
    }

    /** An executor that runs each task after the delay (for {@code CompletableFuture.supplyAsync}). */
    public static Executor after(long delay, TimeUnit unit) {
        return task -> TIMER.schedule(task, delay, unit);
    }
}
