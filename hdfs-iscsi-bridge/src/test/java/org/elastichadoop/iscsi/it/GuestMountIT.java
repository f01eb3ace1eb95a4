package org.elastichadoop.iscsi.it;

import org.apache.curator.test.TestingServer;
import org.elastichadoop.iscsi.bridge.BridgeConfig;
import org.elastichadoop.iscsi.bridge.IscsiBridge;
import org.elastichadoop.iscsi.store.hdfs.MiniHdfs;
import org.elastichadoop.iscsi.volume.log.LogVolumes;
import org.elastichadoop.iscsi.volume.log.ZkVolumeCatalog;
import org.elastichadoop.kv.node.LocalCluster;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * A real Linux kernel uses the LUN: libguestfs boots its appliance under qemu (TCG), with the LUN
 * attached through qemu's iSCSI initiator as /dev/sda; it makes ext4, mounts it and writes files.
 * Then the bridge is restarted on the same volume and a second, separate guest mounts the file
 * system and reads the same bytes back. On a FileVolume, on a log volume on zk-kv-store, and on one kept in HDFS.
 */
public class GuestMountIT {
    private static final String IQN = "iqn.2026-11.org.elastichadoop.test:guest";
    private static final Map<String, String> TCG = Map.of("LIBGUESTFS_BACKEND", "direct",
            "LIBGUESTFS_BACKEND_SETTINGS", "force_tcg");

    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    /** Starts a bridge serving the volume under test as LUN 0 of {@link #IQN}. */
    @FunctionalInterface
    interface BridgeStarter {
        AutoCloseable start() throws Exception;
    }

    @Test
    public void aLinuxGuestMakesExt4WritesFilesAndASecondGuestReadsThem() throws Exception {
        Path backing = dir.getRoot().toPath().resolve("guest.img");
        int[] port = new int[1];
        guestWritesThenAnotherGuestReads(() -> {
            RunningBridge b = RunningBridge.start(List.of(RunningBridge.fileTarget(IQN, backing, "128M")));
            port[0] = b.port();
            return b;
        }, () -> port[0]);
    }

    @Test
    public void theSameOnALogVolumeKeptOnZkKvStore() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir.newFolder("kv").toPath(), 3)) {
            String zk = cluster.zk.getConnectString();
            try (ZkVolumeCatalog catalog = ZkVolumeCatalog.connect(zk)) {
                LogVolumes.create(catalog, "guest", 128L << 20, 512);
            }
            int[] port = new int[1];
            guestWritesThenAnotherGuestReads(() -> {
                IscsiBridge b = IscsiBridge.start(new BridgeConfig("127.0.0.1:0", null, null, null, null, null, null,
                        List.of(new BridgeConfig.TargetConfig(IQN, null, null, null, null, List.of(BridgeConfig.LunConfig.ofVolume(0, "guest")))),
                        zk), "test");
                port[0] = b.portalAddress().getPort();
                return b;
            }, () -> port[0]);
        }
    }

    @Test
    public void theSameOnALogVolumeKeptInHdfs() throws Exception {
        try (MiniHdfs hdfs = MiniHdfs.start(); TestingServer zk = new TestingServer()) {
            try (ZkVolumeCatalog catalog = ZkVolumeCatalog.connect(zk.getConnectString())) {
                LogVolumes.create(catalog, "guest-hdfs", 128L << 20, 512, hdfs.uri("/volumes").toString());
            }
            int[] port = new int[1];
            guestWritesThenAnotherGuestReads(() -> {
                IscsiBridge b = IscsiBridge.start(new BridgeConfig("127.0.0.1:0", null, null, null, null, null, null,
                        List.of(new BridgeConfig.TargetConfig(IQN, null, null, null, null, List.of(BridgeConfig.LunConfig.ofVolume(0, "guest-hdfs")))),
                        zk.getConnectString()), "test");
                port[0] = b.portalAddress().getPort();
                return b;
            }, () -> port[0]);
        }
    }

    private void guestWritesThenAnotherGuestReads(BridgeStarter starter, java.util.function.IntSupplier port) throws Exception {
        byte[] payload = new byte[3 << 20];
        new Random(2026).nextBytes(payload);
        Path upload = dir.newFile().toPath();
        Files.write(upload, payload);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));

        try (AutoCloseable bridge = starter.start()) {
            Path script = dir.newFile().toPath();
            Files.writeString(script, String.join("\n",
                    "run",
                    "mkfs ext4 /dev/sda",
                    "mount /dev/sda /",
                    "mkdir /data",
                    "upload " + upload + " /data/payload.bin",
                    "write /data/hello.txt \"written through iscsi-bridge\\n\"",
                    "sync",
                    "umount-all",
                    ""));
            Tool.Result write = Tool.run(600, TCG, "guestfish", "--format=raw", "-a", url(port.getAsInt()), "-f", script.toString());
            assertEquals(write.toString(), 0, write.exit());
        }

        try (AutoCloseable bridge = starter.start()) {
            Path script = dir.newFile().toPath();
            Files.writeString(script, String.join("\n",
                    "run",
                    "vfs-type /dev/sda",
                    "mount-ro /dev/sda /",
                    "checksum sha256 /data/payload.bin",
                    "cat /data/hello.txt",
                    ""));
            Tool.Result read = Tool.run(600, TCG, "guestfish", "--ro", "--format=raw", "-a", url(port.getAsInt()), "-f", script.toString());
            assertEquals(read.toString(), 0, read.exit());
            assertTrue(read.output(), read.output().contains("ext4\n"));
            assertTrue(read.output(), read.output().contains(sha256));
            assertTrue(read.output(), read.output().contains("written through iscsi-bridge"));
        }
    }

    private static String url(int port) {
        return "iscsi://127.0.0.1:" + port + "/" + IQN + "/0";
    }
}
