package org.elastichadoop.iscsi.scsi;

import org.elastichadoop.iscsi.volume.FileVolume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Path;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** A BlockDevice over a real FileVolume: thin provisioning end to end, and I/O errors as sense. */
public class FileBackedDeviceTest extends ScsiTestBase {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private FileVolume open() throws Exception {
        Path p = tmp.getRoot().toPath().resolve("lun0.img");
        return FileVolume.open(p, 16L << 20, BS);
    }

    @Test
    public void unmapThroughScsiPunchesHoles() throws Exception {
        FileVolume file = open();
        assertTrue("the test directory's file system must punch holes (ext4, xfs, tmpfs)", file.supportsUnmap());
        device = newDevice(file, false);
        assertGood(send(A, rw10(0x2A, 0, 256), filled(256 * BS, 'A')));
        byte[] params = new byte[24];
        Cdb.put16(params, 0, 22);
        Cdb.put16(params, 2, 16);
        Cdb.put64(params, 8, 0);
        Cdb.put32(params, 16, 128);
        assertGood(send(A, cdb(0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0), params));
        byte[] c = rw16(0x9E, 0, 24);
        c[1] = 0x12;
        byte[] st = bytes(send(A, c));
        assertEquals(1, st[20]);
        assertEquals(128, Cdb.u32(st, 16));
        byte[] c2 = rw16(0x9E, 128, 24);
        c2[1] = 0x12;
        byte[] st2 = bytes(send(A, c2));
        assertEquals(0, st2[20]);
        assertArrayEquals(new byte[128 * BS], bytes(send(A, rw10(0x28, 0, 128))));
        byte[] rc16 = rw16(0x9E, 0, 32);
        rc16[1] = 0x10;
        byte[] cap = bytes(send(A, rc16));
        assertEquals((byte) 0xC0, cap[14]);
        assertEquals("one logical block per physical block", 0, cap[13]);
        file.close();
    }

    @Test
    public void volumeFailuresBecomeMediumErrors() throws Exception {
        FileVolume file = open();
        device = newDevice(file, false);
        file.close();
        assertCheck(send(A, rw10(0x28, 0, 1)), SenseKey.MEDIUM_ERROR, Asc.UNRECOVERED_READ_ERROR);
        assertCheck(send(A, rw10(0x2A, 0, 1), new byte[BS]), SenseKey.MEDIUM_ERROR, Asc.WRITE_ERROR);
        assertGood(send(A, cdb(0, 0, 0, 0, 0, 0)));
    }

    @Test
    public void clearTaskSetRaisesUnitAttentionOnlyForNexusesWithTasks() {
        assertGood(send(B, cdb(0, 0, 0, 0, 0, 0)));
        device.taskSetCleared(A);
        assertGood(send(B, cdb(0, 0, 0, 0, 0, 0)));
    }
}
