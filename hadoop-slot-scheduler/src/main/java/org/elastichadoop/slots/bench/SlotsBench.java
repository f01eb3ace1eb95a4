package org.elastichadoop.slots.bench;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapred.BenchTrackers;
import org.apache.hadoop.mapreduce.server.jobtracker.TaskTracker;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.controller.Controller;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.elastichadoop.slots.policy.HostFigures;
import org.elastichadoop.slots.scheduler.AllocationFollower;
import org.elastichadoop.slots.scheduler.SchedulerSettings;
import org.elastichadoop.slots.source.HostCpuSource;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The elastic-slots benchmark (bin/slots-bench):
 * <ol>
 *   <li>assignTasks per heartbeat over N simulated trackers (Hadoop 1.2.1's JobQueueTaskScheduler,
 *   no jobs), bare and wrapped by ElasticTaskScheduler with an allocation for every tracker (a third
 *   of them capped below their slots, so the status copy runs too), interleaved rounds; prints the
 *   added microseconds per heartbeat (goal &lt; 50);</li>
 *   <li>the time from a change of a host's counters to the new allocation in effect at the
 *   JobTracker side (what ElasticTaskScheduler caps with), with a real controller and ZooKeeper.</li>
 * </ol>
 */
public final class SlotsBench {
    public static void main(String[] args) throws Exception {
        int trackers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int changes = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int pollSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Path dir = Files.createTempDirectory("slots-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Properties p = new Properties();
        p.setProperty("clientPort", Integer.toString(port));
        p.setProperty("dataDir", dir.toString());
        p.setProperty("admin.enableServer", "false");
        p.setProperty("tickTime", "2000");
        try (ZooKeeperServerEmbedded zk = ZooKeeperServerEmbedded.builder().baseDir(dir).configuration(p)
                .exitHandler(org.apache.zookeeper.server.embedded.ExitHandler.LOG_ONLY).build()) {
            zk.start();
            String connect = "127.0.0.1:" + port;
            System.out.println("== elastic slots benchmark: " + trackers + " trackers, " + rounds + " rounds, ZooKeeper " + connect);
            assignTasks(connect, trackers, rounds);
            latency(connect, changes, pollSeconds);
        }
    }

    private static void assignTasks(String zk, int count, int rounds) throws Exception {
        Configuration conf = new Configuration(false);
        conf.set(SchedulerSettings.ZK, zk);
        BenchTrackers tt = new BenchTrackers(count, 4, 2, conf);
        try (CuratorFramework c = CuratorFrameworkFactory.newClient(zk, new ExponentialBackoffRetry(100, 3))) {
            c.start();
            AllocationStore store = new AllocationStore(c, SlotPaths.defaults());
            long now = System.currentTimeMillis();
            for (int i = 0; i < count; i++) {
                String host = "h" + i + ".bench";
                int maps = i % 3 == 0 ? 2 : 4; // a third capped: the delegate sees a copy of their status
                store.write(new Allocation(host, maps, 2, 1, now, "bench"));
            }
            Object bare = tt.scheduler(false, conf);
            Object elastic = tt.scheduler(true, conf);
            Thread.sleep(2000); // the follower's cache fills
            List<TaskTracker> list = tt.trackers();
            List<Double> bareUs = new ArrayList<>();
            List<Double> elasticUs = new ArrayList<>();
            for (int r = 0; r < rounds + 20; r++) { // 20 warm-up rounds: the JIT compiles both paths
                double b = round(bare, list);
                double e = round(elastic, list);
                if (r >= 20) {
                    bareUs.add(b);
                    elasticUs.add(e);
                }
            }
            BenchTrackers.stop(bare);
            BenchTrackers.stop(elastic);
            double mb = median(bareUs);
            double me = median(elasticUs);
            System.out.println();
            System.out.println("== assignTasks per heartbeat, " + count + " trackers (mean per call in a round of one heartbeat from every "
                    + "tracker; median of " + rounds + " rounds after 20 warm-up rounds; no jobs queued)");
            System.out.printf("JobQueueTaskScheduler alone:          %8.2f us%n", mb);
            System.out.printf("wrapped by ElasticTaskScheduler:      %8.2f us%n", me);
            System.out.printf("added by the wrapper:                 %8.2f us   (goal < 50: %s)%n", me - mb, me - mb < 50 ? "met" : "NOT met");
        }
    }

    /** The mean microseconds of one assignTasks call over every tracker. */
    private static double round(Object scheduler, List<TaskTracker> trackers) throws Exception {
        long t0 = System.nanoTime();
        for (TaskTracker t : trackers) BenchTrackers.assign(scheduler, t);
        return (System.nanoTime() - t0) / 1000.0 / trackers.size();
    }

    private static void latency(String zk, int changes, int pollSeconds) throws Exception {
        final double[] others = {0};
        HostCpuSource source = new HostCpuSource() {
            @Override
            public Optional<HostFigures> read() {
                return Optional.of(new HostFigures("tt1", System.currentTimeMillis(), 4, others[0]));
            }

            @Override
            public String describe() {
                return "bench host";
            }
        };
        Map<String, HostCpuSource> sources = new LinkedHashMap<>();
        sources.put("tt1", source);
        ControllerConfig cc = new ControllerConfig();
        cc.pollSeconds = pollSeconds;
        cc.refreshSeconds = Math.max(30, pollSeconds);
        cc.policy.smoothing = 1;
        cc.policy.maxStep = 8;
        Configuration conf = new Configuration(false);
        conf.set(SchedulerSettings.ZK, zk);
        try (CuratorFramework c = CuratorFrameworkFactory.newClient(zk, new ExponentialBackoffRetry(100, 3))) {
            c.start();
            Controller controller = new Controller(c, cc, sources, "bench", System::currentTimeMillis);
            AllocationFollower follower = new AllocationFollower(SchedulerSettings.from(conf), System::currentTimeMillis);
            follower.start();
            controller.start();
            try {
                while (follower.capsFor("tt1", 8, 4).origin.startsWith("fallback")) Thread.sleep(10);
                List<Double> ms = new ArrayList<>();
                java.util.Random random = new java.util.Random(1);
                for (int i = 0; i < changes; i++) {
                    Thread.sleep(random.nextInt(pollSeconds * 1000)); // changes land anywhere in the poll cycle
                    int before = follower.capsFor("tt1", 8, 4).maps;
                    long t0 = System.nanoTime();
                    others[0] = others[0] == 0 ? 2.4 : 0; // 3.2 cores <-> 0.8 cores for Hadoop: 2 maps <-> 0
                    while (follower.capsFor("tt1", 8, 4).maps == before) Thread.sleep(1);
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
                Collections.sort(ms);
                System.out.println();
                System.out.println("== counter change -> allocation in effect at the JobTracker side (" + changes + " changes, poll " + pollSeconds + " s)");
                System.out.printf("median %.0f ms, max %.0f ms (a change waits up to one poll, then ZooKeeper's watch delivers it)%n",
                        median(ms), ms.get(ms.size() - 1));
            } finally {
                controller.close();
                follower.close();
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private SlotsBench() {}
}
