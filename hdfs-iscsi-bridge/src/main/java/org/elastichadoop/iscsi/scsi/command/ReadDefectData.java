package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

/** READ DEFECT DATA (10), (12) (SBC-3 5.17-5.18): an empty defect list in the requested format. */
public final class ReadDefectData implements Command {

    public static void register(CommandTable t) {
        ReadDefectData r = new ReadDefectData();
        t.add(0x37, -1, "READ DEFECT DATA(10)", Access.READ, Kind.METADATA, r,
                0x37, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x07);
        t.add(0xB7, -1, "READ DEFECT DATA(12)", Access.READ, Kind.METADATA, r,
                0xB7, 0x1f, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) {
        byte[] cdb = task.cdb();
        if ((cdb[0] & 0xff) == 0x37) {
            byte[] d = new byte[4];
            d[1] = (byte) (cdb[2] & 0x1f);
            return task.dataIn(d, Cdb.u16(cdb, 7));
        }
        byte[] d = new byte[8];
        d[1] = (byte) (cdb[1] & 0x1f);
        return task.dataIn(d, Cdb.u32(cdb, 6));
    }
}
