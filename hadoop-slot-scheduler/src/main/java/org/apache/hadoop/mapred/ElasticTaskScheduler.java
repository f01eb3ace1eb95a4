package org.apache.hadoop.mapred;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.server.jobtracker.TaskTracker;
import org.apache.hadoop.util.ReflectionUtils;
import org.elastichadoop.slots.scheduler.AllocationFollower;
import org.elastichadoop.slots.scheduler.Preemption;
import org.elastichadoop.slots.scheduler.SchedulerSettings;
import org.elastichadoop.slots.scheduler.SlotCaps;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * The JobTracker's task scheduler for elastic slots ({@code mapred.jobtracker.taskScheduler}).
 * It wraps the scheduler that picks the tasks (JobQueueTaskScheduler unless
 * {@code elastic.slots.scheduler.delegate} names another) and, on every heartbeat, shows it the
 * tracker with at most the slots the controller allocated, so no tracker is given more tasks than
 * its allocation. It lives in this package only because Hadoop's scheduler types are
 * package-private; the work is done in {@code org.elastichadoop.slots.scheduler}.
 */
public class ElasticTaskScheduler extends TaskScheduler {
    private static final Log LOG = LogFactory.getLog(ElasticTaskScheduler.class);

    private TaskScheduler delegate;
    private AllocationFollower follower;
    private boolean preempt;
    private final Preemption preemption = new Preemption();

    @Override
    public synchronized void setConf(Configuration conf) {
        super.setConf(conf);
        SchedulerSettings settings = SchedulerSettings.from(conf);
        if (delegate == null) {
            try {
                Class<?> cls = conf.getClassByName(settings.delegate);
                if (!TaskScheduler.class.isAssignableFrom(cls)) {
                    throw new IllegalArgumentException("mapred-site.xml: '" + SchedulerSettings.DELEGATE + "' " + settings.delegate
                            + " is not a TaskScheduler");
                }
                delegate = (TaskScheduler) ReflectionUtils.newInstance(cls, conf);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("mapred-site.xml: '" + SchedulerSettings.DELEGATE + "' names " + settings.delegate
                        + ", which is not on the JobTracker's classpath");
            }
            follower = new AllocationFollower(settings, System::currentTimeMillis);
            preempt = settings.preempt;
        } else {
            delegate.setConf(conf);
        }
    }

    @Override
    public synchronized void setTaskTrackerManager(TaskTrackerManager manager) {
        super.setTaskTrackerManager(manager);
        delegate.setTaskTrackerManager(manager);
    }

    @Override
    public void start() throws IOException {
        follower.start();
        delegate.start();
        LOG.info("Elastic slots: scheduling with " + delegate.getClass().getName() + " within each tracker's allocation");
    }

    @Override
    public void terminate() throws IOException {
        try {
            delegate.terminate();
        } finally {
            follower.close();
        }
    }

    @Override
    public List<Task> assignTasks(TaskTracker tracker) throws IOException {
        TaskTrackerStatus status = tracker.getStatus();
        SlotCaps caps;
        try {
            caps = follower.capsFor(status.getHost(), status.getMaxMapSlots(), status.getMaxReduceSlots());
        } catch (RuntimeException e) { // never into the JobTracker: schedule as if we were not here
            LOG.error("Elastic slots: no caps for " + status.getHost() + " (" + e + "); scheduling it uncapped", e);
            return delegate.assignTasks(tracker);
        }
        if (preempt) preemptExcess(status, caps);
        if (caps.maps >= status.getMaxMapSlots() && caps.reduces >= status.getMaxReduceSlots()) {
            return delegate.assignTasks(tracker);
        }
        // The delegate sees the tracker with the allocated maxima; its running tasks count against them.
        TaskTrackerStatus capped = new TaskTrackerStatus(status.getTrackerName(), status.getHost(), status.getHttpPort(),
                status.getTaskReports(), status.getTaskFailures(), status.getDirFailures(), caps.maps, caps.reduces);
        capped.setLastSeen(status.getLastSeen());
        tracker.setStatus(capped);
        try {
            return delegate.assignTasks(tracker);
        } finally {
            tracker.setStatus(status);
        }
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
