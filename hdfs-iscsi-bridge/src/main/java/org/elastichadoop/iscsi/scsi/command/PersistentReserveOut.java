package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.Nexus;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;
import org.elastichadoop.iscsi.scsi.reservation.Reservations;

/**
 * PERSISTENT RESERVE OUT (SPC-4 6.14) with the basic 24-byte parameter list. SPEC_I_PT,
 * ALL_TG_PT and APTPL are not offered (REPORT CAPABILITIES says so) and are refused; REGISTER
 * AND MOVE is not offered.
 */
public final class PersistentReserveOut implements Command {

    static final int REGISTER = 0, RESERVE = 1, RELEASE = 2, CLEAR = 3, PREEMPT = 4,
            PREEMPT_AND_ABORT = 5, REGISTER_AND_IGNORE = 6;
    private static final String[] NAMES = {"REGISTER", "RESERVE", "RELEASE", "CLEAR", "PREEMPT",
            "PREEMPT AND ABORT", "REGISTER AND IGNORE EXISTING KEY"};

    public static void register(CommandTable t) {
        PersistentReserveOut p = new PersistentReserveOut();
        for (int sa = 0; sa < NAMES.length; sa++) {
            t.add(0x5F, sa, "PERSISTENT RESERVE OUT / " + NAMES[sa], Access.PERSISTENT_RESERVE_OUT, Kind.METADATA,
                    p, 0x5F, sa, 0xff, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x07);
        }
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        int sa = Cdb.serviceAction(cdb);
        int scope = (cdb[2] >> 4) & 0x0f;
        int type = cdb[2] & 0x0f;
        long length = Cdb.u32(cdb, 5);
        if (length != 24) {
            throw ScsiException.parameterListLength();
        }
        byte[] p = task.parameterList(24);
        if (p.length < 24) {
            throw ScsiException.parameterListLength();
        }
        long key = Cdb.u64(p, 0);
        long serviceActionKey = Cdb.u64(p, 8);
        if ((p[20] & 0x08) != 0) {
            throw ScsiException.invalidFieldInParameters(20, 3);   // SPEC_I_PT
        }
        if ((p[20] & 0x04) != 0) {
            throw ScsiException.invalidFieldInParameters(20, 2);   // ALL_TG_PT
        }
        if ((p[20] & 0x01) != 0) {
            throw ScsiException.invalidFieldInParameters(20, 0);   // APTPL
        }
        Reservations r = task.device().reservations();
        Nexus n = task.nexus();
        switch (sa) {
            case REGISTER -> r.register(n, key, serviceActionKey, false);
            case REGISTER_AND_IGNORE -> r.register(n, key, serviceActionKey, true);
            case RESERVE -> r.reserve(n, key, scope, type);
            case RELEASE -> r.release(n, key, scope, type);
            case CLEAR -> r.clear(n, key);
            case PREEMPT, PREEMPT_AND_ABORT -> r.preempt(n, key, serviceActionKey, scope, type);
            default -> throw ScsiException.invalidFieldInCdb(1, 4);
        }
        return ScsiResult.good();
    }
}
