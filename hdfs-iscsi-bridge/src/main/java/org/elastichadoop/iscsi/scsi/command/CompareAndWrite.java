package org.elastichadoop.iscsi.scsi.command;

import io.netty.buffer.ByteBuf;
import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.LbaRangeLock;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

import java.io.IOException;

/**
 * COMPARE AND WRITE (SBC-3 5.2): the data-out buffer holds the verify data followed by the write
 * data. The range is locked exclusively for the compare and the write, so no other write (or
 * COMPARE AND WRITE) lands in between.
 */
public final class CompareAndWrite implements Command {

    public static void register(CommandTable t) {
        t.add(0x89, -1, "COMPARE AND WRITE", Access.WRITE, Kind.WRITE, new CompareAndWrite(),
                0x89, 0xfa, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0xff, 0x3f, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException, IOException, InterruptedException {
        byte[] cdb = task.cdb();
        long lba = Cdb.u64(cdb, 2);
        int blocks = Cdb.u8(cdb, 13);
        int blockSize = task.device().volume().blockSize();
        long bytes = 2L * blocks * blockSize;
        task.declareTransfer(bytes);
        Blocks.checkNoProtection(cdb);
        if (blocks > Blocks.MAX_COMPARE_AND_WRITE_BLOCKS) {
            throw ScsiException.invalidFieldInCdb(13, -1);
        }
        Blocks.checkRange(task, lba, blocks);
        // The two halves are located by the CDB's block count: data-out of any other size means
        // initiator and target disagree on where the write data starts, so refuse it outright.
        if (task.command().expectedLength() > bytes) {
            throw ScsiException.invalidFieldInCdb(13, -1);
        }
        ByteBuf data = task.dataOut(bytes);
        if (blocks == 0) {
            return Write.good(task);
        }
        int half = blocks * blockSize;
        LbaRangeLock.Range r = task.device().rangeLock().lockExclusive(lba, blocks);
        try {
            Verify.compare(task, lba, blocks, data.slice(data.readerIndex(), half), false);
            task.device().volume().write(lba, data.slice(data.readerIndex() + half, half),
                    Blocks.fua(cdb) || !task.device().modePages().writeCacheEnabled());
        } finally {
            task.device().rangeLock().unlock(r);
        }
        return Write.good(task);
    }
}
