package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

/** RESERVE (6), (10) (SPC-2 7.21-7.22): a whole-unit reservation; third-party and extents are not offered. */
public final class Reserve implements Command {

    public static void register(CommandTable t) {
        Reserve r = new Reserve();
        t.add(0x16, -1, "RESERVE(6)", Access.SPC2_RESERVATION, Kind.METADATA, r,
                0x16, 0x00, 0x00, 0x00, 0x00, 0x07);
        t.add(0x56, -1, "RESERVE(10)", Access.SPC2_RESERVATION, Kind.METADATA, r,
                0x56, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        if ((cdb[0] & 0xff) == 0x16 ? (cdb[1] & 0x01) != 0 : (cdb[1] & 0x12) != 0) {
            throw ScsiException.invalidFieldInCdb(1, -1);  // extents / third party
        }
        task.device().reservations().reserve(task.nexus());
        return ScsiResult.good();
    }
}
