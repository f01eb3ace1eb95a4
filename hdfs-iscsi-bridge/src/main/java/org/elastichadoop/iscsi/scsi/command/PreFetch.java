package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

/**
 * PRE-FETCH (10), (16) (SBC-3 5.13-5.14): range checked, nothing cached; GOOD says the blocks
 * were not all loaded into a cache (CONDITION MET would promise they were).
 */
public final class PreFetch implements Command {

    public static void register(CommandTable t) {
        PreFetch p = new PreFetch();
        t.add(0x34, -1, "PRE-FETCH(10)", Access.READ, Kind.METADATA, p,
                0x34, 0x02, 0xff, 0xff, 0xff, 0xff, 0x3f, 0xff, 0xff, 0x07);
        t.add(0x90, -1, "PRE-FETCH(16)", Access.READ, Kind.METADATA, p,
                0x90, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        boolean sixteen = (cdb[0] & 0xff) == 0x90;
        long lba = sixteen ? Cdb.u64(cdb, 2) : Cdb.u32(cdb, 2);
        long blocks = sixteen ? Cdb.u32(cdb, 10) : Cdb.u16(cdb, 7);
        Blocks.checkRange(task, lba, blocks);
        return ScsiResult.good();
    }
}
