package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Asc;
import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Sense;
import org.elastichadoop.iscsi.scsi.SenseKey;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

/**
 * REQUEST SENSE (SPC-4 6.39). iSCSI delivers sense with the failing command (autosense), so
 * there is never deferred sense to return except a pending unit attention, which this reports
 * and clears; otherwise NO SENSE. DESC selects descriptor format.
 */
public final class RequestSense implements Command {

    public static void register(CommandTable t) {
        t.add(0x03, -1, "REQUEST SENSE", Access.ALLOWED, Kind.METADATA, new RequestSense(),
                0x03, 0x01, 0x00, 0x00, 0xff, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        boolean descriptor = (cdb[1] & 0x01) != 0;
        int ua = task.device().unitAttentions().take(task.nexus());
        int key = ua >= 0 ? SenseKey.UNIT_ATTENTION : SenseKey.NO_SENSE;
        int asc = ua >= 0 ? ua : Asc.NO_ADDITIONAL_SENSE;
        byte[] sense = descriptor ? Sense.descriptor(key, asc, null, -1) : Sense.fixed(key, asc, null, -1);
        return task.dataIn(sense, Cdb.u8(cdb, 4));
    }
}
