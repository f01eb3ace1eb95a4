package org.elastichadoop.slots.tracker;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.elastichadoop.slots.allocation.TrackerReport;
import org.elastichadoop.slots.scheduler.AllocationFollower;
import org.elastichadoop.slots.scheduler.Remedy;
import org.elastichadoop.slots.scheduler.SchedulerSettings;
import org.elastichadoop.slots.scheduler.SlotCaps;
import org.elastichadoop.slots.source.CpuCounters;

import java.io.Closeable;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The TaskTracker side: follows this node's allocation and activates or deactivates slots on the
 * running TaskTracker (what it advertises to the JobTracker in its heartbeats), never above the
 * maxima it was configured with. Without a fresh allocation it applies the fallback, as the scheduler
 * does. A failure here never stops the TaskTracker: it is logged and retried.
 *
 * <p>Two threads: the slot thread only reads what the follower already knows and sets the slots, so
 * it never waits on ZooKeeper and the TTL holds whatever ZooKeeper does; the report thread writes
 * this node's report (one at a time; a report due while one is still being written is skipped).
 */
public final class SlotActivator implements Closeable {
    private static final Log LOG = LogFactory.getLog(SlotActivator.class);
    /** Thread names, followed by the host. */
    public static final String SLOT_THREAD = "elastic-slots-activator";
    public static final String REPORT_THREAD = "elastic-slots-reporter";

    /** Sets the TaskTracker's active map and reduce slots. */
    public interface Slots {
        void set(int maps, int reduces);
    }

    /** The map and reduce tasks the TaskTracker runs now. */
    public interface Running {
        int[] mapsAndReduces();
    }

    private final String host;
    private final int configuredMaps;
    private final int configuredReduces;
    private final Slots slots;
    private final AllocationFollower follower;
    private final ScheduledExecutorService loop;
    private final ExecutorService reporter;
    private final AtomicBoolean reportInFlight = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private int activeMaps;
    private int activeReduces;
    private Running running = () -> new int[] {0, 0};
    private Path procStat = Paths.get("/proc/stat");
    private CpuCounters lastCounters;
    private volatile boolean reportFailed;

    /** The TaskTracker runs {@code configuredMaps} and {@code configuredReduces} (its configuration's maxima) now. */
    public SlotActivator(SchedulerSettings settings, String host, int configuredMaps, int configuredReduces, Slots slots) {
        this.host = host;
        this.configuredMaps = configuredMaps;
        this.configuredReduces = configuredReduces;
        this.slots = slots;
        this.follower = new AllocationFollower(settings, System::currentTimeMillis);
        this.activeMaps = configuredMaps;
        this.activeReduces = configuredReduces;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, SLOT_THREAD + " " + host));
        this.reporter = Executors.newSingleThreadExecutor(r -> daemon(r, REPORT_THREAD + " " + host));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Reports the node (slots, tasks, its /proc/stat figures) at ROOT/reports/HOST with every period. */
    public SlotActivator reporting(Running tasks, Path stat) {
        this.running = tasks;
        this.procStat = stat;
        return this;
    }

    public void start(long periodMillis) {
        follower.start();
        loop.scheduleWithFixedDelay(this::apply, 0, periodMillis, TimeUnit.MILLISECONDS);
        LOG.info("Elastic slots: " + host + " activates slots by its allocation (configured: " + configuredMaps + " maps, "
                + configuredReduces + " reduces, the most it will ever run)");
    }

    synchronized void apply() {
        try {
            SlotCaps caps = follower.capsFor(host, configuredMaps, configuredReduces);
            try {
                if (caps.maps != activeMaps || caps.reduces != activeReduces) change(caps);
            } finally {
                report();
            }
        } catch (RuntimeException e) {
            LOG.error("Elastic slots: could not change the slots of " + host + " (" + e + "); trying again", e);
        } catch (Throwable t) { // a LinkageError and the like: this will not get better; the node goes back to its configured slots
            LOG.error("Elastic slots are OFF on this TaskTracker (" + t + "): " + host + " goes back to its configured " + configuredMaps
                    + " maps and " + configuredReduces + " reduces. " + Remedy.of(t) + ", then restart the TaskTracker.", t);
            try {
                slots.set(configuredMaps, configuredReduces);
                activeMaps = configuredMaps;
                activeReduces = configuredReduces;
            } catch (Throwable again) {
                LOG.error("Elastic slots: " + host + " could not be set back to its configured slots (" + again + ")");
            }
            close();
        }
    }

    private void change(SlotCaps caps) {
        slots.set(caps.maps, caps.reduces);
        LOG.info("Elastic slots: " + host + " now runs up to " + caps.maps + " maps and " + caps.reduces + " reduces (was "
                + activeMaps + " and " + activeReduces + "; " + caps.origin + ")");
        activeMaps = caps.maps;
        activeReduces = caps.reduces;
    }

    /** Hands this period's report to the report thread, unless the last one is still being written. */
    private void report() {
        TrackerReport r;
        try {
            CpuCounters now = CpuCounters.read(procStat);
            double[] cpu = now.busyAndStealCoresSince(lastCounters);
            lastCounters = now;
            if (cpu == null) return;
            int[] tasks = running.mapsAndReduces();
            r = new TrackerReport(host, activeMaps, activeReduces, tasks[0], tasks[1], now.cpus(), Math.min(cpu[0], now.cpus()), cpu[1],
                    System.currentTimeMillis());
        } catch (Exception e) {
            reportFailed("cannot read " + procStat, e);
            return;
        }
        if (!reportInFlight.compareAndSet(false, true)) return;
        try {
            reporter.execute(() -> write(r));
        } catch (RejectedExecutionException closing) {
            reportInFlight.set(false);
        }
    }

    private void write(TrackerReport r) {
        try {
            follower.store().writeReport(r);
            if (reportFailed) LOG.info("Elastic slots: reporting " + host + " again");
            reportFailed = false;
        } catch (Throwable e) {
            reportFailed("ZooKeeper did not take the report", e);
        } finally {
            reportInFlight.set(false);
        }
    }

    /** Best effort: without ZooKeeper there is simply no report (logged once until it works again). */
    private void reportFailed(String why, Throwable e) {
        if (!reportFailed) LOG.warn("Elastic slots: cannot report " + host + ": " + why + " (" + e + "); the slots still follow the allocation");
        reportFailed = true;
    }

    public synchronized int activeMaps() {
        return activeMaps;
    }

    public synchronized int activeReduces() {
        return activeReduces;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Stops both threads at once; the ZooKeeper session is closed in the background, so this never waits on ZooKeeper. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        loop.shutdownNow();
        reporter.shutdownNow();
        Thread closer = daemon(() -> {
            try {
                follower.close();
            } catch (RuntimeException e) {
                LOG.warn("Elastic slots: closing the ZooKeeper client of " + host + " failed (" + e + ")");
            }
        }, "elastic-slots-closer " + host);
        closer.start();
    }
}
