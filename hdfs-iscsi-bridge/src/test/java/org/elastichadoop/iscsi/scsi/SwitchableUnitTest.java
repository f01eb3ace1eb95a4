package org.elastichadoop.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.elastichadoop.iscsi.volume.BlockVolume;
import org.elastichadoop.iscsi.volume.MemoryVolume;
import org.junit.Before;
import org.junit.Test;

import java.io.IOException;
import java.nio.ByteBuffer;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

/** A LUN served only part of the time: standby answers (SPC-4 asymmetric access states), switching, and the unit attention. */
public class SwitchableUnitTest extends ScsiTestBase {

    private SwitchableUnit unit;
    private BlockDevice standbyAnswers;

    @Before
    public void setUpUnit() {
        // what a standby knows: the geometry and identity of the volume, no data
        standbyAnswers = newDevice(new MemoryVolume(BLOCKS, BS, true), false);
        unit = new SwitchableUnit(standbyAnswers);
    }

    private ScsiResult toUnit(Nexus n, byte[] cdb) {
        return send(unit, n, cdb, null, 0x10000);
    }

    private ScsiResult toUnit(Nexus n, byte[] cdb, byte[] dataOut) {
        return send(unit, n, cdb, dataOut, dataOut.length);
    }

    @Test
    public void aStandbyUnitRefusesIoWithNotReadyTargetPortInStandbyState() {
        assertCheck(toUnit(A, cdb(0x00, 0, 0, 0, 0, 0)), SenseKey.NOT_READY, Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY);
        assertCheck(toUnit(A, rw10(0x28, 0, 8)), SenseKey.NOT_READY, Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY);
        assertCheck(toUnit(A, rw10(0x35, 0, 0)), SenseKey.NOT_READY, Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY);
        ByteBuf out = Unpooled.wrappedBuffer(filled(4096, 7));
        ScsiResult w = unit.execute(new ScsiCommand(A, 0, rw10(0x2a, 0, 8), out, 4096, ScsiCommand.TaskAttribute.SIMPLE, 9)).join();
        assertCheck(w, SenseKey.NOT_READY, Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY);
        assertEquals("the refused write's data is released", 0, out.refCnt());
    }

    @Test
    public void aStandbyUnitStillDescribesItselfLikeTheServingOne() {
        ScsiResult inquiry = toUnit(A, cdb(0x12, 0, 0, 0, 96, 0));
        assertGood(inquiry);
        assertEquals("direct-access block device, connected", 0x00, bytes(inquiry)[0]);
        ScsiResult serial = toUnit(A, cdb(0x12, 1, 0x80, 0, 64, 0));
        assertGood(serial);
        assertEquals("SN0001", new String(bytes(serial), 4, 6));
        ScsiResult capacity = toUnit(A, cdb(0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0));
        assertGood(capacity);
        assertEquals(BLOCKS - 1, ByteBuffer.wrap(bytes(capacity)).getLong(0));
        assertGood(toUnit(A, cdb(0x1a, 0, 0x3f, 0, 255, 0)));
        ScsiResult sense = toUnit(A, cdb(0x03, 0, 0, 0, 18, 0));
        assertGood(sense);
        byte[] s = bytes(sense);
        assertEquals("REQUEST SENSE reports the not-ready condition", SenseKey.NOT_READY, Sense.key(s));
        assertEquals(Integer.toHexString(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY), Integer.toHexString(Sense.ascAscq(s)));
    }

    @Test
    public void servingRaisesAsymmetricAccessStateChangedForNexusesThatSawTheStandby() {
        assertCheck(toUnit(A, cdb(0x00, 0, 0, 0, 0, 0)), SenseKey.NOT_READY, Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY);
        unit.serve(device);
        assertSame(device, unit.serving());
        assertCheck(toUnit(A, cdb(0x00, 0, 0, 0, 0, 0)), SenseKey.UNIT_ATTENTION, Asc.ASYMMETRIC_ACCESS_STATE_CHANGED);
        assertGood(toUnit(A, cdb(0x00, 0, 0, 0, 0, 0)));
        assertGood(toUnit(B, cdb(0x00, 0, 0, 0, 0, 0))); // B never saw the standby
        assertGood(toUnit(A, rw10(0x2a, 8, 1), filled(BS, 0x42)));
        assertArrayEquals(filled(BS, 0x42), bytes(toUnit(A, rw10(0x28, 8, 1))));

        assertSame(device, unit.notReady(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_TRANSITION));
        assertNull(unit.serving());
        assertCheck(toUnit(A, rw10(0x28, 8, 1)), SenseKey.NOT_READY, Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_TRANSITION);
    }

    @Test
    public void aCommandFailingOnADeviceThatStoppedServingMeanwhileAnswersNotReady() {
        // the volume is fenced while a flush runs: the unit stops serving, the flush fails
        MemoryVolume memory = new MemoryVolume(BLOCKS, BS);
        BlockVolume fenced = new BlockVolume() {
            @Override public int blockSize() { return BS; }
            @Override public long blockCount() { return BLOCKS; }
            @Override public boolean supportsUnmap() { return false; }
            @Override public String describe() { return "fenced"; }
            @Override public void read(long lba, int blocks, ByteBuf dst) { memory.read(lba, blocks, dst); }
            @Override public void write(long lba, ByteBuf src, boolean fua) { memory.write(lba, src, fua); }
            @Override public void unmap(long lba, long blocks) { }
            @Override public void close() { }

            @Override
            public void flush() throws IOException {
                unit.notReadyIfServing(this, Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY);
                throw new IOException("fenced");
            }
        };
        BlockDevice d = newDevice(fenced, false);
        unit.serve(d);
        assertCheck(toUnit(A, cdb(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0)), SenseKey.NOT_READY, Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY);
        assertNull(unit.serving());
        // an error while still serving stays what it is
        unit.serve(device);
        assertCheck(toUnit(A, rw10(0x28, BLOCKS, 1)), SenseKey.UNIT_ATTENTION, Asc.ASYMMETRIC_ACCESS_STATE_CHANGED);
        assertCheck(toUnit(A, rw10(0x28, BLOCKS, 1)), SenseKey.ILLEGAL_REQUEST, Asc.LBA_OUT_OF_RANGE);
    }
}
