package org.elastichadoop.iscsi.it;

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
 * Then the bridge is restarted on the same backing file and a second, separate guest mounts the file
 * system and reads the same bytes back.
 */
public class GuestMountIT {
    private static final String IQN = "iqn.2026-11.org.elastichadoop.test:guest";
    private static final Map<String, String> TCG = Map.of("LIBGUESTFS_BACKEND", "direct",
            "LIBGUESTFS_BACKEND_SETTINGS", "force_tcg");

    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    @Test
    public void aLinuxGuestMakesExt4WritesFilesAndASecondGuestReadsThem() throws Exception {
        Path backing = dir.getRoot().toPath().resolve("guest.img");
        byte[] payload = new byte[3 << 20];
        new Random(2026).nextBytes(payload);
        Path upload = dir.newFile("payload.bin").toPath();
        Files.write(upload, payload);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));

        try (RunningBridge bridge = RunningBridge.start(List.of(RunningBridge.fileTarget(IQN, backing, "128M")))) {
            Path script = dir.newFile("write.fish").toPath();
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
            Tool.Result write = Tool.run(600, TCG, "guestfish", "--format=raw", "-a", bridge.url(IQN, 0), "-f", script.toString());
            assertEquals(write.toString(), 0, write.exit());
        }

        try (RunningBridge bridge = RunningBridge.start(List.of(RunningBridge.fileTarget(IQN, backing, "128M")))) {
            Path script = dir.newFile("read.fish").toPath();
            Files.writeString(script, String.join("\n",
                    "run",
                    "vfs-type /dev/sda",
                    "mount-ro /dev/sda /",
                    "checksum sha256 /data/payload.bin",
                    "cat /data/hello.txt",
                    ""));
            Tool.Result read = Tool.run(600, TCG, "guestfish", "--ro", "--format=raw", "-a", bridge.url(IQN, 0), "-f", script.toString());
            assertEquals(read.toString(), 0, read.exit());
            assertTrue(read.output(), read.output().contains("ext4\n"));
            assertTrue(read.output(), read.output().contains(sha256));
            assertTrue(read.output(), read.output().contains("written through iscsi-bridge"));
        }
    }
}
