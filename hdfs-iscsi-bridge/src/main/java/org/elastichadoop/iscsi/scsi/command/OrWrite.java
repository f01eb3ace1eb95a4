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

/** ORWRITE (16) (SBC-3 5.7): medium := medium OR data-out, atomically for the range. */
public final class OrWrite implements Command {

    public static void register(CommandTable t) {
        t.add(0x8B, -1, "ORWRITE(16)", Access.WRITE, Kind.WRITE, new OrWrite(),
                0x8B, 0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException, IOException, InterruptedException {
        byte[] cdb = task.cdb();
        long lba = Cdb.u64(cdb, 2);
        long blocks = Cdb.u32(cdb, 10);
        int blockSize = task.device().volume().blockSize();
        task.declareTransfer(blocks * blockSize);
        Blocks.checkNoProtection(cdb);
        Blocks.checkRange(task, lba, blocks);
        Blocks.checkTransferLimit(task, blocks, 10);
        ByteBuf data = task.dataOut(blocks * blockSize);
        if (blocks == 0) {
            return Write.good(task);
        }
        int bytes = (int) blocks * blockSize;
        LbaRangeLock.Range r = task.device().rangeLock().lockExclusive(lba, blocks);
        ByteBuf merged = task.allocate(bytes);
        try {
            task.device().volume().read(lba, (int) blocks, merged);
            for (int i = 0; i < bytes; i++) {
                merged.setByte(i, merged.getByte(i) | data.getByte(data.readerIndex() + i));
            }
            task.device().volume().write(lba, merged,
                    Blocks.fua(cdb) || !task.device().modePages().writeCacheEnabled());
        } finally {
            merged.release();
            task.device().rangeLock().unlock(r);
        }
        return Write.good(task);
    }
}
