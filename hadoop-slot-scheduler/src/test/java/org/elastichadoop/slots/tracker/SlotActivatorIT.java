package org.elastichadoop.slots.tracker;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.hadoop.conf.Configuration;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.scheduler.SchedulerSettings;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;
import org.junit.After;
import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The TaskTracker side on a real ZooKeeper: it follows the allocation, reports the node, and when
 * ZooKeeper is gone it still returns to the configured maxima at the TTL (the report is written on
 * its own thread, so a ZooKeeper that does not answer never holds the slots); ZooKeeper back, it
 * follows again; once closed it never touches the tracker's slots.
 */
public class SlotActivatorIT {
    private static final int TTL_SECONDS = 2;
    private TestingServer zk;
    private CuratorFramework admin;
    private SlotActivator activator;
    private final List<String> changes = new CopyOnWriteArrayList<>();

    private static void await(BooleanSupplier condition, long ms, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("waited " + ms + " ms for " + what);
            Thread.sleep(20);
        }
    }

    private SlotActivator start(Path stat) {
        Configuration conf = new Configuration(false);
        conf.set(SchedulerSettings.ZK, zk.getConnectString());
        conf.setInt(SchedulerSettings.TTL_SECONDS, TTL_SECONDS);
        conf.setInt(SchedulerSettings.ZK_SESSION_MS, 3000);
        SlotActivator a = new SlotActivator(SchedulerSettings.from(conf), "tt1", 3, 1, (m, r) -> changes.add(m + "/" + r));
        a.reporting(() -> new int[] {1, 0}, stat);
        a.start(100);
        return a;
    }

    /** A /proc/stat whose counters move with every read: a report needs two readings. */
    private static Path movingStat() throws Exception {
        Path f = Files.createTempFile("stat", ".txt");
        Thread t = new Thread(() -> {
            long busy = 0;
            try {
                while (true) {
                    busy += 10;
                    Files.write(f, ("cpu  " + busy + " 0 0 " + (1000 + busy) + " 0 0 0 0 0 0\ncpu0 " + busy + " 0 0 " + (1000 + busy)
                            + " 0 0 0 0 0 0\n").getBytes());
                    Thread.sleep(50);
                }
            } catch (Exception stop) {
                // test over
            }
        }, "stat-writer");
        t.setDaemon(true);
        t.start();
        return f;
    }

    @Test
    public void theTtlHoldsWhileZooKeeperIsGoneAndItFollowsAgainWhenItIsBack() throws Exception {
        zk = new TestingServer(true);
        admin = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        admin.start();
        AllocationStore store = new AllocationStore(admin, SlotPaths.defaults());
        activator = start(movingStat());

        store.write(new Allocation("tt1", 1, 1, 1, System.currentTimeMillis(), "busy neighbours"));
        await(() -> activator.activeMaps() == 1, 10_000, "the allocation applied");
        await(() -> {
            try {
                return store.readReport("tt1").isPresent();
            } catch (Exception e) {
                return false;
            }
        }, 10_000, "the node's report");

        // a fresh allocation, then ZooKeeper gone: the TTL runs from the allocation's timestamp
        long published = System.currentTimeMillis();
        store.write(new Allocation("tt1", 1, 1, 2, published, "busy neighbours"));
        Thread.sleep(300);
        zk.stop();
        await(() -> activator.activeMaps() == 3, 10_000, "the configured maxima after the TTL");
        long after = System.currentTimeMillis() - published;
        System.out.println("[activator-it] ZooKeeper gone: back at the configured maxima " + after + " ms after the allocation (TTL "
                + TTL_SECONDS + " s)");
        assertTrue("not before the TTL: " + after, after >= TTL_SECONDS * 1000L);
        assertTrue("within the TTL and a few periods, not held by a report: " + after, after <= TTL_SECONDS * 1000L + 1000);
        assertEquals(java.util.Arrays.asList("1/1", "3/1"), changes);

        zk.restart();
        store.write(new Allocation("tt1", 2, 0, 3, System.currentTimeMillis(), "ZooKeeper back"));
        await(() -> activator.activeMaps() == 2, 20_000, "the allocation followed after ZooKeeper came back");
        assertEquals(0, activator.activeReduces());

        activator.close();
        int seen = changes.size();
        store.write(new Allocation("tt1", 0, 0, 4, System.currentTimeMillis(), "drained"));
        Thread.sleep(1000);
        assertEquals("a closed activator never sets slots", seen, changes.size());
        try {
            await(() -> activatorThreads().isEmpty(), 5_000, "the activator's threads to end");
        } catch (AssertionError e) {
            StringBuilder left = new StringBuilder();
            for (Map.Entry<Thread, StackTraceElement[]> t : activatorThreads().entrySet()) {
                left.append(t.getKey().getName()).append(java.util.Arrays.toString(t.getValue())).append('\n');
            }
            throw new AssertionError(e.getMessage() + "; left:\n" + left);
        }
    }

    private static Map<Thread, StackTraceElement[]> activatorThreads() {
        Map<Thread, StackTraceElement[]> out = new java.util.HashMap<>();
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            String n = t.getKey().getName();
            if (t.getKey().isAlive() && (n.equals(SlotActivator.SLOT_THREAD + " tt1") || n.equals(SlotActivator.REPORT_THREAD + " tt1"))) {
                out.put(t.getKey(), t.getValue()); // this test's (other tests' TaskTrackers in this JVM have other hosts)
            }
        }
        return out;
    }

    @Test
    public void aLinkageErrorSetsTheConfiguredSlotsBackAndStopsTheActivator() throws Exception {
        zk = new TestingServer(true);
        admin = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        admin.start();
        new AllocationStore(admin, SlotPaths.defaults()).write(new Allocation("tt1", 1, 1, 1, System.currentTimeMillis(), "busy"));
        Configuration conf = new Configuration(false);
        conf.set(SchedulerSettings.ZK, zk.getConnectString());
        activator = new SlotActivator(SchedulerSettings.from(conf), "tt1", 3, 1, (m, r) -> {
            changes.add(m + "/" + r);
            if (m != 3) throw new NoClassDefFoundError("org/elastichadoop/slots/shaded/Missing");
        });
        activator.start(100);
        await(activator::isClosed, 10_000, "the activator to stop");
        assertEquals("the allocation tried, then the configured slots", java.util.Arrays.asList("1/1", "3/1"), changes);
        assertEquals(3, activator.activeMaps());
    }

    @After
    public void stop() throws Exception {
        if (activator != null) activator.close();
        if (admin != null) admin.close();
        if (zk != null) zk.close();
    }
}
