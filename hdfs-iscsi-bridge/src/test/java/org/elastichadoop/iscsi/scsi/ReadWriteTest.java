package org.elastichadoop.iscsi.scsi;

import org.junit.Test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

public class ReadWriteTest extends ScsiTestBase {

    @Test
    public void writeThenReadAllSizes() {
        byte[] data = filled(2 * BS, 'x');
        assertGood(send(A, rw10(0x2A, 10, 2), data));
        ScsiResult r = send(A, rw10(0x28, 10, 2));
        assertGood(r);
        assertEquals(2 * BS, r.spdtl());
        assertArrayEquals(data, bytes(r));
        ScsiResult r16 = send(A, rw16(0x88, 11, 1));
        assertArrayEquals(filled(BS, 'x'), bytes(r16));
        ScsiResult r12 = send(A, cdb(0xA8, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0));
        assertArrayEquals(filled(BS, 'x'), bytes(r12));
        ScsiResult r6 = send(A, cdb(0x08, 0, 0, 10, 1, 0));
        assertArrayEquals(filled(BS, 'x'), bytes(r6));
    }

    @Test
    public void readSixWithZeroLengthMeans256Blocks() {
        ScsiResult r = send(A, cdb(0x08, 0, 0, 0, 0, 0));
        assertGood(r);
        assertEquals(256 * BS, bytes(r).length);
    }

    @Test
    public void outOfRangeAndZeroBlocks() {
        assertGood(send(A, rw10(0x28, 0, 0)));
        assertGood(send(A, rw10(0x28, BLOCKS, 0)));
        assertCheck(send(A, rw10(0x28, BLOCKS + 1, 0)), SenseKey.ILLEGAL_REQUEST, Asc.LBA_OUT_OF_RANGE);
        assertCheck(send(A, rw10(0x28, BLOCKS - 1, 2)), SenseKey.ILLEGAL_REQUEST, Asc.LBA_OUT_OF_RANGE);
        assertCheck(send(A, rw16(0x88, -1L, 1)), SenseKey.ILLEGAL_REQUEST, Asc.LBA_OUT_OF_RANGE);
        assertCheck(send(A, rw16(0x8A, -1L, 0), new byte[0]), SenseKey.ILLEGAL_REQUEST, Asc.LBA_OUT_OF_RANGE);
    }

    @Test
    public void protectionFieldsAreRefused() {
        byte[] c = rw10(0x28, 0, 1);
        c[1] = (byte) 0x20;
        ScsiResult r = send(A, c);
        assertCheck(r, SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
        assertEquals("SKSV, C/D, BPV, bit 7", 0xCF, r.sense()[15] & 0xff);
        assertEquals(1, r.sense()[17]);
        byte[] w = rw10(0x2A, 0, 1);
        w[1] = (byte) 0xE0;
        assertCheck(send(A, w, filled(BS, 1)), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
    }

    @Test
    public void dpoAndFuaAreAccepted() {
        byte[] w = rw10(0x2A, 0, 1);
        w[1] = 0x18;
        assertGood(send(A, w, filled(BS, 3)));
        byte[] r = rw10(0x28, 0, 1);
        r[1] = 0x18;
        assertArrayEquals(filled(BS, 3), bytes(send(A, r)));
    }

    @Test
    public void writeWithShortEdtlWritesOnlyWholeBlocksWithinIt() {
        assertGood(send(A, rw10(0x2A, 0, 2), filled(2 * BS, 'a')));
        ScsiResult r = send(A, rw10(0x2A, 0, 2), filled(BS, 'b'), BS);
        assertGood(r);
        assertEquals(2 * BS, r.spdtl());
        byte[] back = bytes(send(A, rw10(0x28, 0, 2)));
        assertEquals('b', back[0]);
        assertEquals('a', back[BS]);
        ScsiResult zero = send(A, rw10(0x2A, 0, 1), null, 0);
        assertGood(zero);
        assertEquals(BS, zero.spdtl());
        ScsiResult partial = send(A, rw10(0x2A, 0, 1), filled(200, 'c'), 200);
        assertCheck(partial, SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_COMMAND_IU);
        assertEquals(BS, partial.spdtl());
        assertEquals('b', bytes(send(A, rw10(0x28, 0, 1)))[0]);
        byte[] wv = rw10(0x2E, 0, 2);
        wv[1] = 0x02;
        assertGood(send(A, wv, filled(BS, 'd'), BS));
        back = bytes(send(A, rw10(0x28, 0, 2)));
        assertEquals('d', back[0]);
        assertEquals('a', back[BS]);
    }

    @Test
    public void writeWithLongEdtlWritesOnlyTheCdbLength() {
        assertGood(send(A, rw10(0x2A, 0, 2), filled(2 * BS, 'a')));
        ScsiResult r = send(A, rw10(0x2A, 0, 1), filled(10000, 'b'), 10000);
        assertGood(r);
        assertEquals(BS, r.spdtl());
        byte[] back = bytes(send(A, rw10(0x28, 0, 2)));
        assertEquals('b', back[BS - 1]);
        assertEquals('a', back[BS]);
    }

    @Test
    public void readOnlyUnitRefusesWrites() {
        device = newDevice(volume, true);
        assertCheck(send(A, rw10(0x2A, 0, 1), filled(BS, 1)), SenseKey.DATA_PROTECT, Asc.WRITE_PROTECTED);
        assertGood(send(A, rw10(0x28, 0, 1)));
    }

    @Test
    public void verifyComparesAndReportsTheOffset() {
        assertGood(send(A, rw10(0x2A, 5, 2), filled(2 * BS, 7)));
        byte[] v = rw10(0x2F, 5, 2);
        v[1] = 0x02;   // BYTCHK 1
        assertGood(send(A, v, filled(2 * BS, 7)));
        byte[] other = filled(2 * BS, 7);
        other[BS + 3] = 8;
        ScsiResult r = send(A, v, other);
        assertCheck(r, SenseKey.MISCOMPARE, Asc.MISCOMPARE_DURING_VERIFY);
        assertEquals((byte) 0x80, (byte) (r.sense()[0] & 0x80));
        assertEquals(BS + 3, Cdb.u32(r.sense(), 3));
        byte[] v3 = rw10(0x2F, 5, 2);
        v3[1] = 0x06;  // BYTCHK 3: one block for all
        assertGood(send(A, v3, filled(BS, 7)));
        byte[] v0 = rw10(0x2F, 5, 2);
        assertGood(send(A, v0));
        byte[] v2 = rw10(0x2F, 5, 2);
        v2[1] = 0x04;
        assertCheck(send(A, v2), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
    }

    @Test
    public void descriptorSenseAfterModeSelect() {
        assertGood(send(B, cdb(0, 0, 0, 0, 0, 0)));   // B is known to the unit from now on
        byte[] page = bytes(send(A, cdb(0x1A, 0x08, 0x0A, 0, 255, 0)));
        byte[] params = new byte[4 + 12];
        System.arraycopy(page, 4, params, 4, 12);
        params[4 + 2] |= 0x04;  // D_SENSE
        assertGood(send(A, cdb(0x15, 0x10, 0, 0, params.length, 0), params));
        ScsiResult r = send(A, rw16(0x88, -1L, 1));
        assertEquals(0x72, r.sense()[0]);
        assertEquals(Asc.LBA_OUT_OF_RANGE, Sense.ascAscq(r.sense()));
        // the other nexus is told the mode parameters changed
        assertCheck(send(B, cdb(0, 0, 0, 0, 0, 0)), SenseKey.UNIT_ATTENTION, Asc.MODE_PARAMETERS_CHANGED);
        assertGood(send(B, cdb(0, 0, 0, 0, 0, 0)));
    }

    @Test
    public void unknownOpcode() {
        assertCheck(send(A, cdb(0xC7, 0, 0, 0, 0, 0)), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_COMMAND_OPERATION_CODE);
    }

    @Test
    public void synchronizeCacheAndPrefetch() {
        assertGood(send(A, rw10(0x35, 0, 10)));
        assertCheck(send(A, rw10(0x35, BLOCKS, 10)), SenseKey.ILLEGAL_REQUEST, Asc.LBA_OUT_OF_RANGE);
        assertGood(send(A, rw10(0x34, 0, 10)));
        assertGood(send(A, rw16(0x90, BLOCKS - 1, 1)));
    }
}
