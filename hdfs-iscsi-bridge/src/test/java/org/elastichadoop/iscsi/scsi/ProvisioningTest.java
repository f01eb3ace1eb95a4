package org.elastichadoop.iscsi.scsi;

import org.elastichadoop.iscsi.volume.MemoryVolume;
import org.junit.Test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

/** UNMAP, WRITE SAME and GET LBA STATUS on a thin MemoryVolume (64 KiB chunks = 128 blocks). */
public class ProvisioningTest extends ScsiTestBase {

    private byte[] unmapList(long... lbaAndCount) {
        int n = lbaAndCount.length / 2;
        byte[] p = new byte[8 + 16 * n];
        Cdb.put16(p, 0, p.length - 2);
        Cdb.put16(p, 2, 16 * n);
        for (int i = 0; i < n; i++) {
            Cdb.put64(p, 8 + 16 * i, lbaAndCount[2 * i]);
            Cdb.put32(p, 16 + 16 * i, lbaAndCount[2 * i + 1]);
        }
        return p;
    }

    private ScsiResult unmap(byte[] params) {
        byte[] c = new byte[10];
        c[0] = 0x42;
        Cdb.put16(c, 7, params.length);
        return send(A, c, params);
    }

    private byte[] lbaStatus(long lba) {
        byte[] c = rw16(0x9E, lba, 1000);
        c[1] = 0x12;
        ScsiResult r = send(A, c);
        assertGood(r);
        return bytes(r);
    }

    @Test
    public void unmapDeallocatesAndReadsZero() {
        assertGood(send(A, rw10(0x2A, 0, 256), filled(256 * BS, 9)));
        assertEquals(2, volume.allocatedChunks());
        assertGood(unmap(unmapList(0, 128, 200, 10)));
        assertEquals(1, volume.allocatedChunks());
        byte[] back = bytes(send(A, rw10(0x28, 0, 256)));
        assertEquals(0, back[0]);
        assertEquals(9, back[128 * BS]);
        assertEquals(0, back[200 * BS]);
        byte[] st = lbaStatus(0);
        assertEquals(0, Cdb.u64(st, 8));
        assertEquals(128, Cdb.u32(st, 16));
        assertEquals(1, st[20]);          // deallocated
        assertEquals(128, Cdb.u64(st, 24));
        assertEquals(0, st[36]);          // mapped
    }

    @Test
    public void unmapParameterErrors() {
        assertGood(unmap(new byte[0]));
        assertGood(unmap(unmapList()));
        assertGood(unmap(unmapList(BLOCKS, 0)));
        assertCheck(unmap(new byte[6]), SenseKey.ILLEGAL_REQUEST, Asc.PARAMETER_LIST_LENGTH_ERROR);
        assertCheck(unmap(unmapList(BLOCKS - 1, 2)), SenseKey.ILLEGAL_REQUEST, Asc.LBA_OUT_OF_RANGE);
        byte[] bad = unmapList(0, 1);
        Cdb.put16(bad, 2, 64);
        assertCheck(unmap(bad), SenseKey.ILLEGAL_REQUEST, Asc.PARAMETER_LIST_LENGTH_ERROR);
        long[] many = new long[2 * 257];
        assertCheck(unmap(unmapList(many)), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_PARAMETER_LIST);
        byte[] anchor = {0x42, 1, 0, 0, 0, 0, 0, 0, 24, 0};
        assertCheck(send(A, anchor, unmapList(0, 1)), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
    }

    @Test
    public void unmapIsUnsupportedOnThickVolumes() {
        device = newDevice(new MemoryVolume(BLOCKS, BS, false), false);
        assertCheck(unmap(unmapList(0, 1)), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_COMMAND_OPERATION_CODE);
        byte[] rc16 = rw16(0x9E, 0, 32);
        rc16[1] = 0x10;
        assertEquals(0, bytes(send(A, rc16))[14]);
    }

    @Test
    public void writeSameFillsAndUnmaps() {
        byte[] pattern = filled(BS, 0x5a);
        assertGood(send(A, rw10(0x41, 10, 300), pattern));
        byte[] back = bytes(send(A, rw10(0x28, 10, 300)));
        assertArrayEquals(filled(300 * BS, 0x5a), back);
        byte[] ws16 = rw16(0x93, 0, 256);
        ws16[1] = 0x08;   // UNMAP
        assertGood(send(A, ws16, new byte[BS]));
        assertEquals(1, volume.allocatedChunks());
        assertEquals(0, bytes(send(A, rw10(0x28, 10, 1)))[0]);
    }

    @Test
    public void writeSameZeroBlocksGoesToTheEnd() {
        assertGood(send(A, rw10(0x41, BLOCKS - 5, 0), filled(BS, 1)));
        assertEquals(1, bytes(send(A, rw10(0x28, BLOCKS - 1, 1)))[0]);
        assertCheck(send(A, rw10(0x41, BLOCKS + 1, 1), filled(BS, 1)), SenseKey.ILLEGAL_REQUEST, Asc.LBA_OUT_OF_RANGE);
    }

    @Test
    public void writeSameErrors() {
        byte[] c = rw10(0x41, 0, 1);
        c[1] = 0x20;
        assertCheck(send(A, c, filled(BS, 1)), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
        assertCheck(send(A, rw10(0x41, 0, 1), filled(2 * BS, 1)), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
        ScsiResult shortData = send(A, rw10(0x41, 0, 1), filled(BS / 2, 1));
        assertEquals(ScsiResult.CHECK_CONDITION, shortData.status());
        byte[] anchor = rw10(0x41, 0, 1);
        anchor[1] = 0x18;
        assertCheck(send(A, anchor, new byte[BS]), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
    }

    @Test
    public void getLbaStatusBeyondTheEnd() {
        byte[] c = rw16(0x9E, BLOCKS, 24);
        c[1] = 0x12;
        assertCheck(send(A, c), SenseKey.ILLEGAL_REQUEST, Asc.LBA_OUT_OF_RANGE);
        byte[] st = lbaStatus(BLOCKS - 1);
        assertEquals(BLOCKS - 1, Cdb.u64(st, 8));
        assertEquals(1, Cdb.u32(st, 16));
    }

    @Test
    public void readCapacityReportsThinProvisioning() {
        byte[] rc16 = rw16(0x9E, 0, 32);
        rc16[1] = 0x10;
        ScsiResult r = send(A, rc16);
        byte[] d = bytes(r);
        assertEquals(BLOCKS - 1, Cdb.u64(d, 0));
        assertEquals(BS, Cdb.u32(d, 8));
        assertEquals((byte) 0xC0, d[14]);
        byte[] rc10 = bytes(send(A, cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        assertEquals(BLOCKS - 1, Cdb.u32(rc10, 0));
        byte[] small = rw16(0x9E, 0, 8);
        small[1] = 0x10;
        ScsiResult s = send(A, small);
        assertEquals(8, s.spdtl());
        s.dataIn().release();
    }
}
