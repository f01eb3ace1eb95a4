package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

/** RELEASE (6), (10) (SPC-2 7.19-7.20): releasing a reservation held by someone else is a no-op. */
public final class Release implements Command {

    public static void register(CommandTable t) {
        Release r = new Release();
        t.add(0x17, -1, "RELEASE(6)", Access.SPC2_RESERVATION, Kind.METADATA, r,
                0x17, 0x00, 0x00, 0x00, 0x00, 0x07);
        t.add(0x57, -1, "RELEASE(10)", Access.SPC2_RESERVATION, Kind.METADATA, r,
                0x57, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        if ((cdb[0] & 0xff) == 0x17 ? (cdb[1] & 0x01) != 0 : (cdb[1] & 0x12) != 0) {
            throw ScsiException.invalidFieldInCdb(1, -1);
        }
        task.device().reservations().release(task.nexus());
        return ScsiResult.good();
    }
}
