package org.apache.hadoop.mapred;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.server.jobtracker.TaskTracker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * For the slots benchmark only (not in the Hadoop jar): a TaskTrackerManager with N simulated
 * trackers and no jobs, so that a scheduler's assignTasks can be timed per heartbeat, and a way to
 * build the schedulers, whose types are package-private.
 */
public final class BenchTrackers implements TaskTrackerManager {
    private final List<TaskTrackerStatus> statuses = new ArrayList<>();
    private final List<TaskTracker> trackers = new ArrayList<>();
    private final QueueManager queues;

    public BenchTrackers(int count, int maps, int reduces, Configuration conf) {
        for (int i = 0; i < count; i++) {
            String host = "h" + i + ".bench";
            TaskTrackerStatus s = new TaskTrackerStatus("tracker_" + host + ":localhost/127.0.0.1:" + (40000 + i), host, 50060,
                    new ArrayList<TaskStatus>(), 0, 0, maps, reduces);
            statuses.add(s);
            TaskTracker t = new TaskTracker(s.getTrackerName());
            t.setStatus(s);
            trackers.add(t);
        }
        queues = new QueueManager(conf);
    }

    public List<TaskTracker> trackers() {
        return trackers;
    }

    /** A started scheduler over these trackers: the bare delegate, or ours wrapping it. */
    public Object scheduler(boolean elastic, Configuration conf) throws IOException {
        TaskScheduler s = elastic ? new ElasticTaskScheduler() : new JobQueueTaskScheduler();
        s.setConf(conf);
        s.setTaskTrackerManager(this);
        s.start();
        return s;
    }

    public static List<Task> assign(Object scheduler, TaskTracker t) throws IOException {
        return ((TaskScheduler) scheduler).assignTasks(t);
    }

    public static void stop(Object scheduler) throws IOException {
        ((TaskScheduler) scheduler).terminate();
    }

    @Override public Collection<TaskTrackerStatus> taskTrackers() { return statuses; }
    @Override public int getNumberOfUniqueHosts() { return statuses.size(); }

    @Override
    public ClusterStatus getClusterStatus() {
        int maps = 0;
        int reduces = 0;
        for (TaskTrackerStatus s : statuses) {
            maps += s.getMaxMapSlots();
            reduces += s.getMaxReduceSlots();
        }
        return new ClusterStatus(statuses.size(), 0, 0, 10 * 60_000L, 0, 0, maps, reduces, JobTracker.State.RUNNING);
    }

    @Override public void addJobInProgressListener(JobInProgressListener l) { }
    @Override public void removeJobInProgressListener(JobInProgressListener l) { }
    @Override public QueueManager getQueueManager() { return queues; }
    @Override public int getNextHeartbeatInterval() { return 3000; }
    @Override public void killJob(JobID id) { }
    @Override public JobInProgress getJob(JobID id) { return null; }
    @Override public boolean killTask(TaskAttemptID id, boolean shouldFail) { return false; }
    @Override public void initJob(JobInProgress job) { }
    @Override public void failJob(JobInProgress job) { }
    @Override public boolean isInSafeMode() { return false; }
}
