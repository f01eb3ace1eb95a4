package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Asc;
import org.elastichadoop.iscsi.scsi.BlockDevice;
import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ModePages;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

/** MODE SENSE (6), (10) (SPC-4 6.11-6.12) over {@link ModePages}. */
public final class ModeSense implements Command {

    public static void register(CommandTable t) {
        ModeSense m = new ModeSense();
        t.add(0x1A, -1, "MODE SENSE(6)", Access.WRITE, Kind.METADATA, m,
                0x1A, 0x08, 0xff, 0xff, 0xff, 0x07);
        t.add(0x5A, -1, "MODE SENSE(10)", Access.WRITE, Kind.METADATA, m,
                0x5A, 0x18, 0xff, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        boolean six = (cdb[0] & 0xff) == 0x1A;
        boolean dbd = (cdb[1] & 0x08) != 0;
        boolean longLba = !six && (cdb[1] & 0x10) != 0;
        int pageControl = (cdb[2] >> 6) & 0x03;
        int page = cdb[2] & 0x3f;
        int subpage = Cdb.u8(cdb, 3);
        int allocation = six ? Cdb.u8(cdb, 4) : Cdb.u16(cdb, 7);
        ModePages pages = task.device().modePages();
        if (pageControl == ModePages.PC_SAVED) {
            throw ScsiException.illegal(Asc.SAVING_PARAMETERS_NOT_SUPPORTED);
        }
        if (subpage != 0 && subpage != 0xff) {
            throw ScsiException.invalidFieldInCdb(3, -1);
        }
        if (page != ModePages.ALL_PAGES && !pages.exists(page)) {
            throw ScsiException.invalidFieldInCdb(2, 5);
        }
        byte[] body = pages.sense(page, pageControl);
        byte[] descriptor = dbd ? new byte[0] : blockDescriptor(task.device(), longLba);
        int header = six ? 4 : 8;
        byte[] d = new byte[header + descriptor.length + body.length];
        int deviceSpecific = (task.device().writeProtected() ? 0x80 : 0) | 0x10;   // WP, DPOFUA
        if (six) {
            d[0] = (byte) (d.length - 1);
            d[2] = (byte) deviceSpecific;
            d[3] = (byte) descriptor.length;
        } else {
            Cdb.put16(d, 0, d.length - 2);
            d[3] = (byte) deviceSpecific;
            d[4] = (byte) (longLba && !dbd ? 0x01 : 0);
            Cdb.put16(d, 6, descriptor.length);
        }
        System.arraycopy(descriptor, 0, d, header, descriptor.length);
        System.arraycopy(body, 0, d, header + descriptor.length, body.length);
        return task.dataIn(d, allocation);
    }

    private static byte[] blockDescriptor(BlockDevice device, boolean longLba) {
        long blocks = device.volume().blockCount();
        int blockSize = device.volume().blockSize();
        if (longLba) {
            byte[] b = new byte[16];
            Cdb.put64(b, 0, blocks);
            Cdb.put32(b, 12, blockSize);
            return b;
        }
        byte[] b = new byte[8];
        Cdb.put32(b, 0, Math.min(blocks, 0xffffffffL));
        b[5] = (byte) (blockSize >> 16);
        b[6] = (byte) (blockSize >> 8);
        b[7] = (byte) blockSize;
        return b;
    }
}
