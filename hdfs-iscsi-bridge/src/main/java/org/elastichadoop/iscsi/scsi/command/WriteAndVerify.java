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
 * WRITE AND VERIFY (10), (12), (16) (SBC-3 5.37-5.39): a durable write; with BYTCHK the data is
 * read back and compared (a volume that just took the write returns it, so this only catches
 * broken volumes).
 */
public final class WriteAndVerify implements Command {

    public static void register(CommandTable t) {
        WriteAndVerify w = new WriteAndVerify();
        t.add(0x2E, -1, "WRITE AND VERIFY(10)", Access.WRITE, Kind.WRITE, w,
                0x2E, 0xf2, 0xff, 0xff, 0xff, 0xff, 0x3f, 0xff, 0xff, 0x07);
        t.add(0xAE, -1, "WRITE AND VERIFY(12)", Access.WRITE, Kind.WRITE, w,
                0xAE, 0xf2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x07);
        t.add(0x8E, -1, "WRITE AND VERIFY(16)", Access.WRITE, Kind.WRITE, w,
                0x8E, 0xf2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException, IOException, InterruptedException {
        Write.Received r = Write.receive(task);
        ByteBuf data = r.data();
        if (data.readableBytes() == 0) {
            return Write.good(task);
        }
        Write.writeLocked(task, r.lba(), data, true);
        if ((task.cdb()[1] & 0x02) != 0) {
            Verify.compare(task, r.lba(), data.readableBytes() / task.device().volume().blockSize(), data, false);
        }
        return Write.good(task);
    }
}
