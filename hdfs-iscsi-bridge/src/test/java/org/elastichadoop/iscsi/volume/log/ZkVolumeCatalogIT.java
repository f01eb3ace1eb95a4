package org.elastichadoop.iscsi.volume.log;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.volume.log.VolumeCatalog.Versioned;
import org.elastichadoop.kv.cluster.Zk;
import org.elastichadoop.kv.procs.FreePorts;
import org.elastichadoop.kv.testing.ZkEnsemble;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/**
 * The ZooKeeper catalog against a three-server ensemble (curator-test). The contract tests share
 * one ensemble, each under its own root; the tests that kill servers start their own.
 */
public class ZkVolumeCatalogIT extends VolumeCatalogContract {
    private static final Logger LOG = LogManager.getLogger(ZkVolumeCatalogIT.class);
    private static final AtomicInteger ROOTS = new AtomicInteger();
    private static TestingCluster cluster;
    private static CuratorFramework client;

    @BeforeClass
    public static void startEnsemble() throws Exception {
        cluster = ZkEnsemble.of(3);
        cluster.start();
        client = Zk.connect(cluster.getConnectString(), 10_000, 10_000);
    }

    @AfterClass
    public static void stopEnsemble() throws Exception {
        if (client != null) client.close();
        if (cluster != null) cluster.close();
    }

    @Override
    protected VolumeCatalog newCatalog() {
        return new ZkVolumeCatalog(client, "/test/catalog-" + ROOTS.incrementAndGet());
    }

    @Test
    public void defaultRootIsUnderElastichadoop() throws Exception {
        try (ZkVolumeCatalog owned = ZkVolumeCatalog.connect(cluster.getConnectString())) {
            owned.create(record("default-root"));
            assertNotNull(client.checkExists().forPath("/elastichadoop/volumes/default-root"));
            assertTrue(owned.delete("default-root", 0));
        }
    }

    @Test
    public void aWriteThroughOneServerIsReadThroughAnotherRightAfter() throws Exception {
        // The writer talks to a follower only and the reader to the leader only: the leader may
        // still have the write queued when the follower has acknowledged it, and a sync does not
        // help there (see ZkVolumeCatalog.stillCurrent).
        InstanceSpec leader = leaderOf(cluster);
        InstanceSpec follower = cluster.getInstances().stream().filter(s -> !s.equals(leader)).findFirst().orElseThrow();
        try (CuratorFramework writerZk = Zk.connect(follower.getConnectString(), 10_000, 10_000);
             CuratorFramework readerZk = Zk.connect(leader.getConnectString(), 10_000, 10_000)) {
            String root = "/test/cross-" + ROOTS.incrementAndGet();
            VolumeCatalog writer = new ZkVolumeCatalog(writerZk, root);
            VolumeCatalog reader = new ZkVolumeCatalog(readerZk, root);
            Versioned v = writer.create(record("shared"));
            for (int i = 0; i < 200; i++) {
                assertEquals(v, reader.read("shared").orElseThrow());
                VolumeRecord next = v.record().withEpoch(v.record().epoch() + 1, List.of());
                v = writer.compareAndSet("shared", v.version(), next).orElseThrow();
            }
            assertEquals(v, reader.read("shared").orElseThrow());
        }
    }

    @Test
    public void compareAndSetWorksAgainOnceAQuorumIsBackAfterTheLeaderDies() throws Exception {
        try (TestingCluster own = ZkEnsemble.of(3)) {
            own.start();
            try (ZkVolumeCatalog catalog = ZkVolumeCatalog.connect(own.getConnectString(), 6_000, 5_000)) {
                Versioned v = catalog.create(record("survivor"));

                InstanceSpec leader = leaderOf(own);
                LOG.info("killing the leader, server {}", leader.getServerId());
                assertTrue(own.killServer(leader));

                long start = System.nanoTime();
                Versioned read = eventually(() -> catalog.read("survivor"), 60_000).orElseThrow();
                assertEquals(v, read);
                VolumeRecord next = read.record().withEpoch(1, List.of());
                Versioned after = catalog.compareAndSet("survivor", read.version(), next).orElseThrow();
                assertEquals(read.version() + 1, after.version());
                LOG.info("catalog usable again {} ms after the leader died", (System.nanoTime() - start) / 1_000_000);

                assertEquals(after, catalog.read("survivor").orElseThrow());
                assertEquals(Optional.empty(), catalog.compareAndSet("survivor", read.version(), next));
            }
        }
    }

    @Test
    public void callsFailAsUnavailableInBoundedTimeWhenTheEnsembleIsDown() throws Exception {
        TestingCluster own = ZkEnsemble.of(3);
        try {
            own.start();
            try (ZkVolumeCatalog catalog = ZkVolumeCatalog.connect(own.getConnectString(), 3_000, 3_000)) {
                Versioned v = catalog.create(record("stranded"));
                own.stop();

                List<Runnable> calls = List.of(
                        () -> catalog.read("stranded"),
                        () -> catalog.compareAndSet("stranded", v.version(), v.record().withEpoch(1, List.of())),
                        () -> catalog.create(record("another")),
                        () -> catalog.delete("stranded", v.version()),
                        catalog::list);
                for (Runnable call : calls) {
                    long start = System.nanoTime();
                    CatalogException e = assertThrows(CatalogException.class, call::run);
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    LOG.info("failed after {} ms: {}", ms, e.getMessage());
                    assertEquals(CatalogException.Reason.UNAVAILABLE, e.reason());
                    assertTrue(e.getMessage(), e.getMessage().contains("Is ZooKeeper running at"));
                    assertTrue("took " + ms + " ms", ms < 20_000);
                }
            }
        } finally {
            own.close();
        }
    }

    @Test
    public void connectingToNothingFailsAsUnavailable() throws Exception {
        int port = FreePorts.belowEphemeral();
        long start = System.nanoTime();
        CatalogException e = assertThrows(CatalogException.class,
                () -> ZkVolumeCatalog.connect("127.0.0.1:" + port, 3_000, 1_000));
        assertEquals(CatalogException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage(), e.getMessage().contains("127.0.0.1:" + port));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
    }

    /** The ensemble member that says "Mode: leader" to the srvr four-letter command. */
    private static InstanceSpec leaderOf(TestingCluster ensemble) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (InstanceSpec spec : ensemble.getInstances()) {
                if (srvr(spec.getPort()).contains("Mode: leader")) return spec;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no leader in " + ensemble.getConnectString());
    }

    private static String srvr(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(2_000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder reply = new StringBuilder();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            for (String line; (line = in.readLine()) != null; ) reply.append(line).append('\n');
            return reply.toString();
        } catch (Exception e) {
            return "";
        }
    }

    /** Retries {@code call} while the catalog is unavailable (an election in progress). */
    private static <T> T eventually(Supplier<T> call, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try {
                return call.get();
            } catch (CatalogException e) {
                if (e.reason() != CatalogException.Reason.UNAVAILABLE || System.currentTimeMillis() > deadline) throw e;
                LOG.info("still unavailable: {}", e.getMessage());
                Thread.sleep(200);
            }
        }
    }
}
