package org.apache.hadoop.mapred;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.hadoop.conf.Configuration;
import org.elastichadoop.slots.scheduler.Remedy;
import org.elastichadoop.slots.scheduler.SchedulerSettings;
import org.elastichadoop.slots.scheduler.ShadedLibrariesLog;
import org.elastichadoop.slots.tracker.SlotActivator;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Paths;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TaskTracker hook ({@code mapred.tasktracker.instrumentation}): Hadoop 1.2.1 constructs it
 * with the TaskTracker, which is how this code gets hold of the running tracker to activate and
 * deactivate its slots ({@link SlotActivator} does the work). The tracker's usual metrics
 * instrumentation is created too and every call is passed on to it.
 *
 * <p>The TaskTracker builds a new one each time it re-initialises (after a JobTracker restart), inside
 * {@code TaskTracker.initialize()} and before it sizes its task launchers: the new hook closes the old
 * one and puts the configured maxima back first, so the launchers get the full ceiling. Nothing of ours
 * throws into the TaskTracker: if the hook cannot start, the node runs its configured slots with the
 * default metrics.
 */
public class ElasticSlotsInstrumentation extends TaskTrackerInstrumentation {
    private static final Log LOG = LogFactory.getLog(ElasticSlotsInstrumentation.class);
    /** How often the hook looks at this node's allocation. */
    public static final String PERIOD_MS = "elastic.slots.tasktracker.period.ms";
    /** The TaskTracker's own keys for its maxima, with its defaults (TaskTracker's constructor reads them so). */
    static final String MAX_MAPS = "mapred.tasktracker.map.tasks.maximum";
    static final String MAX_REDUCES = "mapred.tasktracker.reduce.tasks.maximum";
    private static final int HADOOP_DEFAULT_MAX = 2;

    /** The live hook of each TaskTracker in this JVM (MiniMRCluster runs several). */
    private static final Map<TaskTracker, ElasticSlotsInstrumentation> LIVE = new WeakHashMap<>();

    private final TaskTrackerInstrumentation metrics;
    private final AtomicInteger runningMaps = new AtomicInteger();
    private final AtomicInteger runningReduces = new AtomicInteger();
    /** Null while the hook is off. */
    private volatile SlotActivator activator;

    public ElasticSlotsInstrumentation(final TaskTracker tt) {
        super(tt);
        metrics = TaskTrackerInstrumentation.create(tt);
        closePrevious(tt);
        try {
            Configuration conf = trackerConf(tt);
            int maps = conf.getInt(MAX_MAPS, HADOOP_DEFAULT_MAX);
            int reduces = conf.getInt(MAX_REDUCES, HADOOP_DEFAULT_MAX);
            tt.setMaxMapSlots(maps);
            tt.setMaxReduceSlots(reduces);
            ShadedLibrariesLog.warnByDefault();
            activator = new SlotActivator(SchedulerSettings.from(conf), tt.localHostname, maps, reduces, (m, r) -> setSlots(tt, m, r));
            activator.reporting(() -> new int[] {runningMaps.get(), runningReduces.get()}, Paths.get("/proc/stat"));
            activator.start(conf.getLong(PERIOD_MS, 1000));
        } catch (Throwable t) {
            SlotActivator started = activator;
            activator = null;
            if (started != null) started.close();
            LOG.error("Elastic slots are OFF on this TaskTracker (" + t + "): it runs its configured slots with the default metrics. "
                    + Remedy.of(t) + ", then restart the TaskTracker.", t);
        }
    }

    /** Only while this hook's activator is open: a closed one's last change must not land after its successor's. */
    private void setSlots(TaskTracker tt, int maps, int reduces) {
        synchronized (tt) {
            SlotActivator a = activator;
            if (a == null || a.isClosed()) return;
            tt.setMaxMapSlots(maps);
            tt.setMaxReduceSlots(reduces);
        }
    }

    private void closePrevious(TaskTracker tt) {
        ElasticSlotsInstrumentation previous;
        synchronized (LIVE) {
            previous = LIVE.put(tt, this);
        }
        SlotActivator old = previous == null ? null : previous.activator;
        if (old != null) {
            old.close();
            LOG.info("Elastic slots: the TaskTracker re-initialised; its previous hook is closed");
        }
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
        SlotActivator a = activator;
        return a == null ? -1 : a.activeMaps();
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
        (t.isMap() ? runningMaps : runningReduces).updateAndGet(v -> Math.max(0, v - 1));
        metrics.reportTaskEnd(t);
    }
}
