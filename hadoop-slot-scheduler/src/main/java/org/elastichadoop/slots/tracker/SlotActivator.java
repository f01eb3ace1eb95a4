package org.elastichadoop.slots.tracker;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.elastichadoop.slots.scheduler.AllocationFollower;
import org.elastichadoop.slots.scheduler.SchedulerSettings;
import org.elastichadoop.slots.scheduler.SlotCaps;

import java.io.Closeable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The TaskTracker side: follows this node's allocation and activates or deactivates slots on the
 * running TaskTracker (what it advertises to the JobTracker in its heartbeats), never above the
 * maxima it was started with. Without a fresh allocation it applies the fallback, as the scheduler
 * does. A failure here never stops the TaskTracker: it is logged and retried.
 */
public final class SlotActivator implements Closeable {
    private static final Log LOG = LogFactory.getLog(SlotActivator.class);

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
    private int activeMaps;
    private int activeReduces;
    private Running running = () -> new int[] {0, 0};
    private java.nio.file.Path procStat = java.nio.file.Paths.get("/proc/stat");
    private org.elastichadoop.slots.source.CpuCounters lastCounters;
    private boolean reportFailed;

    public SlotActivator(SchedulerSettings settings, String host, int configuredMaps, int configuredReduces, Slots slots) {
        this.host = host;
        this.configuredMaps = configuredMaps;
        this.configuredReduces = configuredReduces;
        this.slots = slots;
        this.follower = new AllocationFollower(settings, System::currentTimeMillis);
        this.activeMaps = configuredMaps;
        this.activeReduces = configuredReduces;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "elastic-slots-activator");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reports the node (slots, tasks, its /proc/stat figures) at ROOT/reports/HOST with every period. */
    public SlotActivator reporting(Running tasks, java.nio.file.Path stat) {
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
        }
    }

    private void change(SlotCaps caps) {
        slots.set(caps.maps, caps.reduces);
        LOG.info("Elastic slots: " + host + " now runs up to " + caps.maps + " maps and " + caps.reduces + " reduces (was "
                + activeMaps + " and " + activeReduces + "; " + caps.origin + ")");
        activeMaps = caps.maps;
        activeReduces = caps.reduces;
    }

    /** Best effort: without ZooKeeper there is simply no report (logged once until it works again). */
    private void report() {
        try {
            org.elastichadoop.slots.source.CpuCounters now = org.elastichadoop.slots.source.CpuCounters.read(procStat);
            double[] cpu = now.busyAndStealCoresSince(lastCounters);
            lastCounters = now;
            if (cpu == null) return;
            int[] tasks = running.mapsAndReduces();
            follower.store().writeReport(new org.elastichadoop.slots.allocation.TrackerReport(host, activeMaps, activeReduces,
                    tasks[0], tasks[1], now.cpus(), Math.min(cpu[0], now.cpus()), cpu[1], System.currentTimeMillis()));
            if (reportFailed) LOG.info("Elastic slots: reporting " + host + " again");
            reportFailed = false;
        } catch (Exception e) {
            if (!reportFailed) LOG.warn("Elastic slots: cannot report " + host + " (" + e + "); the slots still follow the allocation");
            reportFailed = true;
        }
    }

    public synchronized int activeMaps() {
        return activeMaps;
    }

    public synchronized int activeReduces() {
        return activeReduces;
    }

    @Override
    public void close() {
        loop.shutdownNow();
        follower.close();
    }
}
