package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.Task;

/**
 * Decoding shared by the block commands: LBA and transfer length for each CDB size, range
 * checks, and the limits this layer advertises in the Block Limits VPD page.
 */
public final class Blocks {

    /**
     * Largest READ/WRITE/VERIFY in bytes; MAXIMUM TRANSFER LENGTH is this in blocks. libiscsi's
     * suite sends 65536-block writes whatever the Block Limits page says, so it must allow that
     * even with 4096-byte blocks.
     */
    public static final int MAX_TRANSFER_BYTES = 256 << 20;
    /** OPTIMAL TRANSFER LENGTH in bytes. */
    public static final int OPTIMAL_TRANSFER_BYTES = 1 << 20;
    /** Largest WRITE SAME / UNMAP in blocks per command or descriptor. */
    public static final long MAX_WRITE_SAME_BLOCKS = 1L << 20;
    public static final long MAX_UNMAP_BLOCKS = 1L << 20;
    public static final int MAX_UNMAP_DESCRIPTORS = 256;
    /** MAXIMUM COMPARE AND WRITE LENGTH in blocks. */
    public static final int MAX_COMPARE_AND_WRITE_BLOCKS = 255;

    private Blocks() {}

    /** LBA of a 6/10/12/16-byte READ/WRITE style CDB. */
    public static long lba(byte[] cdb) {
        return switch (sizeOf(cdb[0])) {
            case 6 -> (long) (cdb[1] & 0x1f) << 16 | Cdb.u16(cdb, 2);
            case 16 -> Cdb.u64(cdb, 2);
            default -> Cdb.u32(cdb, 2);
        };
    }

    /** Transfer length in blocks of a READ/WRITE/VERIFY style CDB (READ/WRITE(6): 0 means 256). */
    public static long length(byte[] cdb) {
        return switch (sizeOf(cdb[0])) {
            case 6 -> cdb[4] == 0 ? 256 : Cdb.u8(cdb, 4);
            case 10 -> Cdb.u16(cdb, 7);
            case 12 -> Cdb.u32(cdb, 6);
            default -> Cdb.u32(cdb, 10);
        };
    }

    /** CDB size from the opcode's group code (SPC-4 4.2.5.1). */
    public static int sizeOf(byte opcode) {
        int group = (opcode & 0xe0) >> 5;
        return switch (group) {
            case 0 -> 6;
            case 1, 2 -> 10;
            case 4 -> 16;
            case 5 -> 12;
            default -> 10;
        };
    }

    /** LOGICAL BLOCK ADDRESS OUT OF RANGE unless lba..lba+blocks lies within the volume. */
    /** The blocks a READ/WRITE-family CDB addresses. */
    public record Transfer(long lba, long blocks) {}

    /**
     * Reads LBA and length from a READ, WRITE or WRITE AND VERIFY CDB, declares the transfer length
     * (for residuals), and checks protection fields, the LBA range and the transfer limit, in that order.
     */
    public static Transfer checkedTransfer(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        long lba = lba(cdb);
        long blocks = length(cdb);
        task.declareTransfer(blocks * task.device().volume().blockSize());
        if (sizeOf(cdb[0]) != 6) {
            checkNoProtection(cdb);
        }
        checkRange(task, lba, blocks);
        checkTransferLimit(task, blocks, lengthByte(cdb));
        return new Transfer(lba, blocks);
    }

    public static void checkRange(Task task, long lba, long blocks) throws ScsiException {
        long count = task.device().volume().blockCount();
        if (Long.compareUnsigned(lba, count) > 0 || Long.compareUnsigned(blocks, count - lba) > 0) {
            throw ScsiException.lbaOutOfRange();
        }
    }

    /** INVALID FIELD IN CDB when the (RD/WR/VR)PROTECT field, bits 7-5 of byte 1, is non-zero. */
    public static void checkNoProtection(byte[] cdb) throws ScsiException {
        if ((cdb[1] & 0xe0) != 0) {
            throw ScsiException.invalidFieldInCdb(1, 7);
        }
    }

    /** INVALID FIELD IN CDB when the transfer exceeds MAXIMUM TRANSFER LENGTH. */
    public static void checkTransferLimit(Task task, long blocks, int lengthByte) throws ScsiException {
        if (blocks > maxTransferBlocks(task)) {
            throw ScsiException.invalidFieldInCdb(lengthByte, -1);
        }
    }

    public static long maxTransferBlocks(Task task) {
        return MAX_TRANSFER_BYTES / task.device().volume().blockSize();
    }

    /** Byte offset of the transfer length field, for sense field pointers. */
    public static int lengthByte(byte[] cdb) {
        return switch (sizeOf(cdb[0])) {
            case 6 -> 4;
            case 10 -> 7;
            case 12 -> 6;
            default -> 10;
        };
    }

    /** Whether the FUA bit (byte 1 bit 3) is set; READ/WRITE(6) have none. */
    public static boolean fua(byte[] cdb) {
        return sizeOf(cdb[0]) != 6 && (cdb[1] & 0x08) != 0;
    }
}
