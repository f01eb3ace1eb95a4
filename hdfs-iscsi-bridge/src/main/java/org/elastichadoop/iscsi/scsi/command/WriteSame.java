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
 * WRITE SAME (10), (16) (SBC-3 5.41-5.42). A zero length means "to the end of the medium"
 * (WSNZ is 0), within MAXIMUM WRITE SAME LENGTH. With UNMAP on a thin volume, a block of zeros
 * (or NDOB) deallocates the range since deallocated blocks read as zeros (LBPRZ); other data is
 * written out.
 */
public final class WriteSame implements Command {

    private static final int CHUNK_BYTES = 1 << 20;

    public static void register(CommandTable t) {
        WriteSame w = new WriteSame();
        t.add(0x41, -1, "WRITE SAME(10)", Access.WRITE, Kind.WRITE, w,
                0x41, 0xe8, 0xff, 0xff, 0xff, 0xff, 0x3f, 0xff, 0xff, 0x07);
        t.add(0x93, -1, "WRITE SAME(16)", Access.WRITE, Kind.WRITE, w,
                0x93, 0xe9, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException, IOException, InterruptedException {
        byte[] cdb = task.cdb();
        boolean sixteen = (cdb[0] & 0xff) == 0x93;
        long lba = sixteen ? Cdb.u64(cdb, 2) : Cdb.u32(cdb, 2);
        long blocks = sixteen ? Cdb.u32(cdb, 10) : Cdb.u16(cdb, 7);
        boolean unmap = (cdb[1] & 0x08) != 0;
        boolean anchor = (cdb[1] & 0x10) != 0;
        boolean ndob = sixteen && (cdb[1] & 0x01) != 0;
        var volume = task.device().volume();
        int blockSize = volume.blockSize();
        task.declareTransfer(ndob ? 0 : blockSize);
        Blocks.checkNoProtection(cdb);
        if (anchor) {
            throw ScsiException.invalidFieldInCdb(1, 4);
        }
        if (unmap && !volume.supportsUnmap()) {
            throw ScsiException.invalidFieldInCdb(1, 3);
        }
        Blocks.checkRange(task, lba, blocks);
        if (blocks == 0) {
            blocks = volume.blockCount() - lba;
        }
        if (blocks > Blocks.MAX_WRITE_SAME_BLOCKS) {
            throw ScsiException.invalidFieldInCdb(sixteen ? 10 : 7, -1);
        }
        ByteBuf pattern;
        if (ndob) {
            pattern = null;
        } else {
            // one block exactly: a shorter or longer buffer is a broken command
            if (task.command().expectedLength() != blockSize) {
                throw ScsiException.invalidFieldInCdb(sixteen ? 10 : 7, -1);
            }
            pattern = task.dataOut(blockSize);
        }
        if (blocks == 0) {
            return Write.good(task);
        }
        LbaRangeLock.Range r = task.device().rangeLock().lockShared(lba, blocks);
        try {
            // UNMAP=1 deallocates whatever the pattern, as LIO does; with LBPRZ the blocks then read
            // as zeros, which libiscsi's WriteSame*.Unmap* tests check after writing a 0xFF pattern
            if (unmap) {
                volume.unmap(lba, blocks);
            } else {
                fill(task, lba, blocks, pattern);
            }
        } finally {
            task.device().rangeLock().unlock(r);
        }
        return Write.good(task);
    }

    private static void fill(Task task, long lba, long blocks, ByteBuf pattern) throws IOException {
        var volume = task.device().volume();
        int blockSize = volume.blockSize();
        int perChunk = (int) Math.min(blocks, CHUNK_BYTES / blockSize);
        ByteBuf chunk = task.allocate(perChunk * blockSize);
        try {
            for (int i = 0; i < perChunk; i++) {
                if (pattern == null) {
                    chunk.writeZero(blockSize);
                } else {
                    chunk.writeBytes(pattern, pattern.readerIndex(), blockSize);
                }
            }
            boolean fua = !task.device().modePages().writeCacheEnabled();
            long done = 0;
            while (done < blocks) {
                int n = (int) Math.min(perChunk, blocks - done);
                volume.write(lba + done, chunk.slice(0, n * blockSize), fua);
                done += n;
            }
        } finally {
            chunk.release();
        }
    }
}
