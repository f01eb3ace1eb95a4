package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;
import org.elastichadoop.iscsi.volume.BlockVolume;

import java.io.IOException;

/** GET LBA STATUS (SBC-3 5.4): mapped / deallocated extents from the starting LBA onwards. */
public final class GetLbaStatus implements Command {

    private static final int MAX_DESCRIPTORS = 64;

    public static void register(CommandTable t) {
        t.add(0x9E, 0x12, "GET LBA STATUS", Access.READ, Kind.READ, new GetLbaStatus(),
                0x9E, 0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException, IOException {
        byte[] cdb = task.cdb();
        long lba = Cdb.u64(cdb, 2);
        long allocation = Cdb.u32(cdb, 10);
        BlockVolume volume = task.device().volume();
        if (Long.compareUnsigned(lba, volume.blockCount()) >= 0) {
            throw ScsiException.lbaOutOfRange();
        }
        long room = Math.max(1, Math.min(MAX_DESCRIPTORS, (allocation - 8) / 16));
        int n = 0;
        byte[] out = new byte[8 + 16 * (int) room];
        long next = lba;
        while (n < room && next < volume.blockCount()) {
            BlockVolume.Extent e = volume.extentAt(next);
            long blocks = Math.min(e.blocks(), 0xffffffffL);
            int at = 8 + 16 * n;
            Cdb.put64(out, at, next);
            Cdb.put32(out, at + 8, blocks);
            out[at + 12] = (byte) (e.mapped() ? 0 : 1);
            next += blocks;
            n++;
        }
        byte[] data = java.util.Arrays.copyOf(out, 8 + 16 * n);
        Cdb.put32(data, 0, data.length - 4);
        return task.dataIn(data, allocation);
    }
}
