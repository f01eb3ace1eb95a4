package org.elastichadoop.slots.scheduler;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.hadoop.conf.Configuration;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;
import org.junit.After;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The JobTracker side's view of allocations, on a real ZooKeeper: fresh ones apply (never above the
 * tracker's own maximum), malformed or absurd ones are ignored, stale ones and a lost ZooKeeper
 * give the fallback, and a bad configuration names its key.
 */
public class AllocationFollowerIT {
    private TestingServer zk;
    private AllocationFollower follower;
    private CuratorFramework admin;
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    private AllocationFollower follower(int fallbackMaps) {
        Configuration conf = new Configuration(false);
        conf.set(SchedulerSettings.ZK, zk.getConnectString());
        conf.setInt(SchedulerSettings.TTL_SECONDS, 10);
        conf.setInt(SchedulerSettings.FALLBACK_MAPS, fallbackMaps);
        AllocationFollower f = new AllocationFollower(SchedulerSettings.from(conf), now::get);
        f.start();
        return f;
    }

    private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.get()) {
            if (System.currentTimeMillis() > deadline) fail(what);
            Thread.sleep(20);
        }
    }

    @Test
    public void freshAllocationsApplyBadOnesAreIgnoredAndStaleOnesFallBack() throws Exception {
        zk = new TestingServer(true);
        admin = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        admin.start();
        AllocationStore store = new AllocationStore(admin, SlotPaths.defaults());
        follower = follower(2);

        assertEquals("no allocation: the fallback", "2 maps, 1 reduces (fallback: no allocation)", follower.capsFor("tt1", 4, 1).toString());
        store.write(new Allocation("tt1", 1, 0, 1, now.get(), "busy neighbours"));
        await(() -> follower.capsFor("tt1", 4, 1).maps == 1, "the allocation was not followed");
        assertEquals("0 reduces", 0, follower.capsFor("tt1", 4, 1).reduces);
        store.write(new Allocation("tt1", 9, 3, 2, now.get(), "quiet"));
        await(() -> follower.capsFor("tt1", 4, 1).maps == 4, "caps above the tracker's maximum are held at it");
        assertEquals(1, follower.capsFor("tt1", 4, 1).reduces);

        // malformed, absurd, or naming another tracker: ignored, the last valid allocation stays
        String path = SlotPaths.defaults().allocation("tt1");
        for (String bad : new String[] {"{not json", "{\"tracker\":\"tt1\",\"maps\":-5,\"reduces\":0,\"version\":3,\"timestamp\":5}",
                "{\"tracker\":\"tt9\",\"maps\":0,\"reduces\":0,\"version\":3,\"timestamp\":5}"}) {
            admin.setData().forPath(path, bad.getBytes(StandardCharsets.UTF_8));
            Thread.sleep(300);
            assertEquals("after " + bad, "allocation v2", follower.capsFor("tt1", 4, 1).origin);
        }

        // older than the TTL: the fallback
        now.addAndGet(11_000);
        SlotCaps stale = follower.capsFor("tt1", 4, 1);
        assertEquals(2, stale.maps);
        assertTrue(stale.origin, stale.origin.startsWith("fallback: allocation 11 s old"));

        // ZooKeeper gone: nothing waits or throws; the cached allocation holds until the TTL, then the fallback
        store.write(new Allocation("tt1", 1, 0, 4, now.get(), "busy"));
        await(() -> follower.capsFor("tt1", 4, 1).maps == 1, "v4 not followed");
        admin.close();
        zk.stop();
        long t0 = System.nanoTime();
        assertEquals(1, follower.capsFor("tt1", 4, 1).maps);
        now.addAndGet(11_000);
        assertEquals(2, follower.capsFor("tt1", 4, 1).maps);
        assertTrue("capsFor answers at once without ZooKeeper", System.nanoTime() - t0 < 50_000_000L);
    }

    @Test
    public void aMissingZooKeeperKeyIsNamed() {
        try {
            SchedulerSettings.from(new Configuration(false));
            fail("started without elastic.slots.zk");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'elastic.slots.zk' is not set"));
        }
        Configuration conf = new Configuration(false);
        conf.set(SchedulerSettings.ZK, "127.0.0.1:1");
        conf.setInt(SchedulerSettings.FALLBACK_MAPS, -7);
        try {
            SchedulerSettings.from(conf);
            fail("fallback -7 accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'elastic.slots.fallback.maps'"));
        }
    }

    @After
    public void stop() throws Exception {
        if (follower != null) follower.close();
        if (admin != null) admin.close();
        if (zk != null) zk.close();
    }
}
