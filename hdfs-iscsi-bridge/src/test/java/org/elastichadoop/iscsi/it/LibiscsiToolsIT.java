package org.elastichadoop.iscsi.it;

import org.elastichadoop.iscsi.bridge.BridgeConfig;
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

/** libiscsi's command-line initiators and qemu-img against a FileVolume target. */
public class LibiscsiToolsIT {
    private static final String IQN = "iqn.2026-11.org.elastichadoop.test:tools";
    private static final long SIZE = 128L << 20;

    @ClassRule
    public static TemporaryFolder dir = new TemporaryFolder();
    private static RunningBridge bridge;
    private static Path backing;

    @BeforeClass
    public static void start() throws Exception {
        backing = dir.getRoot().toPath().resolve("tools.img");
        bridge = RunningBridge.start(List.of(RunningBridge.fileTarget(IQN, backing, "128M")));
    }

    @AfterClass
    public static void stop() {
        if (bridge != null) bridge.close();
    }

    @Test
    public void discoveryListsTheTargetAndItsLun() throws Exception {
        Tool.Result ls = Tool.run(30, "iscsi-ls", "iscsi://127.0.0.1:" + bridge.port());
        assertEquals(ls.toString(), 0, ls.exit());
        assertTrue(ls.output(), ls.output().contains("Target:" + IQN + " Portal:127.0.0.1:" + bridge.port() + ",1"));

        Tool.Result withLuns = Tool.run(30, "iscsi-ls", "-s", "iscsi://127.0.0.1:" + bridge.port());
        assertEquals(withLuns.toString(), 0, withLuns.exit());
        assertTrue(withLuns.output(), withLuns.output().matches("(?s).*Lun:0\\s+Type:DIRECT_ACCESS \\(Size:12[78]M\\).*"));
    }

    @Test
    public void inquiryDescribesADiskWithItsSerial() throws Exception {
        Tool.Result inq = Tool.run(30, "iscsi-inq", bridge.url(IQN, 0));
        assertEquals(inq.toString(), 0, inq.exit());
        assertTrue(inq.output(), inq.output().contains("Peripheral Device Type:DIRECT_ACCESS"));
        assertTrue(inq.output(), inq.output().contains("Vendor:ELASTICH"));
        assertTrue(inq.output(), inq.output().contains("Version Descriptor:0960 iSCSI"));

        Tool.Result serial = Tool.run(30, "iscsi-inq", "-e", "1", "-c", "128", bridge.url(IQN, 0));
        assertEquals(serial.toString(), 0, serial.exit());
        assertTrue(serial.output(), serial.output().matches("(?s).*Unit Serial Number:\\S+.*"));
    }

    @Test
    public void readCapacity16GivesTheConfiguredSize() throws Exception {
        Tool.Result cap = Tool.run(30, "iscsi-readcapacity16", bridge.url(IQN, 0));
        assertEquals(cap.toString(), 0, cap.exit());
        assertTrue(cap.output(), cap.output().contains("LOGICAL BLOCK LENGTH IN BYTES:512"));
        assertTrue(cap.output(), cap.output().contains("RETURNED LOGICAL BLOCK ADDRESS:" + (SIZE / 512 - 1)));
        assertTrue(cap.output(), cap.output().contains("Total size:" + SIZE));
    }

    @Test
    public void qemuImgWritesRandomDataAndComparesItBack() throws Exception {
        byte[] random = new byte[32 << 20];
        new Random(42).nextBytes(random);
        Path source = dir.newFile("random.raw").toPath();
        Files.write(source, random);

        Tool.Result convert = Tool.run(120, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), bridge.url(IQN, 0));
        assertEquals(convert.toString(), 0, convert.exit());
        Tool.Result same = Tool.run(120, "qemu-img", "compare", "-f", "raw", "-F", "raw", source.toString(), bridge.url(IQN, 0));
        assertEquals(same.toString(), 0, same.exit());
        assertTrue(same.output(), same.output().contains("Images are identical"));

        // the bytes reached the backing file itself
        byte[] stored = new byte[random.length];
        try (var in = Files.newInputStream(backing)) {
            assertEquals(random.length, in.readNBytes(stored, 0, stored.length));
        }
        assertArrayEquals(random, stored);

        // and compare can tell a difference: one changed byte in the middle
        random[random.length / 2] ^= 1;
        Path changed = dir.newFile("changed.raw").toPath();
        Files.write(changed, random);
        Tool.Result differs = Tool.run(120, "qemu-img", "compare", "-f", "raw", "-F", "raw", changed.toString(), bridge.url(IQN, 0));
        assertEquals(differs.toString(), 1, differs.exit());
        assertTrue(differs.output(), differs.output().contains("Content mismatch at offset " + random.length / 2));
    }

    @Test
    public void headerDigestsCarryTheSameData() throws Exception {
        byte[] random = new byte[8 << 20];
        new Random(7).nextBytes(random);
        Path source = dir.newFile("digest.raw").toPath();
        Files.write(source, random);
        String opts = "driver=iscsi,transport=tcp,portal=127.0.0.1:" + bridge.port() + ",target=" + IQN
                + ",lun=0,header-digest=crc32c";
        Tool.Result convert = Tool.run(120, "qemu-img", "convert", "-n", "-f", "raw", "--target-image-opts",
                source.toString(), opts);
        assertEquals(convert.toString(), 0, convert.exit());
        Tool.Result same = Tool.run(120, "qemu-img", "compare", "--image-opts",
                "driver=raw,file.filename=" + source, opts);
        assertEquals(same.toString(), 0, same.exit());
        assertNotEquals(-1, same.output().indexOf("identical"));
    }
}
