package org.elastichadoop.kv.cluster;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Members (persistent znodes) beside live nodes (ephemeral ones), against a real ZooKeeper server. */
public class MembershipTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ZkPaths paths = new ZkPaths("test");
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestingServer server;
    private CuratorFramework zk;
    private Membership observer;

    @Before
    public void startZooKeeper() throws Exception {
        server = new TestingServer();
        zk = session();
        observer = new Membership(zk, paths).start(10_000);
        open.add(observer);
    }

    @After
    public void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        server.close();
    }

    private CuratorFramework session() throws InterruptedException {
        CuratorFramework s = Zk.connect(server.getConnectString(), 6_000, 10_000);
        open.add(s);
        return s;
    }

    /** Registers a node on a session of its own; closing what it returns ends the registration and the session. */
    private AutoCloseable register(NodeInfo info) throws Exception {
        CuratorFramework s = session();
        Membership m = new Membership(s, paths).start(10_000);
        m.register(info);
        AutoCloseable registration = () -> {
            m.close();
            s.close();
        };
        open.add(registration);
        return registration;
    }

    private static NodeInfo node(String id, int port) {
        return new NodeInfo(id, "127.0.0.1", port, -1, 1L << 30, 1_000);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    public void memberOutlivesItsRegistration() throws Exception {
        NodeInfo n1 = node("n1", 7401);
        AutoCloseable registration = register(n1);
        await("n1 is live", () -> observer.isLive("n1"));
        assertEquals(n1, observer.member("n1"));
        assertEquals(n1, observer.node("n1"));

        registration.close();
        await("n1 is no longer live", () -> !observer.isLive("n1"));
        assertNull(observer.node("n1"));
        assertTrue(observer.liveNodes().isEmpty());
        assertEquals(List.of(n1), List.copyOf(observer.members()));

        Membership later = new Membership(session(), paths).start(10_000);
        open.add(later);
        assertEquals("a view loaded after the node went lists it as a member", n1, later.member("n1"));
        assertFalse(later.isLive("n1"));
        assertTrue(later.liveNodes().isEmpty());
    }

    @Test
    public void registeringAgainRewritesTheRecordOnlyWhenItChanged() throws Exception {
        register(node("n1", 7401)).close();
        register(node("n1", 7401)).close();
        Stat stat = new Stat();
        byte[] data = zk.getData().storingStatIn(stat).forPath(paths.member("n1"));
        assertEquals("the same record is not written again", 0, stat.getVersion());
        assertEquals(node("n1", 7401), JSON.readValue(data, NodeInfo.class));

        NodeInfo moved = node("n1", 7402);
        register(moved);
        data = zk.getData().storingStatIn(stat).forPath(paths.member("n1"));
        assertEquals(1, stat.getVersion());
        assertEquals(moved, JSON.readValue(data, NodeInfo.class));
        await("the observer sees the new address", () -> observer.member("n1") != null && observer.member("n1").port() == 7402);
        assertEquals(1, observer.members().size());
    }

    @Test
    public void removeMemberRefusesALiveNodeAndRemovesADeadOne() throws Exception {
        AutoCloseable registration = register(node("n1", 7401));
        IllegalStateException live = assertThrows(IllegalStateException.class, () -> Membership.removeMember(zk, paths, "n1"));
        assertTrue(live.getMessage(), live.getMessage().contains("n1 is live") && live.getMessage().contains("stop it first"));
        assertNotNull("a refused removal leaves the member", zk.checkExists().forPath(paths.member("n1")));

        registration.close();
        await("n1's registration is gone", () -> !observer.isLive("n1"));
        Membership.removeMember(zk, paths, "n1");
        assertNull(zk.checkExists().forPath(paths.member("n1")));
        await("the observer forgets n1", () -> observer.member("n1") == null);
        assertTrue(observer.members().isEmpty());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Membership.removeMember(zk, paths, "n1"));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("n1 is not a member of cluster test"));
    }

    @Test
    public void listenersFireOnMemberChanges() throws Exception {
        register(node("n1", 7401)).close();
        await("n1 is a member, not live", () -> observer.member("n1") != null && !observer.isLive("n1"));
        AtomicBoolean heardN2 = new AtomicBoolean();
        AtomicBoolean heardN1Gone = new AtomicBoolean();
        observer.addListener(() -> {
            heardN2.compareAndSet(false, observer.member("n2") != null);
            heardN1Gone.compareAndSet(false, observer.member("n1") == null);
        });

        zk.create().forPath(paths.member("n2"), JSON.writeValueAsBytes(node("n2", 7402)));
        await("a listener hears of the new member", heardN2::get);
        assertFalse(observer.isLive("n2"));
        assertFalse(heardN1Gone.get());

        Membership.removeMember(zk, paths, "n1");
        await("a listener hears of the removed member", heardN1Gone::get);
        assertEquals(List.of(node("n2", 7402)), List.copyOf(observer.members()));
    }
}
