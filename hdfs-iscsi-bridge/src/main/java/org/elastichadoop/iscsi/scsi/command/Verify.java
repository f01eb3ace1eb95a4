package org.elastichadoop.iscsi.scsi.command;

import io.netty.buffer.ByteBuf;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

import java.io.IOException;

/**
 * VERIFY (10), (12), (16) (SBC-3 5.27-5.29). BYTCHK 0 checks the range only (the medium has no
 * error detection beyond what reads report), 1 compares the data-out buffer with the medium,
 * 3 compares one data-out block against every block in the range.
 */
public final class Verify implements Command {

    public static void register(CommandTable t) {
        Verify v = new Verify();
        t.add(0x2F, -1, "VERIFY(10)", Access.READ, Kind.READ, v,
                0x2F, 0xf6, 0xff, 0xff, 0xff, 0xff, 0x3f, 0xff, 0xff, 0x07);
        t.add(0xAF, -1, "VERIFY(12)", Access.READ, Kind.READ, v,
                0xAF, 0xf6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x07);
        t.add(0x8F, -1, "VERIFY(16)", Access.READ, Kind.READ, v,
                0x8F, 0xf6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException, IOException {
        byte[] cdb = task.cdb();
        long lba = Blocks.lba(cdb);
        long blocks = Blocks.length(cdb);
        int blockSize = task.device().volume().blockSize();
        int bytchk = (cdb[1] >> 1) & 0x03;
        if (bytchk == 1) {
            task.declareTransfer(blocks * blockSize);
        } else if (bytchk == 3) {
            task.declareTransfer(blocks == 0 ? 0 : blockSize);
        }
        Blocks.checkNoProtection(cdb);
        if (bytchk == 2) {
            throw ScsiException.invalidFieldInCdb(1, 2);
        }
        Blocks.checkRange(task, lba, blocks);
        if (bytchk == 1) {
            Blocks.checkTransferLimit(task, blocks, Blocks.lengthByte(cdb));
        }
        if (blocks == 0 || bytchk == 0) {
            return Write.good(task);
        }
        ByteBuf expected = task.dataOut(bytchk == 1 ? blocks * blockSize : blockSize);
        if (bytchk == 3 && blocks > Blocks.maxTransferBlocks(task)) {
            // the medium is compared in one buffer; keep it within the transfer limit's size
            throw ScsiException.invalidFieldInCdb(Blocks.lengthByte(cdb), -1);
        }
        compare(task, lba, (int) blocks, expected, bytchk == 3);
        return Write.good(task);
    }

    /**
     * Compares the medium from {@code lba} with {@code expected} (or with its single block
     * repeated); MISCOMPARE with the offset of the first differing byte.
     */
    static void compare(Task task, long lba, int blocks, ByteBuf expected, boolean repeated)
            throws ScsiException, IOException {
        int blockSize = task.device().volume().blockSize();
        ByteBuf actual = task.allocate(blocks * blockSize);
        try {
            task.device().volume().read(lba, blocks, actual);
            for (int i = 0; i < blocks * blockSize; i++) {
                int e = expected.getByte(expected.readerIndex() + (repeated ? i % blockSize : i));
                if (actual.getByte(i) != (byte) e) {
                    throw ScsiException.miscompare(i);
                }
            }
        } finally {
            actual.release();
        }
    }

}
