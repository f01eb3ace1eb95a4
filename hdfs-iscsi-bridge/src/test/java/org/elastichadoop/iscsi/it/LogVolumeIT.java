package org.elastichadoop.iscsi.it;

import org.elastichadoop.iscsi.bridge.BridgeConfig;
import org.elastichadoop.iscsi.bridge.IscsiBridge;
import org.elastichadoop.iscsi.volume.log.LogVolumes;
import org.elastichadoop.iscsi.volume.log.VolumeCatalog;
import org.elastichadoop.iscsi.volume.log.ZkVolumeCatalog;
import org.elastichadoop.kv.node.LocalCluster;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/**
 * Log-structured volumes on a real zk-kv-store cluster (ZooKeeper ensemble + three nodes, RF 3),
 * through the bridge, with qemu-img and libiscsi as initiators.
 */
public class LogVolumeIT {
    @ClassRule
    public static TemporaryFolder dir = new TemporaryFolder();
    private static LocalCluster cluster;
    private static String zk;
    private static VolumeCatalog catalog;

    @BeforeClass
    public static void start() throws Exception {
        cluster = new LocalCluster(dir.newFolder("kv").toPath(), 3);
        zk = cluster.zk.getConnectString();
        catalog = ZkVolumeCatalog.connect(zk);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (catalog != null) catalog.close();
        if (cluster != null) cluster.close();
    }

    private static IscsiBridge bridge(String iqn, String volume) throws Exception {
        BridgeConfig config = new BridgeConfig("127.0.0.1:0", null, null, null, null, null, null,
                List.of(new BridgeConfig.TargetConfig(iqn, null, null, null, null, List.of(BridgeConfig.LunConfig.ofVolume(0, volume)))), zk);
        return IscsiBridge.start(config, "test");
    }

    private static String url(IscsiBridge b, String iqn) {
        return "iscsi://127.0.0.1:" + b.portalAddress().getPort() + "/" + iqn + "/0";
    }

    @Test
    public void dataWrittenWithQemuImgSurvivesABridgeRestart() throws Exception {
        String iqn = "iqn.2026-11.org.elastichadoop.test:logvol";
        LogVolumes.create(catalog, "restart", 128L << 20, 512);
        byte[] random = new byte[24 << 20];
        new Random(9).nextBytes(random);
        Path source = dir.newFile("random.raw").toPath();
        Files.write(source, random);
        try (IscsiBridge b = bridge(iqn, "restart")) {
            Tool.Result cap = Tool.run(30, "iscsi-readcapacity16", url(b, iqn));
            assertTrue(cap.output(), cap.output().contains("Total size:" + (128L << 20)));
            Tool.Result convert = Tool.run(300, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), url(b, iqn));
            assertEquals(convert.toString(), 0, convert.exit());
            Tool.Result same = Tool.run(300, "qemu-img", "compare", "-f", "raw", "-F", "raw", source.toString(), url(b, iqn));
            assertEquals(same.toString(), 0, same.exit());
        }
        VolumeCatalog.Versioned record = catalog.read("restart").orElseThrow();
        assertTrue("a clean shutdown leaves a checkpoint", record.record().checkpoint() != null);
        try (IscsiBridge b = bridge(iqn, "restart")) {
            Tool.Result same = Tool.run(300, "qemu-img", "compare", "-f", "raw", "-F", "raw", source.toString(), url(b, iqn));
            assertEquals("after the restart: " + same, 0, same.exit());
            assertTrue(same.output().contains("identical"));
        }
        assertEquals("each bridge took a new writer epoch", 2, catalog.read("restart").orElseThrow().record().epoch());
    }

    @Test
    public void aSecondBridgeTakesTheVolumeOverAndTheFirstCanNoLongerCompleteWrites() throws Exception {
        String iqn = "iqn.2026-11.org.elastichadoop.test:fenced";
        LogVolumes.create(catalog, "fenced", 16L << 20, 512);
        try (IscsiBridge first = bridge(iqn, "fenced");
             TestInitiator a = TestInitiator.connect(first.portalAddress().getPort(), 30_000)) {
            a.login("iqn.2026-11.test:first", iqn);
            byte[] before = new byte[4096];
            new Random(1).nextBytes(before);
            assertEquals(0, a.write10(0, before));
            assertEquals("SYNCHRONIZE CACHE on the owner", 0, a.synchronizeCache());

            try (IscsiBridge second = bridge(iqn, "fenced");
                 TestInitiator b = TestInitiator.connect(second.portalAddress().getPort(), 30_000)) {
                b.login("iqn.2026-11.test:second", iqn);
                assertArrayEquals("the new owner sees the synced data", before, b.read10(0, 8));

                byte[] late = new byte[4096];
                new Random(2).nextBytes(late);
                assertEquals("a write into the old owner's cache", 0, a.write10(0, late));
                assertNotEquals("but it cannot be made durable there", 0, a.synchronizeCache());
                assertArrayEquals("and the new owner never sees it", before, b.read10(0, 8));
            }
        }
    }

    @Test
    public void aKvNodeLostWhileTheVolumeIsWrittenCausesNoIoError() throws Exception {
        String iqn = "iqn.2026-11.org.elastichadoop.test:nodeloss";
        LogVolumes.create(catalog, "nodeloss", 128L << 20, 512);
        byte[] random = new byte[64 << 20];
        new Random(13).nextBytes(random);
        Path source = dir.newFile("nodeloss.raw").toPath();
        Files.write(source, random);
        try (IscsiBridge b = bridge(iqn, "nodeloss")) {
            java.util.concurrent.CompletableFuture<Tool.Result> convert = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return Tool.run(300, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), url(b, iqn));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(700); // the copy is under way
            cluster.stopNode(2); // a node crashes: its process and its ZooKeeper session end
            Tool.Result done = convert.get(300, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("qemu-img saw no I/O error: " + done, 0, done.exit());
            Tool.Result same = Tool.run(300, "qemu-img", "compare", "-f", "raw", "-F", "raw", source.toString(), url(b, iqn));
            assertEquals(same.toString(), 0, same.exit());
        } finally {
            cluster.startNode(2);
        }
    }
}
