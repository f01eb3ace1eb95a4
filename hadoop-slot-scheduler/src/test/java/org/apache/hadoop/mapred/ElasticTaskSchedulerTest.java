package org.apache.hadoop.mapred;

import org.apache.hadoop.conf.Configuration;
import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.Logger;
import org.apache.log4j.spi.LoggingEvent;
import org.elastichadoop.slots.scheduler.SchedulerSettings;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Nothing of ours throws into the JobTracker: wrong settings switch elastic slots off (logged once,
 * naming the key) and the delegate schedules alone; a delegate that cannot be made is replaced by
 * Hadoop's default scheduler. Run over simulated trackers (BenchTrackers), no ZooKeeper needed.
 */
public class ElasticTaskSchedulerTest {
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AppenderSkeleton capture = new AppenderSkeleton() {
        @Override
        protected void append(LoggingEvent e) {
            if (e.getLevel().isGreaterOrEqual(org.apache.log4j.Level.ERROR)) errors.add(String.valueOf(e.getMessage()));
        }

        @Override
        public void close() {
        }

        @Override
        public boolean requiresLayout() {
            return false;
        }
    };

    @Before
    public void listen() {
        Logger.getLogger(ElasticTaskScheduler.class).addAppender(capture);
    }

    @After
    public void stopListening() {
        Logger.getLogger(ElasticTaskScheduler.class).removeAppender(capture);
    }

    private static void scheduleEveryTracker(Configuration conf) throws Exception {
        BenchTrackers trackers = new BenchTrackers(3, 4, 2, conf);
        Object scheduler = trackers.scheduler(true, conf);
        for (org.apache.hadoop.mapreduce.server.jobtracker.TaskTracker t : trackers.trackers()) {
            assertEquals("no jobs, no tasks", 0, BenchTrackers.assign(scheduler, t).size());
        }
        BenchTrackers.stop(scheduler);
    }

    @Test
    public void withoutItsZooKeeperKeyTheDelegateSchedulesAlone() throws Exception {
        scheduleEveryTracker(new Configuration(false));
        assertEquals(errors.toString(), 1, errors.size());
        assertTrue(errors.get(0), errors.get(0).startsWith("Elastic slots are OFF: its settings are wrong"));
        assertTrue(errors.get(0), errors.get(0).contains("'" + SchedulerSettings.ZK + "' is not set"));
        assertTrue(errors.get(0), errors.get(0).contains("schedules with org.apache.hadoop.mapred.JobQueueTaskScheduler alone"));
    }

    @Test
    public void aBadSettingIsNamedAndTheDelegateSchedulesAlone() throws Exception {
        Configuration conf = new Configuration(false);
        conf.set(SchedulerSettings.ZK, "127.0.0.1:1");
        conf.set(SchedulerSettings.TTL_SECONDS, "0");
        scheduleEveryTracker(conf);
        assertEquals(errors.toString(), 1, errors.size());
        assertTrue(errors.get(0), errors.get(0).contains("'" + SchedulerSettings.TTL_SECONDS + "' must be 1 or more"));
    }

    @Test
    public void aDelegateThatCannotBeMadeIsReplacedByHadoopsDefault() throws Exception {
        Configuration conf = new Configuration(false);
        conf.set(SchedulerSettings.ZK, "127.0.0.1:1"); // nothing there: every tracker gets the fallback
        conf.set(SchedulerSettings.DELEGATE, "org.example.NoSuchScheduler");
        scheduleEveryTracker(conf);
        assertEquals(errors.toString(), 1, errors.size());
        assertTrue(errors.get(0), errors.get(0).contains("names org.example.NoSuchScheduler, which cannot be used"));
        assertTrue(errors.get(0), errors.get(0).contains("scheduling with org.apache.hadoop.mapred.JobQueueTaskScheduler instead"));
    }
}
