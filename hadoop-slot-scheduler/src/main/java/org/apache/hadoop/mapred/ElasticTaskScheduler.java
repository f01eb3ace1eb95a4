package org.apache.hadoop.mapred;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.server.jobtracker.TaskTracker;
import org.apache.hadoop.util.ReflectionUtils;
import org.elastichadoop.slots.scheduler.AllocationFollower;
import org.elastichadoop.slots.scheduler.Preemption;
import org.elastichadoop.slots.scheduler.Remedy;
import org.elastichadoop.slots.scheduler.SchedulerSettings;
import org.elastichadoop.slots.scheduler.ShadedLibrariesLog;
import org.elastichadoop.slots.scheduler.SlotCaps;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JobTracker's task scheduler for elastic slots ({@code mapred.jobtracker.taskScheduler}).
 * It wraps the scheduler that picks the tasks (JobQueueTaskScheduler unless
 * {@code elastic.slots.scheduler.delegate} names another) and, on every heartbeat, shows it the
 * tracker with at most the slots the controller allocated, so no tracker is given more tasks than
 * its allocation. It lives in this package only because Hadoop's scheduler types are
 * package-private; the work is done in {@code org.elastichadoop.slots.scheduler}.
 *
 * <p>Nothing of ours ever throws into the JobTracker: a bad setting, a class missing from the jar or
 * a failure in a heartbeat switches elastic slots off (logged once, with what to do), and the
 * delegate schedules alone, every tracker at the slots it advertises.
 */
public class ElasticTaskScheduler extends TaskScheduler {
    private static final Log LOG = LogFactory.getLog(ElasticTaskScheduler.class);

    private TaskScheduler delegate;
    /** Null while elastic slots are off. */
    private volatile AllocationFollower follower;
    private boolean off;
    private boolean preempt;
    private final Preemption preemption = new Preemption();
    private final AtomicBoolean warnedHeartbeat = new AtomicBoolean();

    @Override
    public synchronized void setConf(Configuration conf) {
        super.setConf(conf);
        if (delegate != null) {
            delegate.setConf(conf);
            return;
        }
        delegate = newDelegate(conf);
        try {
            ShadedLibrariesLog.warnByDefault();
            SchedulerSettings settings = SchedulerSettings.from(conf);
            follower = new AllocationFollower(settings, System::currentTimeMillis);
            preempt = settings.preempt;
        } catch (Throwable t) {
            switchOff("its settings are wrong", t);
        }
    }

    /** The scheduler named by the delegate key; Hadoop's default one if that cannot be made. */
    private static TaskScheduler newDelegate(Configuration conf) {
        String name = conf.get(SchedulerSettings.DELEGATE, SchedulerSettings.DEFAULT_DELEGATE);
        try {
            Class<?> cls = conf.getClassByName(name);
            if (!TaskScheduler.class.isAssignableFrom(cls)) throw new ClassCastException(name + " is not a TaskScheduler");
            return (TaskScheduler) ReflectionUtils.newInstance(cls, conf);
        } catch (Throwable t) {
            LOG.error("Elastic slots: mapred-site.xml '" + SchedulerSettings.DELEGATE + "' names " + name
                    + ", which cannot be used (" + t + "); scheduling with " + SchedulerSettings.DEFAULT_DELEGATE
                    + " instead. Name a TaskScheduler on the JobTracker's class path and restart the JobTracker.");
            return ReflectionUtils.newInstance(JobQueueTaskScheduler.class, conf);
        }
    }

    /** From now on the delegate schedules alone. */
    private synchronized void switchOff(String what, Throwable t) {
        if (off) return;
        off = true;
        AllocationFollower f = follower;
        follower = null;
        LOG.error("Elastic slots are OFF: " + what + " (" + t + "). The JobTracker schedules with " + delegate.getClass().getName()
                + " alone, each tracker at the slots it advertises. " + Remedy.of(t) + ", then restart the JobTracker.", t);
        if (f != null) closeQuietly(f);
    }

    private static void closeQuietly(AllocationFollower f) {
        try {
            f.close();
        } catch (Throwable t) {
            LOG.warn("Elastic slots: closing the ZooKeeper client failed (" + t + ")");
        }
    }

    @Override
    public synchronized void setTaskTrackerManager(TaskTrackerManager manager) {
        super.setTaskTrackerManager(manager);
        delegate.setTaskTrackerManager(manager);
    }

    @Override
    public void start() throws IOException {
        AllocationFollower f = follower;
        if (f != null) {
            try {
                f.start();
            } catch (Throwable t) {
                switchOff("it could not start following the allocations", t);
            }
        }
        delegate.start();
        if (follower != null) {
            LOG.info("Elastic slots: scheduling with " + delegate.getClass().getName() + " within each tracker's allocation");
        }
    }

    @Override
    public void terminate() throws IOException {
        try {
            delegate.terminate();
        } finally {
            AllocationFollower f = follower;
            if (f != null) closeQuietly(f);
        }
    }

    @Override
    public List<Task> assignTasks(TaskTracker tracker) throws IOException {
        AllocationFollower f = follower;
        if (f == null) return delegate.assignTasks(tracker);
        TaskTrackerStatus status = tracker.getStatus();
        TaskTrackerStatus capped;
        try {
            SlotCaps caps = f.capsFor(status.getHost(), status.getMaxMapSlots(), status.getMaxReduceSlots());
            if (preempt) preemptExcess(status, caps);
            capped = capped(status, caps);
        } catch (RuntimeException e) { // this heartbeat goes uncapped; the next one tries again
            if (warnedHeartbeat.compareAndSet(false, true)) {
                LOG.error("Elastic slots: no caps for " + status.getHost() + " (" + e + "); its heartbeats are scheduled uncapped while"
                        + " this lasts (logged once). Please report it with this stack trace.", e);
            }
            return delegate.assignTasks(tracker);
        } catch (Throwable e) { // a LinkageError and the like: it will not get better
            switchOff("a heartbeat of " + status.getHost() + " failed", e);
            return delegate.assignTasks(tracker);
        }
        if (capped == null) return delegate.assignTasks(tracker);
        // The delegate sees the tracker with the allocated maxima; its running tasks count against them.
        tracker.setStatus(capped);
        try {
            return delegate.assignTasks(tracker);
        } finally {
            tracker.setStatus(status);
        }
    }

    /** The tracker's status with the caps as its maxima, or null when the caps do not lower them. */
    private static TaskTrackerStatus capped(TaskTrackerStatus status, SlotCaps caps) {
        if (caps.maps >= status.getMaxMapSlots() && caps.reduces >= status.getMaxReduceSlots()) return null;
        TaskTrackerStatus capped = new TaskTrackerStatus(status.getTrackerName(), status.getHost(), status.getHttpPort(),
                status.getTaskReports(), status.getTaskFailures(), status.getDirFailures(), caps.maps, caps.reduces);
        capped.setLastSeen(status.getLastSeen());
        return capped;
    }

    /** Kills the newest attempts beyond the caps; the JobTracker sends the kills with this heartbeat's answer. */
    private void preemptExcess(TaskTrackerStatus status, SlotCaps caps) {
        try {
            List<TaskAttemptID> victims = preemption.choose(status.getTaskReports(), caps.maps, caps.reduces, System.currentTimeMillis());
            for (TaskAttemptID id : victims) {
                if (taskTrackerManager.killTask(id, false)) {
                    LOG.info("Elastic slots: preempted " + id + " on " + status.getHost() + " (allocation " + caps
                            + "); it runs again elsewhere");
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Elastic slots: preempting on " + status.getHost() + " failed (" + e + "); its tasks run on", e);
        }
    }

    @Override
    public Collection<JobInProgress> getJobs(String queueName) {
        return delegate.getJobs(queueName);
    }

    @Override
    public void refresh() throws IOException {
        delegate.refresh();
    }

    @Override
    public void checkJobSubmission(JobInProgress job) throws IOException {
        delegate.checkJobSubmission(job);
    }
}
