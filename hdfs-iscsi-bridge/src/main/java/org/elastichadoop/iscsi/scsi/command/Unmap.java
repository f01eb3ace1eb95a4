package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.BlockDevice;
import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

import java.io.IOException;

/**
 * UNMAP (SBC-3 5.25). The whole parameter list is validated before any range is deallocated, so
 * an error leaves the medium untouched. Only offered when the volume is thin.
 */
public final class Unmap implements Command {

    public static void register(CommandTable t) {
        t.add(0x42, -1, "UNMAP", Access.WRITE, Kind.WRITE, new Unmap(),
                0x42, 0x01, 0x00, 0x00, 0x00, 0x00, 0x3f, 0xff, 0xff, 0x07);
    }

    @Override
    public boolean supported(BlockDevice device) {
        return device.volume().supportsUnmap();
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException, IOException {
        byte[] cdb = task.cdb();
        int length = Cdb.u16(cdb, 7);
        if ((cdb[1] & 0x01) != 0) {
            throw ScsiException.invalidFieldInCdb(1, 0);   // ANCHOR: ANC_SUP is 0
        }
        byte[] p = task.parameterList(length);
        if (length == 0) {
            return Write.good(task);
        }
        if (length < 8 || p.length < 8) {
            throw ScsiException.parameterListLength();
        }
        int dataLength = Cdb.u16(p, 0);
        int descriptorLength = Cdb.u16(p, 2);
        if (dataLength + 2 > p.length || descriptorLength + 8 > p.length) {
            throw ScsiException.parameterListLength();
        }
        int count = descriptorLength / 16;
        if (count > Blocks.MAX_UNMAP_DESCRIPTORS) {
            throw ScsiException.invalidFieldInParameters(2, -1);
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            int at = 8 + 16 * i;
            long lba = Cdb.u64(p, at);
            long blocks = Cdb.u32(p, at + 8);
            Blocks.checkRange(task, lba, blocks);
            total += blocks;
            if (blocks > Blocks.MAX_UNMAP_BLOCKS || total > Blocks.MAX_UNMAP_BLOCKS) {
                throw ScsiException.invalidFieldInParameters(at + 8, -1);
            }
        }
        for (int i = 0; i < count; i++) {
            int at = 8 + 16 * i;
            long blocks = Cdb.u32(p, at + 8);
            if (blocks > 0) {
                task.device().volume().unmap(Cdb.u64(p, at), blocks);
            }
        }
        return Write.good(task);
    }
}
