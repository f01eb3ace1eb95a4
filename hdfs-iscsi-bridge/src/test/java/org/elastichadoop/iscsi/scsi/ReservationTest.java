package org.elastichadoop.iscsi.scsi;

import org.junit.Test;

import static org.junit.Assert.assertEquals;

public class ReservationTest extends ScsiTestBase {

    private static final byte[] TUR = {0, 0, 0, 0, 0, 0};

    private ScsiResult prout(Nexus n, int sa, int type, long key, long saKey) {
        byte[] p = new byte[24];
        Cdb.put64(p, 0, key);
        Cdb.put64(p, 8, saKey);
        byte[] c = new byte[10];
        c[0] = 0x5F;
        c[1] = (byte) sa;
        c[2] = (byte) type;
        Cdb.put32(c, 5, 24);
        return send(n, c, p);
    }

    private byte[] prin(Nexus n, int sa, int alloc) {
        byte[] c = new byte[10];
        c[0] = 0x5E;
        c[1] = (byte) sa;
        Cdb.put16(c, 7, alloc);
        ScsiResult r = send(n, c);
        assertGood(r);
        return bytes(r);
    }

    @Test
    public void spc2ReserveBlocksTheOtherNexus() {
        assertGood(send(A, TUR));
        assertGood(send(B, TUR));
        assertGood(send(A, cdb(0x16, 0, 0, 0, 0, 0)));
        assertGood(send(A, cdb(0x16, 0, 0, 0, 0, 0)));
        assertEquals(ScsiResult.RESERVATION_CONFLICT, send(B, cdb(0x16, 0, 0, 0, 0, 0)).status());
        assertGood(send(B, cdb(0x17, 0, 0, 0, 0, 0)));   // a no-op
        assertEquals(ScsiResult.RESERVATION_CONFLICT, send(B, cdb(0x1A, 0, 0x3F, 0, 255, 0)).status());
        assertGood(send(B, cdb(0x12, 0, 0, 0, 96, 0)));
        assertGood(send(A, cdb(0x1A, 0, 0x3F, 0, 255, 0)));
        assertGood(send(A, cdb(0x17, 0, 0, 0, 0, 0)));
        assertGood(send(B, cdb(0x16, 0, 0, 0, 0, 0)));
    }

    @Test
    public void resetReleasesSpc2ReservationAndRaisesUnitAttention() {
        assertGood(send(B, TUR));
        assertGood(send(A, cdb(0x16, 0, 0, 0, 0, 0)));
        device.reset(A, LogicalUnit.ResetKind.LOGICAL_UNIT);
        assertGood(send(A, TUR));
        assertCheck(send(B, TUR), SenseKey.UNIT_ATTENTION, Asc.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
        assertGood(send(B, cdb(0x16, 0, 0, 0, 0, 0)));
        device.nexusLost(B);
        assertGood(send(A, cdb(0x16, 0, 0, 0, 0, 0)));
    }

    @Test
    public void exclusiveAccessBlocksRegisteredAndUnregistered() {
        assertGood(prout(A, 6, 0, 0, 0xAAAA));
        assertGood(prout(B, 6, 0, 0, 0xBBBB));
        assertGood(prout(A, 1, 3, 0xAAAA, 0));
        byte[] rr = prin(A, 1, 100);
        assertEquals(0xAAAA, Cdb.u64(rr, 8));
        assertEquals(3, rr[21]);
        assertGood(send(A, rw10(0x28, 1, 1)));
        assertGood(send(A, rw10(0x2A, 1, 1), filled(BS, 1)));
        assertEquals(ScsiResult.RESERVATION_CONFLICT, send(B, rw10(0x28, 1, 1)).status());
        assertEquals(ScsiResult.RESERVATION_CONFLICT, send(B, rw10(0x2A, 1, 1), filled(BS, 1)).status());
        assertGood(send(B, TUR));
        assertEquals(ScsiResult.RESERVATION_CONFLICT, send(B, cdb(0x16, 0, 0, 0, 0, 0)).status());
        // release with the wrong type
        assertCheck(prout(A, 2, 1, 0xAAAA, 0), SenseKey.ILLEGAL_REQUEST,
                Asc.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        assertGood(prout(A, 2, 3, 0xAAAA, 0));
        assertGood(send(B, rw10(0x28, 1, 1)));
    }

    @Test
    public void writeExclusiveRegistrantsOnlyLetsRegistrantsWrite() {
        assertGood(prout(A, 6, 0, 0, 1));
        assertGood(prout(B, 6, 0, 0, 2));
        assertGood(prout(A, 1, 5, 1, 0));
        assertGood(send(B, rw10(0x2A, 1, 1), filled(BS, 1)));
        assertGood(prout(B, 0, 0, 2, 0));  // unregister
        assertGood(send(B, rw10(0x28, 1, 1)));
        assertEquals(ScsiResult.RESERVATION_CONFLICT, send(B, rw10(0x2A, 1, 1), filled(BS, 1)).status());
    }

    @Test
    public void allRegistrantsReservationReportsKeyZero() {
        assertGood(prout(A, 6, 0, 0, 1));
        assertGood(prout(A, 1, 8, 1, 0));
        byte[] rr = prin(A, 1, 100);
        assertEquals(0, Cdb.u64(rr, 8));
        assertEquals(8, rr[21]);
        assertGood(prout(A, 2, 8, 1, 0));
    }

    @Test
    public void preemptRemovesTheHolderAndRaisesUnitAttention() {
        assertGood(prout(A, 6, 0, 0, 0xA));
        assertGood(prout(B, 6, 0, 0, 0xB));
        assertGood(prout(A, 1, 1, 0xA, 0));
        assertGood(prout(B, 4, 3, 0xB, 0xA));
        assertCheck(send(A, TUR), SenseKey.UNIT_ATTENTION, Asc.REGISTRATIONS_PREEMPTED);
        byte[] keys = prin(B, 0, 100);
        assertEquals(8, Cdb.u32(keys, 4));
        assertEquals(0xB, Cdb.u64(keys, 8));
        byte[] rr = prin(B, 1, 100);
        assertEquals(3, rr[21]);
        assertEquals(ScsiResult.RESERVATION_CONFLICT, send(A, rw10(0x28, 0, 1)).status());
        // the preempted nexus is not registered any more
        assertEquals(ScsiResult.RESERVATION_CONFLICT, prout(A, 1, 1, 0xA, 0).status());
        assertGood(prout(B, 3, 0, 0xB, 0));   // CLEAR
        assertEquals(0, Cdb.u32(prin(B, 0, 100), 4));
    }

    @Test
    public void registerErrors() {
        assertEquals(ScsiResult.RESERVATION_CONFLICT, prout(A, 0, 0, 5, 6).status());
        assertGood(prout(A, 0, 0, 0, 6));
        assertEquals(ScsiResult.RESERVATION_CONFLICT, prout(A, 0, 0, 7, 8).status());
        byte[] c = new byte[10];
        c[0] = 0x5F;
        Cdb.put32(c, 5, 20);
        assertCheck(send(A, c, new byte[20]), SenseKey.ILLEGAL_REQUEST, Asc.PARAMETER_LIST_LENGTH_ERROR);
        byte[] keys = prin(A, 0, 100);
        assertEquals(1, Cdb.u32(keys, 0));   // generation
        byte[] truncated = prin(A, 0, 4);
        assertEquals(4, truncated.length);
    }

    @Test
    public void reportCapabilitiesAndFullStatus() {
        byte[] caps = prin(A, 2, 100);
        assertEquals(8, Cdb.u16(caps, 0));
        assertEquals(0xEA01, Cdb.u16(caps, 4));
        assertGood(prout(A, 6, 0, 0, 0x77));
        assertGood(prout(A, 1, 1, 0x77, 0));
        byte[] full = prin(A, 3, 1000);
        assertEquals(0x77, Cdb.u64(full, 8));
        assertEquals(1, full[8 + 12]);
        assertEquals(0x45, full[8 + 24]);
        byte[] c = new byte[10];
        c[0] = 0x5E;
        c[1] = 4;
        Cdb.put16(c, 7, 100);
        assertCheck(send(A, c), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
    }
}
