package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

import java.io.IOException;

/**
 * START STOP UNIT (SBC-3 5.20). The medium is not removable and never spins down: a stop
 * flushes the volume (unless NO_FLUSH) and the unit stays ready, as LIO does; libiscsi expects
 * TEST UNIT READY to keep succeeding after a stop with LOEJ=0.
 */
public final class StartStopUnit implements Command {

    public static void register(CommandTable t) {
        t.add(0x1B, -1, "START STOP UNIT", Access.ALLOWED_UNLESS_SPC2, Kind.IO, new StartStopUnit(),
                0x1B, 0x01, 0x00, 0x0f, 0xf7, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException, IOException {
        byte[] cdb = task.cdb();
        boolean start = (cdb[4] & 0x01) != 0;
        boolean noFlush = (cdb[4] & 0x04) != 0;
        if (!start && !noFlush) {
            task.device().volume().flush();
        }
        return ScsiResult.good();
    }
}
