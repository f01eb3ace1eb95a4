package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

import java.io.IOException;

/** SYNCHRONIZE CACHE (10), (16) (SBC-3 5.22-5.23): the whole volume is flushed whatever the range. */
public final class SynchronizeCache implements Command {

    public static void register(CommandTable t) {
        SynchronizeCache s = new SynchronizeCache();
        t.add(0x35, -1, "SYNCHRONIZE CACHE(10)", Access.WRITE, Kind.IO, s,
                0x35, 0x02, 0xff, 0xff, 0xff, 0xff, 0x3f, 0xff, 0xff, 0x07);
        t.add(0x91, -1, "SYNCHRONIZE CACHE(16)", Access.WRITE, Kind.IO, s,
                0x91, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException, IOException {
        byte[] cdb = task.cdb();
        boolean sixteen = (cdb[0] & 0xff) == 0x91;
        long lba = sixteen ? Cdb.u64(cdb, 2) : Cdb.u32(cdb, 2);
        long blocks = sixteen ? Cdb.u32(cdb, 10) : Cdb.u16(cdb, 7);
        Blocks.checkRange(task, lba, blocks);
        task.device().volume().flush();
        return ScsiResult.good();
    }
}
