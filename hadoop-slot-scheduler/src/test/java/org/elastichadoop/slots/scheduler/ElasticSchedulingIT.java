package org.elastichadoop.slots.scheduler;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.JobTracker;
import org.apache.hadoop.mapred.MiniMRCluster;
import org.apache.hadoop.mapred.TaskTrackerStatus;
import org.apache.hadoop.mapreduce.Job;
import org.elastichadoop.slots.controller.Controller;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.elastichadoop.slots.demo.CpuBurnJob;
import org.elastichadoop.slots.source.HostCpuSource;
import org.elastichadoop.slots.source.SettableHost;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;
import org.junit.After;
import org.junit.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * A real JobTracker and two TaskTrackers (MiniMRCluster, Hadoop 1.2.1) scheduling with
 * ElasticTaskScheduler, a controller publishing to a real ZooKeeper, and the CPU-burn job: tt1's
 * neighbours turn busy and within two polls (plus a heartbeat and the tasks already running) tt1
 * runs no more maps than its new allocation; they go quiet and it grows back; ZooKeeper is lost and
 * scheduling goes on; the job's output is right.
 */
public class ElasticSchedulingIT {
    private static final String TT1 = "tt1.example";
    private static final String TT2 = "tt2.example";
    private static final int MAPS = 48;
    private static final int MAP_MS = 700;
    private static final int POLL_SECONDS = 2;
    /** Hadoop 1's TaskTrackers heartbeat at most every 3 s: the JobTracker hears of a change no sooner. */
    private static final int HEARTBEAT_MS = 3000;

    private TestingServer zk;
    private MiniMRCluster mr;
    private Controller controller;
    private CuratorFramework client;

    private int runningMaps(JobTracker jt, String host) {
        for (TaskTrackerStatus s : jt.taskTrackers()) if (s.getHost().equals(host)) return s.countMapTasks();
        return -1;
    }

    /** The map slots the TaskTracker on {@code host} advertised in its last heartbeat (its hook sets them). */
    private int advertisedMaps(JobTracker jt, String host) {
        for (TaskTrackerStatus s : jt.taskTrackers()) if (s.getHost().equals(host)) return s.getMaxMapSlots();
        return -1;
    }

    private static long awaitValue(java.util.function.IntSupplier value, int wanted, long ms, String what) throws InterruptedException {
        long start = System.currentTimeMillis();
        while (value.getAsInt() != wanted) {
            if (System.currentTimeMillis() - start > ms) throw new AssertionError(what + ": still " + value.getAsInt() + " after " + ms + " ms");
            Thread.sleep(50);
        }
        return System.currentTimeMillis() - start;
    }

    /**
     * ZooKeeper and a controller deciding for the two hosts (a map slot costs a core, reduces fixed at 1,
     * no averaging, at most 3 maps); returns once both allocations are published.
     */
    private AllocationStore startController(SettableHost h1, SettableHost h2, int pollSeconds) throws Exception {
        zk = new TestingServer(true);
        ControllerConfig cc = new ControllerConfig();
        cc.pollSeconds = pollSeconds;
        cc.refreshSeconds = 2 * pollSeconds;
        cc.policy.smoothing = 1.0;
        cc.policy.maxStep = 8;
        cc.policy.reduceShare = 0;
        cc.policy.maxMaps = 3;
        cc.policy.minReduces = 1;
        cc.policy.maxReduces = 1;
        Map<String, HostCpuSource> sources = new LinkedHashMap<>();
        sources.put(TT1, h1);
        sources.put(TT2, h2);
        client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new ExponentialBackoffRetry(100, 3));
        client.start();
        controller = new Controller(client, cc, sources, "it", System::currentTimeMillis);
        controller.start();
        AllocationStore store = new AllocationStore(client, SlotPaths.defaults());
        long t0 = System.currentTimeMillis();
        while (!store.read(TT1).isPresent() || !store.read(TT2).isPresent()) {
            assertTrue("the controller published both allocations", System.currentTimeMillis() - t0 < 10_000);
            Thread.sleep(50);
        }
        return store;
    }

    /** Two TaskTrackers of 3 map and 1 reduce slots, the JobTracker scheduling with ElasticTaskScheduler around {@code delegate}. */
    private JobConf clusterConf(String delegate) {
        JobConf conf = new JobConf();
        conf.set("mapred.jobtracker.taskScheduler", "org.apache.hadoop.mapred.ElasticTaskScheduler");
        conf.set(SchedulerSettings.DELEGATE, delegate);
        conf.set(SchedulerSettings.ZK, zk.getConnectString());
        conf.setInt("mapred.tasktracker.map.tasks.maximum", 3);
        conf.setInt("mapred.tasktracker.reduce.tasks.maximum", 1);
        return conf;
    }

    static {
        // once per JVM: Hadoop 1 keeps the task log directory in a static field (TaskLog), so a second
        // cluster in the same JVM must use the same one
        File base = new File("target/mini-mr").getAbsoluteFile();
        System.setProperty("hadoop.log.dir", new File(base, "logs").getPath());
        System.setProperty("hadoop.tmp.dir", new File(base, "tmp").getPath());
    }

    private JobTracker startCluster(JobConf conf) throws Exception {
        mr = new MiniMRCluster(0, 0, 2, "file:///", 1, null, new String[] {TT1, TT2}, null, conf);
        return mr.getJobTrackerRunner().getJobTracker();
    }

    /** Submits the CPU-burn job: {@code maps} lines of {@code ms} ms of CPU each; output in target/out. */
    private Job submit(File target, int maps, int ms) throws Exception {
        JobConf jobConf = mr.createJobConf();
        jobConf.setInt("mapred.job.reuse.jvm.num.tasks", -1);
        FileSystem fs = FileSystem.getLocal(jobConf);
        Path in = new Path(new File(target, "in").getPath());
        Path out = new Path(new File(target, "out").getPath());
        fs.delete(in, true);
        fs.delete(out, true);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < maps; i++) lines.append(ms).append(" burned\n");
        try (java.io.OutputStream o = fs.create(new Path(in, "work.txt"))) {
            o.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        }
        Job job = CpuBurnJob.create(jobConf, in, out);
        job.submit();
        return job;
    }

    @Test
    public void busyNeighboursShrinkATrackerAndQuietOnesGrowItBack() throws Exception {
        File target = new File("target/mini-mr").getAbsoluteFile();
        SettableHost h1 = new SettableHost(TT1);
        SettableHost h2 = new SettableHost(TT2);
        AllocationStore store = startController(h1, h2, POLL_SECONDS);
        JobConf conf = clusterConf(SchedulerSettings.DEFAULT_DELEGATE);
        conf.setInt(SchedulerSettings.TTL_SECONDS, 6);
        conf.setInt(SchedulerSettings.ZK_SESSION_MS, 4000);
        conf.set("mapred.tasktracker.instrumentation", "org.apache.hadoop.mapred.ElasticSlotsInstrumentation");
        conf.setInt("elastic.slots.tasktracker.period.ms", 500);
        conf.setBoolean(SchedulerSettings.PREEMPT, true);
        conf.setBoolean("mapreduce.tasktracker.outofband.heartbeat", true); // trackers report finished tasks at once
        JobTracker jt = startCluster(conf);
        FileSystem fs = FileSystem.getLocal(mr.createJobConf());
        Path out = new Path(new File(target, "out").getPath());
        Job job = submit(target, MAPS, MAP_MS);

        // quiet: both trackers run up to 3 maps
        long deadline = System.currentTimeMillis() + 60_000;
        int seen1 = 0;
        while (System.currentTimeMillis() < deadline && seen1 < 2) {
            seen1 = Math.max(seen1, runningMaps(jt, TT1));
            Thread.sleep(100);
        }
        assertTrue("tt1 ran 2 or more maps at once while quiet (saw " + seen1 + ")", seen1 >= 2);
        // the hook's report counts the maps its node runs
        int reported = 0;
        long reportDeadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < reportDeadline && reported < 1) {
            reported = store.readReport(TT1).map(r -> r.runningMaps()).orElse(0);
            Thread.sleep(50);
        }
        assertTrue("tt1's hook reported its running maps (saw " + reported + ")", reported >= 1);

        // busy neighbours on tt1: 0.8 x 4 - 1.6 = 1.6 cores -> 1 map slot
        h1.others = 1.6;
        long changed = System.currentTimeMillis();
        while (store.read(TT1).get().maps() != 1) {
            assertTrue("the controller published tt1's new allocation within a poll", System.currentTimeMillis() - changed < POLL_SECONDS * 1000 + 1500);
            Thread.sleep(50);
        }
        long published = System.currentTimeMillis();
        long advertisedAfter = awaitValue(() -> advertisedMaps(jt, TT1), 1, 10_000, "tt1 advertises 1 map slot");
        // the hook's report of the node: its active slots, its tasks and its own CPU figures
        awaitValue(() -> {
            try {
                return store.readReport(TT1).map(r -> r.activeMaps()).orElse(-1);
            } catch (Exception e) {
                return -1;
            }
        }, 1, 5000, "tt1's hook reports 1 active map slot");
        org.elastichadoop.slots.allocation.TrackerReport report = store.readReport(TT1).get();
        assertTrue("the report counts the node's CPUs: " + report.capacityCores(), report.capacityCores() >= 1);
        assertTrue("the report is fresh", System.currentTimeMillis() - report.timestampMillis() < 5000);
        // tasks already running finish (MAP_MS of CPU, longer on a busy machine) and heartbeats report it
        long drained = -1;
        while (System.currentTimeMillis() - published < 20_000) {
            if (runningMaps(jt, TT1) <= 1) {
                drained = System.currentTimeMillis();
                break;
            }
            Thread.sleep(50);
        }
        assertTrue("tt1 came down to 1 running map", drained > 0);
        // figures change -> within a poll the allocation is published -> at tt1's next heartbeat the newest maps are
        // preempted -> at the heartbeat after (or at once, out of band) the JobTracker sees them gone
        long bound = 2L * POLL_SECONDS * 1000 + HEARTBEAT_MS;
        assertTrue("tt1 ran no more than its allocation " + (drained - changed) + " ms after its figures changed (bound " + bound + ")",
                drained - changed <= bound);
        int maxWhileBusy = 0;
        int maxOnTt2 = 0;
        long until = System.currentTimeMillis() + 6000;
        while (System.currentTimeMillis() < until && !job.isComplete()) {
            maxWhileBusy = Math.max(maxWhileBusy, runningMaps(jt, TT1));
            maxOnTt2 = Math.max(maxOnTt2, runningMaps(jt, TT2));
            Thread.sleep(100);
        }
        System.out.println("[elastic-it] poll " + POLL_SECONDS + " s, preemption on: allocation published " + (published - changed)
                + " ms after the figures changed; tt1 ran at most its allocation " + (drained - changed) + " ms after the change; tt1's hook "
                + "deactivated slots and its heartbeat advertised 1 map slot " + advertisedAfter + " ms after that; tt1 down to "
                + "its allocation " + (drained - published) + " ms after publication; then at most " + maxWhileBusy + " maps on tt1, "
                + maxOnTt2 + " on tt2 (which advertises " + advertisedMaps(jt, TT2) + ")");
        assertEquals("tt2 keeps its 3 map slots", 3, advertisedMaps(jt, TT2));
        assertTrue("tt1 ran " + maxWhileBusy + " maps with an allocation of 1", maxWhileBusy <= 1);

        // quiet again: tt1 grows back
        h1.others = 0;
        assertTrue("maps are left for tt1 to grow into (map progress " + job.mapProgress() + ")", job.mapProgress() < 0.75f);
        long regrown = awaitValue(() -> advertisedMaps(jt, TT1), 3, 10_000, "tt1 advertises 3 map slots again");
        System.out.println("[elastic-it] quiet again: tt1 advertises 3 map slots " + regrown + " ms later");
        int grown = 0;
        deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline && grown < 2) {
            grown = Math.max(grown, runningMaps(jt, TT1));
            Thread.sleep(100);
        }
        assertTrue("tt1 grew back to 2 or more maps (saw " + grown + ")", grown >= 2);

        // ZooKeeper lost: the scheduler falls back after the TTL and the job still completes
        controller.close();
        client.close();
        zk.stop();
        assertTrue("the job completed", job.waitForCompletion(false));
        assertTrue(job.isSuccessful());
        String result;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(new Path(out, "part-r-00000")), StandardCharsets.UTF_8))) {
            result = r.readLine();
        }
        assertEquals("burned\t" + (MAPS * MAP_MS), result);
    }

    /**
     * The wrapper is not tied to JobQueueTaskScheduler: with Hadoop 1.2.1's other built-in scheduler,
     * LimitTasksPerJobTaskScheduler, a tracker whose neighbours are busy from the start never runs more
     * than its allocation while the other runs its full slots, and the job completes.
     */
    @Test
    public void anotherDelegateIsCappedTheSameWay() throws Exception {
        File target = new File("target/mini-mr-limit").getAbsoluteFile();
        SettableHost h1 = new SettableHost(TT1);
        h1.others = 1.6; // busy from the start: 1 map slot
        AllocationStore store = startController(h1, new SettableHost(TT2), 1);
        assertEquals(1, store.read(TT1).get().maps());
        JobTracker jt = startCluster(clusterConf("org.apache.hadoop.mapred.LimitTasksPerJobTaskScheduler"));
        FileSystem fs = FileSystem.getLocal(mr.createJobConf());
        Path out = new Path(new File(target, "out").getPath());
        int maps = 16;
        Job job = submit(target, maps, 400);
        int max1 = 0;
        int max2 = 0;
        while (!job.isComplete()) {
            max1 = Math.max(max1, runningMaps(jt, TT1));
            max2 = Math.max(max2, runningMaps(jt, TT2));
            Thread.sleep(50);
        }
        System.out.println("[elastic-it] LimitTasksPerJobTaskScheduler wrapped: at most " + max1 + " maps on tt1 (allocation 1), " + max2 + " on tt2");
        assertTrue(job.isSuccessful());
        assertTrue("tt1 ran " + max1 + " maps with an allocation of 1", max1 <= 1);
        assertTrue("tt2 used more than one slot (" + max2 + ")", max2 >= 2);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(new Path(out, "part-r-00000")), StandardCharsets.UTF_8))) {
            assertEquals("burned\t" + (maps * 400), r.readLine());
        }
    }

    @After
    public void stop() throws Exception {
        if (controller != null) controller.close();
        if (client != null) client.close();
        if (mr != null) mr.shutdown();
        if (zk != null) zk.close();
    }
}
