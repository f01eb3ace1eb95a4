package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

import java.util.Collection;
import java.util.TreeSet;

/**
 * REPORT LUNS (SPC-4 6.33). {@link org.elastichadoop.iscsi.scsi.ScsiTarget} answers it for every
 * LUN (also LUN 0 without a unit) through {@link #build}.
 */
public final class ReportLuns implements Command {

    public static void register(CommandTable t) {
        t.add(0xA0, -1, "REPORT LUNS", Access.ALLOWED, Kind.METADATA, new ReportLuns(),
                0xA0, 0x00, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        return task.dataIn(build(task.cdb(), task.device().luns()), Cdb.u32(task.cdb(), 6));
    }

    /** The parameter data for {@code luns}; checks SELECT REPORT and the allocation length. */
    public static byte[] build(byte[] cdb, Collection<Long> luns) throws ScsiException {
        int select = Cdb.u8(cdb, 2);
        if (select > 2) {
            throw ScsiException.invalidFieldInCdb(2, -1);
        }
        if (Cdb.u32(cdb, 6) < 16) {
            throw ScsiException.invalidFieldInCdb(6, -1);
        }
        TreeSet<Long> sorted = new TreeSet<>(luns);
        if (select == 1) {
            sorted.clear();   // no well-known logical units
        }
        byte[] d = new byte[8 + 8 * sorted.size()];
        Cdb.put32(d, 0, 8L * sorted.size());
        int at = 8;
        for (long lun : sorted) {
            encode(lun, d, at);
            at += 8;
        }
        return d;
    }

    /** SAM-5 single level LUN: peripheral addressing below 256, flat space addressing above. */
    static void encode(long lun, byte[] d, int at) {
        if (lun < 256) {
            d[at + 1] = (byte) lun;
        } else {
            d[at] = (byte) (0x40 | ((lun >> 8) & 0x3f));
            d[at + 1] = (byte) lun;
        }
    }
}
