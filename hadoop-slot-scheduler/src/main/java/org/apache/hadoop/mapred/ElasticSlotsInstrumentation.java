package org.apache.hadoop.mapred;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.hadoop.conf.Configuration;
import org.elastichadoop.slots.scheduler.SchedulerSettings;
import org.elastichadoop.slots.tracker.SlotActivator;

import java.io.File;
import java.lang.reflect.Field;

/**
 * The TaskTracker hook ({@code mapred.tasktracker.instrumentation}): Hadoop 1.2.1 constructs it
 * with the TaskTracker, which is how this code gets hold of the running tracker to activate and
 * deactivate its slots ({@link SlotActivator} does the work). The tracker's usual metrics
 * instrumentation is created too and every call is passed on to it.
 */
public class ElasticSlotsInstrumentation extends TaskTrackerInstrumentation {
    private static final Log LOG = LogFactory.getLog(ElasticSlotsInstrumentation.class);
    /** How often the hook looks at this node's allocation. */
    public static final String PERIOD_MS = "elastic.slots.tasktracker.period.ms";

    private final TaskTrackerInstrumentation metrics;
    private final java.util.concurrent.atomic.AtomicInteger runningMaps = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger runningReduces = new java.util.concurrent.atomic.AtomicInteger();
    private final SlotActivator activator;

    public ElasticSlotsInstrumentation(final TaskTracker tt) {
        super(tt);
        metrics = TaskTrackerInstrumentation.create(tt);
        Configuration conf = trackerConf(tt);
        SlotActivator a = null;
        try {
            a = new SlotActivator(SchedulerSettings.from(conf), tt.localHostname, tt.getMaxCurrentMapTasks(), tt.getMaxCurrentReduceTasks(),
                    (maps, reduces) -> {
                        tt.setMaxMapSlots(maps);
                        tt.setMaxReduceSlots(reduces);
                    });
            a.reporting(() -> new int[] {runningMaps.get(), runningReduces.get()}, java.nio.file.Paths.get("/proc/stat"));
            a.start(conf.getLong(PERIOD_MS, 1000));
        } catch (RuntimeException e) { // a bad configuration must not stop the TaskTracker: it runs with its configured slots
            LOG.error("Elastic slots: the TaskTracker hook is off (" + e.getMessage() + "); this node keeps its configured slots", e);
        }
        activator = a;
    }

    /** The tracker's own configuration (private in 1.2.1); the site files if it cannot be read. */
    private static Configuration trackerConf(TaskTracker tt) {
        try {
            Field f = TaskTracker.class.getDeclaredField("fConf");
            f.setAccessible(true);
            Object conf = f.get(tt);
            if (conf instanceof Configuration) return (Configuration) conf;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Elastic slots: cannot read the TaskTracker's configuration (" + e + "); using mapred-site.xml");
        }
        return new JobConf();
    }

    /** Slots this hook has activated (for tests and status); -1 when the hook is off. */
    public int activeMaps() {
        return activator == null ? -1 : activator.activeMaps();
    }

    @Override
    public void completeTask(TaskAttemptID t) {
        metrics.completeTask(t);
    }

    @Override
    public void timedoutTask(TaskAttemptID t) {
        metrics.timedoutTask(t);
    }

    @Override
    public void taskFailedPing(TaskAttemptID t) {
        metrics.taskFailedPing(t);
    }

    @Override
    public void reportTaskLaunch(TaskAttemptID t, File stdout, File stderr) {
        (t.isMap() ? runningMaps : runningReduces).incrementAndGet();
        metrics.reportTaskLaunch(t, stdout, stderr);
    }

    @Override
    public void reportTaskEnd(TaskAttemptID t) {
        AtomicCount.decrement(t.isMap() ? runningMaps : runningReduces);
        metrics.reportTaskEnd(t);
    }

    private static final class AtomicCount {
        static void decrement(java.util.concurrent.atomic.AtomicInteger n) {
            n.updateAndGet(v -> Math.max(0, v - 1));
        }
    }
}
