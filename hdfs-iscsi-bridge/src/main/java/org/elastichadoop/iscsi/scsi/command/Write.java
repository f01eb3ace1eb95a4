package org.elastichadoop.iscsi.scsi.command;

import io.netty.buffer.ByteBuf;
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
 * WRITE (6), (10), (12), (16) (SBC-3 5.32-5.36). FUA, or a disabled write cache (WCE=0),
 * makes the write durable before GOOD.
 */
public final class Write implements Command {

    public static void register(CommandTable t) {
        Write w = new Write();
        t.add(0x0A, -1, "WRITE(6)", Access.WRITE, Kind.WRITE, w, 0x0A, 0x1f, 0xff, 0xff, 0xff, 0x07);
        t.add(0x2A, -1, "WRITE(10)", Access.WRITE, Kind.WRITE, w,
                0x2A, 0xfa, 0xff, 0xff, 0xff, 0xff, 0x3f, 0xff, 0xff, 0x07);
        t.add(0xAA, -1, "WRITE(12)", Access.WRITE, Kind.WRITE, w,
                0xAA, 0xfa, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x07);
        t.add(0x8A, -1, "WRITE(16)", Access.WRITE, Kind.WRITE, w,
                0x8A, 0xfa, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException, IOException, InterruptedException {
        Received r = receive(task);
        if (r.data().readableBytes() > 0) {
            writeLocked(task, r.lba(), r.data(), Blocks.fua(task.cdb()));
        }
        return good(task);
    }

    /** The data a WRITE-family command brings, and where it goes. */
    record Received(long lba, ByteBuf data) {}

    /** Checks the CDB and takes its data (whole blocks only; see {@link Task#writeData}). */
    static Received receive(Task task) throws ScsiException {
        Blocks.Transfer t = Blocks.checkedTransfer(task);
        int blockSize = task.device().volume().blockSize();
        return new Received(t.lba(), task.writeData(t.blocks() * blockSize, blockSize));
    }

    /** Writes under a shared range lock so COMPARE AND WRITE stays atomic. */
    static void writeLocked(Task task, long lba, ByteBuf data, boolean fua) throws IOException, InterruptedException {
        long blocks = data.readableBytes() / task.device().volume().blockSize();
        LbaRangeLock.Range r = task.device().rangeLock().lockShared(lba, blocks);
        try {
            task.device().volume().write(lba, data, fua || !task.device().modePages().writeCacheEnabled());
        } finally {
            task.device().rangeLock().unlock(r);
        }
    }

    static ScsiResult good(Task task) {
        ScsiResult g = ScsiResult.good();
        return new ScsiResult(g.status(), null, g.dataIn(), task.transferLength());
    }
}
