package org.elastichadoop.iscsi.scsi;

import org.junit.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

public class InquiryAndModeTest extends ScsiTestBase {

    @Test
    public void standardInquiry() {
        ScsiResult r = send(A, cdb(0x12, 0, 0, 0, 255, 0));
        byte[] d = bytes(r);
        assertEquals(96, d.length);
        assertEquals(96, r.spdtl());
        assertEquals(0, d[0]);
        assertEquals(6, d[2]);
        assertEquals(0x12, d[3]);
        assertEquals(91, d[4]);
        assertEquals(0x02, d[7]);
        assertEquals("ELASTICH", new String(d, 8, 8, StandardCharsets.US_ASCII));
        assertEquals("iscsi-bridge    ", new String(d, 16, 16, StandardCharsets.US_ASCII));
        assertEquals(0x04C0, Cdb.u16(d, 64));
    }

    @Test
    public void allocationLengthTruncates() {
        ScsiResult r = send(A, cdb(0x12, 0, 0, 0, 5, 0));
        assertEquals(5, r.spdtl());
        assertEquals(5, bytes(r).length);
        assertGood(send(A, cdb(0x12, 0, 0, 0, 0, 0)));
    }

    @Test
    public void vpdPages() {
        byte[] supported = bytes(send(A, cdb(0x12, 1, 0, 0, 255, 0)));
        assertEquals(6, supported[3]);
        for (int i = 4; i < supported.length; i++) {
            byte[] page = bytes(send(A, cdb(0x12, 1, supported[i] & 0xff, 0, 255, 0)));
            assertEquals(supported[i], page[1]);
            assertEquals(page.length - 4, Cdb.u16(page, 2));
        }
        byte[] bl = bytes(send(A, cdb(0x12, 1, 0xB0, 0, 255, 0)));
        assertEquals(0x3c, bl[3]);
        assertTrue(Cdb.u32(bl, 20) > 0 && Cdb.u32(bl, 20) <= 1 << 20);
        byte[] lbp = bytes(send(A, cdb(0x12, 1, 0xB2, 0, 255, 0)));
        assertEquals((byte) 0xE4, lbp[5]);
        byte[] id = bytes(send(A, cdb(0x12, 1, 0x83, 0, 255, 0)));
        assertEquals(0x01, id[4]);
        assertEquals(0x03, id[5]);
        assertEquals(16, id[7]);
        assertEquals(0x6, (id[8] & 0xf0) >> 4);
        assertCheck(send(A, cdb(0x12, 1, 0x99, 0, 255, 0)), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
        assertCheck(send(A, cdb(0x12, 0, 0x80, 0, 255, 0)), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
    }

    @Test
    public void modeSenseAllPagesAndResiduals() {
        ScsiResult all = send(A, cdb(0x1A, 0, 0x3F, 0, 255, 0));
        byte[] d = bytes(all);
        assertEquals(d.length - 1, d[0]);
        assertEquals(8, d[3]);
        assertEquals(0x10, d[2]);          // DPOFUA, not write protected
        assertEquals(4 + 8 + 20 + 12 + 12, d.length);
        assertEquals(d.length, all.spdtl());
        ScsiResult four = send(A, cdb(0x1A, 0, 0x3F, 0, 4, 0));
        assertEquals(4, four.spdtl());
        assertEquals(4, bytes(four).length);
        byte[] ten = bytes(send(A, cdb(0x5A, 0x08, 0x0A, 0, 0, 0, 0, 0, 255, 0)));
        assertEquals(8 + 12, ten.length);
        assertEquals(0x0A, ten[8]);
        assertCheck(send(A, cdb(0x1A, 0, 0xC8, 0, 255, 0)), SenseKey.ILLEGAL_REQUEST, Asc.SAVING_PARAMETERS_NOT_SUPPORTED);
        assertCheck(send(A, cdb(0x1A, 0, 0x05, 0, 255, 0)), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
        byte[] changeable = bytes(send(A, cdb(0x1A, 0x08, 0x4A, 0, 255, 0)));
        assertEquals(0x08, changeable[4 + 4]);   // SWP changeable
    }

    @Test
    public void softwareWriteProtectThroughModeSelect() {
        byte[] page = bytes(send(A, cdb(0x1A, 0x08, 0x0A, 0, 255, 0)));
        byte[] params = new byte[16];
        System.arraycopy(page, 4, params, 4, 12);
        params[4 + 4] |= 0x08;
        assertGood(send(A, cdb(0x15, 0x10, 0, 0, 16, 0), params));
        assertCheck(send(A, rw10(0x2A, 0, 1), new byte[BS]), SenseKey.DATA_PROTECT, Asc.WRITE_PROTECTED);
        assertEquals((byte) 0x90, bytes(send(A, cdb(0x1A, 0, 0x3F, 0, 255, 0)))[2]);
        params[4 + 4] &= ~0x08;
        assertGood(send(A, cdb(0x15, 0x10, 0, 0, 16, 0), params));
        assertGood(send(A, rw10(0x2A, 0, 1), new byte[BS]));
    }

    @Test
    public void modeSelectRefusesUnchangeableBits() {
        byte[] page = bytes(send(A, cdb(0x1A, 0x08, 0x0A, 0, 255, 0)));
        byte[] params = new byte[16];
        System.arraycopy(page, 4, params, 4, 12);
        params[4 + 3] ^= 0x02;   // QERR
        ScsiResult r = send(A, cdb(0x15, 0x10, 0, 0, 16, 0), params);
        assertCheck(r, SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_PARAMETER_LIST);
        assertEquals(7, Cdb.u16(r.sense(), 16));
        assertCheck(send(A, cdb(0x15, 0x11, 0, 0, 16, 0), params), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
    }

    @Test
    public void reportSupportedOperationCodes() {
        byte[] c = new byte[12];
        c[0] = (byte) 0xA3;
        c[1] = 0x0C;
        Cdb.put32(c, 6, 65535);
        byte[] all = bytes(send(A, c));
        int n = (int) Cdb.u32(all, 0) / 8;
        assertTrue(n > 40);
        for (int i = 0; i < n; i++) {
            int at = 4 + 8 * i;
            int opcode = all[at] & 0xff;
            boolean sa = (all[at + 5] & 1) != 0;
            byte[] one = c.clone();
            one[2] = (byte) (sa ? 2 : 1);
            one[3] = (byte) opcode;
            Cdb.put16(one, 4, Cdb.u16(all, at + 2));
            byte[] d = bytes(send(A, one));
            assertEquals(3, d[1] & 7);
            assertEquals(Cdb.u16(all, at + 6), Cdb.u16(d, 2));
            assertEquals((byte) opcode, d[4]);
            byte[] wrong = one.clone();
            wrong[2] = (byte) (sa ? 1 : 2);
            assertCheck(send(A, wrong), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
        }
        byte[] rctd = c.clone();
        rctd[2] = (byte) 0x80;
        byte[] withTimeouts = bytes(send(A, rctd));
        assertEquals(n * 20, Cdb.u32(withTimeouts, 0));
        assertEquals(0x0a, Cdb.u16(withTimeouts, 4 + 8));
    }

    @Test
    public void requestSenseReturnsAndClearsUnitAttention() {
        assertGood(send(B, cdb(0, 0, 0, 0, 0, 0)));
        device.reset(A, LogicalUnit.ResetKind.TARGET_COLD);
        byte[] sense = bytes(send(B, cdb(0x03, 0, 0, 0, 252, 0)));
        assertEquals(SenseKey.UNIT_ATTENTION, Sense.key(sense));
        assertEquals(Asc.POWER_ON_OCCURRED, Sense.ascAscq(sense));
        assertGood(send(B, cdb(0, 0, 0, 0, 0, 0)));
        byte[] none = bytes(send(B, cdb(0x03, 1, 0, 0, 252, 0)));
        assertEquals(0x72, none[0]);
        assertEquals(SenseKey.NO_SENSE, Sense.key(none));
    }

    @Test
    public void startStopUnitKeepsTheUnitReady() {
        assertGood(send(A, cdb(0x1B, 0, 0, 0, 0, 0)));
        assertGood(send(A, cdb(0, 0, 0, 0, 0, 0)));
        assertGood(send(A, cdb(0x1B, 1, 0, 0, 1, 0)));
    }
}
