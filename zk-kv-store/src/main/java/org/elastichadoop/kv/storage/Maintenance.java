package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Background work on sealed segments: writing hint files after a roll-over and periodic compaction. Both run
 * under one lock (also taken by explicit {@link LogStore#compact()} calls) so a hint is never written for a
 * segment that compaction is deleting.
 */
final class Maintenance {
    private static final Logger log = LogManager.getLogger(Maintenance.class);

    private final Compactor compactor;
    private final ScheduledExecutorService executor;
    private final Object lock = new Object();
    private volatile boolean stopping;

    Maintenance(Compactor compactor, long compactionIntervalMillis, String threadName) {
        this.compactor = compactor;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        if (compactionIntervalMillis > 0) {
            executor.scheduleWithFixedDelay(this::compactInBackground, compactionIntervalMillis,
                    compactionIntervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    void compactNow() throws IOException {
        synchronized (lock) {
            compactor.runPass(() -> stopping);
        }
    }

    /** Queues the hint file of a segment that has just become durable; {@code hints} may be null. */
    void segmentSealed(Segment segment, HintCollector hints) {
        try {
            executor.execute(() -> writeHint(segment, hints));
        } catch (RejectedExecutionException closing) {
            log.debug("store closing; segment {} will be scanned on the next open", segment.name());
        }
    }

    private void writeHint(Segment segment, HintCollector hints) {
        synchronized (lock) {
            if (segment.isDeleted()) {
                return;
            }
            try {
                HintFile.writeFor(segment, hints);
            } catch (IOException e) {
                log.warn("could not write the hint file of segment {}; it will be scanned on the next open",
                        segment.name(), e);
            }
        }
    }

    private void compactInBackground() {
        try {
            compactNow();
        } catch (IOException | RuntimeException e) {
            log.warn("background compaction failed", e);
        }
    }

    /**
     * Stops scheduling, waits for queued hint files, and lets a running pass (background or explicit) finish the
     * segment it is on.
     */
    void close() throws InterruptedException {
        stopping = true;
        executor.shutdown();
        while (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            log.info("waiting for background maintenance to finish");
        }
        synchronized (lock) {
            // An explicit compact() runs on its caller's thread; holding the lock means it has stopped.
        }
    }
}
