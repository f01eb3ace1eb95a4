package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Asc;
import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

/**
 * MODE SELECT (6), (10) (SPC-4 6.9-6.10). Only the changeable bits (WCE, D_SENSE, SWP) may
 * differ from the current values; a block descriptor must repeat the current capacity and block
 * length. Other nexuses get MODE PARAMETERS CHANGED when something changed.
 */
public final class ModeSelect implements Command {

    public static void register(CommandTable t) {
        ModeSelect m = new ModeSelect();
        t.add(0x15, -1, "MODE SELECT(6)", Access.WRITE, Kind.METADATA, m,
                0x15, 0x11, 0x00, 0x00, 0xff, 0x07);
        t.add(0x55, -1, "MODE SELECT(10)", Access.WRITE, Kind.METADATA, m,
                0x55, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        boolean six = (cdb[0] & 0xff) == 0x15;
        int length = six ? Cdb.u8(cdb, 4) : Cdb.u16(cdb, 7);
        if ((cdb[1] & 0x10) == 0 && length > 0) {
            throw ScsiException.invalidFieldInCdb(1, 4);   // PF=0: vendor-specific pages
        }
        if ((cdb[1] & 0x01) != 0) {
            throw ScsiException.invalidFieldInCdb(1, 0);   // SP: saved pages not supported
        }
        byte[] p = task.parameterList(length);
        if (length == 0) {
            return ScsiResult.good();
        }
        int header = six ? 4 : 8;
        if (p.length < header) {
            throw ScsiException.parameterListLength();
        }
        int descriptorLength = six ? Cdb.u8(p, 3) : Cdb.u16(p, 6);
        boolean longLba = !six && (p[4] & 0x01) != 0;
        int offset = header;
        if (descriptorLength != 0) {
            int expected = longLba ? 16 : 8;
            if (descriptorLength != expected) {
                throw ScsiException.invalidFieldInParameters(six ? 3 : 6, -1);
            }
            if (p.length < header + descriptorLength) {
                throw ScsiException.parameterListLength();
            }
            checkBlockDescriptor(task, p, header, longLba);
            offset += descriptorLength;
        }
        // pages apply in order; an invalid page stops there (SPC leaves earlier pages applied)
        boolean[] changed = {false};
        int at = offset;
        while (at < p.length) {
            at += task.device().modePages().select(p, at, p.length, changed);
        }
        if (changed[0]) {
            task.device().unitAttentions().raiseAllExcept(task.nexus(), Asc.MODE_PARAMETERS_CHANGED);
        }
        return ScsiResult.good();
    }

    private static void checkBlockDescriptor(Task task, byte[] p, int at, boolean longLba) throws ScsiException {
        var v = task.device().volume();
        long blocks = longLba ? Cdb.u64(p, at) : Cdb.u32(p, at);
        long blockLength = longLba ? Cdb.u32(p, at + 12) : Cdb.u24(p, at + 5);
        long expectedBlocks = longLba ? v.blockCount() : Math.min(v.blockCount(), 0xffffffffL);
        if (blockLength != v.blockSize()) {
            throw ScsiException.invalidFieldInParameters(at + (longLba ? 12 : 5), -1);
        }
        if (blocks != 0 && blocks != expectedBlocks) {
            throw ScsiException.invalidFieldInParameters(at, -1);
        }
    }
}
