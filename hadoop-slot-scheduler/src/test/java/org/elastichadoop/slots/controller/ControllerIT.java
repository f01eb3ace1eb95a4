package org.elastichadoop.slots.controller;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingCluster;
import org.elastichadoop.kv.testing.ZkEnsemble;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.policy.HostFigures;
import org.elastichadoop.slots.source.HostCpuSource;
import org.elastichadoop.slots.source.ReplaySource;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;
import org.junit.After;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Two controllers on a real ZooKeeper ensemble (curator-test TestingCluster of 3): one publishes,
 * the other stands by; a host's neighbours turn busy and its allocation shrinks; the active
 * controller's session ends and the standby publishes within a poll plus the session timeout;
 * a source that hangs or returns garbage is skipped and never applied.
 */
public class ControllerIT {
    private static final int SESSION_MS = 4000;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TestingCluster zk;

    private CuratorFramework client() {
        CuratorFramework c = CuratorFrameworkFactory.newClient(zk.getConnectString(), SESSION_MS, 3000, new ExponentialBackoffRetry(100, 3));
        c.start();
        closing.add(c);
        return c;
    }

    private static ControllerConfig config() {
        ControllerConfig c = new ControllerConfig();
        c.pollSeconds = 1;
        c.sourceTimeoutSeconds = 1;
        c.refreshSeconds = 30;
        c.policy.smoothing = 1.0; // no averaging: each poll's figures decide
        c.policy.maxStep = 8;
        return c;
    }

    /** tt1: 4 quiet polls, then neighbours using 3.5 of 4 cores; tt2: always quiet, 8 cores. */
    private static Map<String, HostCpuSource> sources() {
        List<HostFigures> recorded = new ArrayList<>();
        for (int i = 0; i < 4; i++) recorded.add(new HostFigures("tt1", i, 4, 0));
        recorded.add(new HostFigures("tt1", 10, 4, 3.5));
        recorded.add(new HostFigures("tt2", 0, 8, 0));
        Map<String, HostCpuSource> s = new LinkedHashMap<>();
        s.put("tt1", new ReplaySource("tt1", recorded, "test", System::currentTimeMillis));
        s.put("tt2", new ReplaySource("tt2", recorded, "test", System::currentTimeMillis));
        return s;
    }

    private Controller controller(CuratorFramework c, String id, Map<String, HostCpuSource> sources) throws Exception {
        Controller ctl = new Controller(c, config(), sources, id, System::currentTimeMillis);
        closing.add(ctl);
        ctl.start();
        return ctl;
    }

    private static Allocation await(AllocationStore store, String host, java.util.function.Predicate<Allocation> p, long ms) throws Exception {
        long deadline = System.currentTimeMillis() + ms;
        Optional<Allocation> a = Optional.empty();
        while (System.currentTimeMillis() < deadline) {
            a = store.read(host);
            if (a.isPresent() && p.test(a.get())) return a.get();
            Thread.sleep(50);
        }
        throw new AssertionError("no allocation for " + host + " matched within " + ms + " ms; last: " + a);
    }

    @Test
    public void oneControllerPublishesBusyNeighboursShrinkAHostAndTheStandbyTakesOver() throws Exception {
        zk = ZkEnsemble.of(3);
        zk.start();
        AllocationStore store = new AllocationStore(client(), SlotPaths.defaults());
        CuratorFramework clientA = client();
        Controller a = controller(clientA, "controller-a", sources());
        Thread.sleep(300);
        CuratorFramework clientB = client();
        Controller b = controller(clientB, "controller-b", sources());

        // quiet: 0.8 x 4 = 3.2 cores -> 2 maps (2.4), 0 reduces (0.8); tt2: 6.4 -> 4 maps, 1 reduce
        Allocation first = await(store, "tt1", x -> x.maps() == 2, 5000);
        assertEquals(0, first.reduces());
        Allocation tt2 = await(store, "tt2", x -> x.maps() == 4 && x.reduces() == 1, 5000);
        assertTrue("exactly one controller is active", a.isActive() ^ b.isActive());
        Controller active = a.isActive() ? a : b;
        Controller standby = a.isActive() ? b : a;
        assertTrue(standby.published().isEmpty());

        // busy neighbours: 3.2 - 3.5 < 0 -> nothing for Hadoop on tt1; tt2 unchanged
        Allocation shrunk = await(store, "tt1", x -> x.maps() == 0 && x.reduces() == 0, 8000);
        assertTrue(shrunk.reason(), shrunk.reason().contains("others 3.50 of 4.00 cores"));
        assertTrue("versions only grow", shrunk.version() > first.version());
        assertEquals(tt2.maps(), store.read("tt2").get().maps());

        // the active controller dies: its ZooKeeper session ends, and it polls no more
        CuratorFramework activeClient = active == a ? clientA : clientB;
        long versionBefore = store.read("tt2").get().version();
        long killed = System.currentTimeMillis();
        active.close();
        activeClient.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
        Allocation taken = await(store, "tt2", x -> x.version() > versionBefore, config().pollSeconds * 1000L + SESSION_MS + 2000);
        long tookMs = taken.timestampMillis() - killed;
        System.out.println("[controller-it] the standby published " + tookMs + " ms after the active controller's session ended");
        assertTrue(standby.isActive());
        assertEquals("the standby publishes the same decision", 4, taken.maps());
    }

    @Test
    public void aHangingOrLyingSourceIsSkippedAndNeverApplied() throws Exception {
        zk = ZkEnsemble.of(3);
        zk.start();
        AllocationStore store = new AllocationStore(client(), SlotPaths.defaults());
        AtomicBoolean hang = new AtomicBoolean(false);
        AtomicBoolean lie = new AtomicBoolean(false);
        Map<String, HostCpuSource> s = new LinkedHashMap<>();
        s.put("tt1", new HostCpuSource() {
            @Override
            public Optional<HostFigures> read() {
                if (hang.get()) {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (lie.get()) return Optional.of(new HostFigures("tt1", 1, 4, -7)); // refused by HostFigures
                return Optional.of(new HostFigures("tt1", 1, 4, 0));
            }

            @Override
            public String describe() {
                return "a test source";
            }
        });
        controller(client(), "controller-c", s);
        Allocation ok = await(store, "tt1", x -> x.maps() == 2, 5000);
        hang.set(true);
        Thread.sleep(3500);
        assertEquals("a hanging source leaves the allocation alone", ok.maps(), store.read("tt1").get().maps());
        lie.set(true);
        hang.set(false);
        Thread.sleep(3500);
        Allocation after = store.read("tt1").get();
        assertEquals("garbage figures are never applied", 2, after.maps());
        assertFalse(new String(org.elastichadoop.slots.allocation.AllocationCodec.encode(after), StandardCharsets.UTF_8).contains("-7"));
    }

    @Test
    public void pinsDrainsAndAPolicyInZooKeeperTakeEffectAndABadOneIsIgnored() throws Exception {
        zk = ZkEnsemble.of(3);
        zk.start();
        AllocationStore store = new AllocationStore(client(), SlotPaths.defaults());
        controller(client(), "controller-o", sources());
        await(store, "tt2", x -> x.maps() == 4 && x.reduces() == 1, 5000); // 6.4 cores: 4.8 -> 4 maps, 1.6 -> 1 reduce

        store.writeOverride("tt2", org.elastichadoop.slots.allocation.OperatorOverride.pin(1, 0, System.currentTimeMillis()));
        Allocation pinned = await(store, "tt2", x -> x.maps() == 1 && x.reduces() == 0, 5000);
        assertTrue(pinned.reason(), pinned.reason().contains("pinned by slotctl"));
        store.writeOverride("tt2", org.elastichadoop.slots.allocation.OperatorOverride.drain(System.currentTimeMillis()));
        await(store, "tt2", x -> x.maps() == 0 && x.reduces() == 0 && x.reason().contains("drained"), 5000);
        assertTrue(store.release("tt2"));
        await(store, "tt2", x -> x.maps() == 4 && x.reduces() == 1, 5000);

        // a policy in ZooKeeper: target 0.5 -> 4 cores on tt2 -> 3 maps, 1 reduce
        ControllerConfig.Policy p = new ControllerConfig.Policy();
        p.targetUtilisation = 0.5;
        p.smoothing = 1.0;
        p.maxStep = 8;
        store.writePolicy(PolicyJson.encode(p));
        await(store, "tt2", x -> x.maps() == 3 && x.reduces() == 1, 5000);
        // garbage and out-of-range policies are ignored: the allocation stays
        store.writePolicy("{\"targetUtilisation\": 7}".getBytes(StandardCharsets.UTF_8));
        Thread.sleep(2500);
        assertEquals(3, store.read("tt2").get().maps());
        store.writePolicy("{\"maxMaps\": 2.5}".getBytes(StandardCharsets.UTF_8));
        Thread.sleep(2500);
        assertEquals(3, store.read("tt2").get().maps());
    }

    @After
    public void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            try {
                closing.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (zk != null) zk.close();
    }
}
