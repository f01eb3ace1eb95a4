package org.elastichadoop.iscsi.scsi;

import io.netty.buffer.Unpooled;
import org.junit.Test;

import static org.junit.Assert.assertEquals;

public class ScsiTargetTest extends ScsiTestBase {

    private ScsiResult sendTo(ScsiTarget target, long lun, byte[] cdb) {
        return target.execute(new ScsiCommand(A, lun, cdb, Unpooled.EMPTY_BUFFER, 4096,
                ScsiCommand.TaskAttribute.SIMPLE, 7)).join();
    }

    private static byte[] reportLuns(int alloc) {
        byte[] c = new byte[12];
        c[0] = (byte) 0xA0;
        Cdb.put32(c, 6, alloc);
        return c;
    }

    @Test
    public void reportLunsFromAnyLun() {
        ScsiTarget target = new ScsiTarget(device.identity());
        target.addUnit(0, device);
        target.addUnit(300, newDevice(volume, false));
        for (long lun : new long[] {0, 5}) {
            byte[] d = bytes(sendTo(target, lun, reportLuns(4096)));
            assertEquals(16, Cdb.u32(d, 0));
            assertEquals(0, Cdb.u16(d, 8));
            assertEquals(0x4000 | 300, Cdb.u16(d, 16));
        }
        assertCheck(sendTo(target, 0, reportLuns(8)), SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB);
        ScsiResult truncated = sendTo(target, 0, reportLuns(16));
        assertEquals(16, truncated.spdtl());
        truncated.dataIn().release();
    }

    @Test
    public void missingLun() {
        ScsiTarget target = new ScsiTarget(device.identity());
        target.addUnit(1, device);
        byte[] inq = bytes(sendTo(target, 0, cdb(0x12, 0, 0, 0, 96, 0)));
        assertEquals(0x7F, inq[0]);
        assertCheck(sendTo(target, 0, cdb(0, 0, 0, 0, 0, 0)), SenseKey.ILLEGAL_REQUEST, Asc.LOGICAL_UNIT_NOT_SUPPORTED);
        byte[] lunsFromEmptyZero = bytes(sendTo(target, 0, reportLuns(100)));
        assertEquals(8, Cdb.u32(lunsFromEmptyZero, 0));
        assertEquals(1, lunsFromEmptyZero[9]);
        assertGood(sendTo(target, 1, cdb(0, 0, 0, 0, 0, 0)));
    }

    @Test
    public void targetResetReachesEveryUnit() {
        ScsiTarget target = new ScsiTarget(device.identity());
        target.addUnit(0, device);
        assertGood(send(B, cdb(0, 0, 0, 0, 0, 0)));
        target.reset(A, LogicalUnit.ResetKind.TARGET_WARM, null);
        assertCheck(send(B, cdb(0, 0, 0, 0, 0, 0)), SenseKey.UNIT_ATTENTION, Asc.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
        assertGood(send(A, cdb(0, 0, 0, 0, 0, 0)));
    }
}
