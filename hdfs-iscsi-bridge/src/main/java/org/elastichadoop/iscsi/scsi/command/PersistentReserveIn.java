package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;
import org.elastichadoop.iscsi.scsi.reservation.Reservations;

/** PERSISTENT RESERVE IN (SPC-4 6.13): READ KEYS, READ RESERVATION, REPORT CAPABILITIES, READ FULL STATUS. */
public final class PersistentReserveIn implements Command {

    private static final String[] NAMES = {"READ KEYS", "READ RESERVATION", "REPORT CAPABILITIES",
            "READ FULL STATUS"};

    public static void register(CommandTable t) {
        PersistentReserveIn p = new PersistentReserveIn();
        for (int sa = 0; sa < NAMES.length; sa++) {
            t.add(0x5E, sa, "PERSISTENT RESERVE IN / " + NAMES[sa], Access.ALLOWED, Kind.METADATA, p,
                    0x5E, sa, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x07);
        }
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        Reservations r = task.device().reservations();
        byte[] data = switch (Cdb.serviceAction(cdb)) {
            case 0 -> r.readKeys();
            case 1 -> r.readReservation();
            case 2 -> Reservations.reportCapabilities();
            case 3 -> r.readFullStatus();
            default -> throw ScsiException.invalidFieldInCdb(1, 4);
        };
        return task.dataIn(data, Cdb.u16(cdb, 7));
    }
}
