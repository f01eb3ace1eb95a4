package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.DeviceIdentity;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;
import org.elastichadoop.iscsi.volume.BlockVolume;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * INQUIRY (SPC-4 6.6): standard data and the VPD pages 00h, 80h, 83h, B0h, B1h, B2h.
 */
public final class Inquiry implements Command {

    static final int[] VPD_PAGES = {0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB2};

    public static void register(CommandTable t) {
        t.add(0x12, -1, "INQUIRY", Access.ALLOWED, Kind.METADATA, new Inquiry(),
                0x12, 0x01, 0xff, 0xff, 0xff, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        boolean evpd = (cdb[1] & 0x01) != 0;
        int page = Cdb.u8(cdb, 2);
        int allocation = Cdb.u16(cdb, 3);
        if ((cdb[1] & 0x02) != 0) {
            throw ScsiException.invalidFieldInCdb(1, 1);   // CMDDT (obsolete)
        }
        if (!evpd) {
            if (page != 0) {
                throw ScsiException.invalidFieldInCdb(2, -1);
            }
            return task.dataIn(standard(task.device().identity(), 0x00), allocation);
        }
        DeviceIdentity id = task.device().identity();
        BlockVolume v = task.device().volume();
        byte[] data = switch (page) {
            case 0x00 -> supportedPages();
            case 0x80 -> serialNumber(id);
            case 0x83 -> deviceIdentification(id);
            case 0xB0 -> blockLimits(v);
            case 0xB1 -> blockDeviceCharacteristics();
            case 0xB2 -> logicalBlockProvisioning(v);
            default -> throw ScsiException.invalidFieldInCdb(2, -1);
        };
        return task.dataIn(data, allocation);
    }

    /** Standard INQUIRY data; {@code peripheral} is qualifier and device type (7Fh: no unit here). */
    public static byte[] standard(DeviceIdentity id, int peripheral) {
        byte[] d = new byte[96];
        d[0] = (byte) peripheral;
        d[2] = 0x06;                  // SPC-4
        d[3] = 0x12;                  // HISUP, response data format 2
        d[4] = (byte) (d.length - 5);
        d[7] = 0x02;                  // CMDQUE
        ascii(d, 8, id.vendor(), 8);
        ascii(d, 16, id.product(), 16);
        ascii(d, 32, id.revision(), 4);
        int[] versions = {0x00A0 /* SAM-5 */, 0x0960 /* iSCSI */, 0x0460 /* SPC-4 */, 0x04C0 /* SBC-3 */};
        for (int i = 0; i < versions.length; i++) {
            Cdb.put16(d, 58 + 2 * i, versions[i]);
        }
        return d;
    }

    private static byte[] supportedPages() {
        byte[] d = new byte[4 + VPD_PAGES.length];
        Cdb.put16(d, 2, VPD_PAGES.length);
        for (int i = 0; i < VPD_PAGES.length; i++) {
            d[4 + i] = (byte) VPD_PAGES[i];
        }
        return d;
    }

    private static byte[] serialNumber(DeviceIdentity id) {
        byte[] s = id.serialNumber().getBytes(StandardCharsets.US_ASCII);
        byte[] d = new byte[4 + s.length];
        d[1] = (byte) 0x80;
        Cdb.put16(d, 2, s.length);
        System.arraycopy(s, 0, d, 4, s.length);
        return d;
    }

    static byte[] deviceIdentification(DeviceIdentity id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        designator(out, 0x01, 0x03, naa(id));                              // binary, LU, NAA
        byte[] t10 = (pad(id.vendor(), 8) + id.serialNumber()).getBytes(StandardCharsets.US_ASCII);
        designator(out, 0x02, 0x01, t10);                                  // ASCII, LU, T10 vendor id
        byte[] port = new byte[4];
        Cdb.put16(port, 2, id.relativeTargetPortId());
        designator(out, 0x51, 0x94, port);                                 // iSCSI, PIV, port, relative port
        byte[] group = new byte[4];
        Cdb.put16(group, 2, id.targetPortGroup());
        designator(out, 0x51, 0x95, group);                                // target port group
        designator(out, 0x53, 0x98, nameString(id.targetPortName()));       // UTF-8, port, SCSI name
        String target = id.targetPortName().split(",t,", 2)[0];
        designator(out, 0x53, 0xA8, nameString(target));                   // target device name
        byte[] body = out.toByteArray();
        byte[] d = new byte[4 + body.length];
        d[1] = (byte) 0x83;
        Cdb.put16(d, 2, body.length);
        System.arraycopy(body, 0, d, 4, body.length);
        return d;
    }

    /**
     * The logical unit's NAA designator. NAA 6 (IEEE Registered Extended) is 16 bytes: the
     * configured 64 bits followed by a 64-bit extension derived from the serial number; NAA 5
     * (IEEE Registered) is the 64 bits alone.
     */
    static byte[] naa(DeviceIdentity id) {
        if ((id.naaId() >>> 60) != 6) {
            byte[] b = new byte[8];
            Cdb.put64(b, 0, id.naaId());
            return b;
        }
        long extension = 0xcbf29ce484222325L;          // FNV-1a over the serial number
        for (byte c : id.serialNumber().getBytes(StandardCharsets.UTF_8)) {
            extension = (extension ^ (c & 0xff)) * 0x100000001b3L;
        }
        byte[] b = new byte[16];
        Cdb.put64(b, 0, id.naaId());
        Cdb.put64(b, 8, extension);
        return b;
    }

    private static void designator(ByteArrayOutputStream out, int protocolAndCodeSet, int type, byte[] value) {
        out.write(protocolAndCodeSet);
        out.write(type);
        out.write(0);
        out.write(value.length);
        out.writeBytes(value);
    }

    /** A SCSI name string: null terminated, padded to a multiple of four bytes. */
    private static byte[] nameString(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] d = new byte[(n.length + 1 + 3) & ~3];
        System.arraycopy(n, 0, d, 0, n.length);
        return d;
    }

    private static byte[] blockLimits(BlockVolume v) {
        byte[] d = new byte[64];
        d[1] = (byte) 0xB0;
        Cdb.put16(d, 2, 0x3c);
        d[5] = (byte) Blocks.MAX_COMPARE_AND_WRITE_BLOCKS;
        int lbppb = 1 << ReadCapacity.lbppbExponent(v);
        Cdb.put16(d, 6, lbppb);                                            // optimal transfer granularity
        long maxTransfer = Blocks.MAX_TRANSFER_BYTES / v.blockSize();
        Cdb.put32(d, 8, maxTransfer);
        Cdb.put32(d, 12, Blocks.OPTIMAL_TRANSFER_BYTES / v.blockSize());
        if (v.supportsUnmap()) {
            Cdb.put32(d, 20, Blocks.MAX_UNMAP_BLOCKS);
            Cdb.put32(d, 24, Blocks.MAX_UNMAP_DESCRIPTORS);
            Cdb.put32(d, 28, lbppb);                                       // optimal unmap granularity
            Cdb.put32(d, 32, 0x80000000L);                                 // UGAVALID, alignment 0
        }
        Cdb.put64(d, 36, Blocks.MAX_WRITE_SAME_BLOCKS);
        return d;
    }

    private static byte[] blockDeviceCharacteristics() {
        byte[] d = new byte[64];
        d[1] = (byte) 0xB1;
        Cdb.put16(d, 2, 0x3c);
        Cdb.put16(d, 4, 0x0001);      // non-rotating medium
        return d;
    }

    private static byte[] logicalBlockProvisioning(BlockVolume v) {
        byte[] d = new byte[8];
        d[1] = (byte) 0xB2;
        Cdb.put16(d, 2, 4);
        if (v.supportsUnmap()) {
            d[5] = (byte) 0xE4;       // LBPU, LBPWS, LBPWS10, LBPRZ
            d[6] = 0x02;              // provisioning type: thin
        }
        return d;
    }

    private static void ascii(byte[] d, int at, String s, int width) {
        byte[] b = pad(s, width).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, d, at, width);
    }

    private static String pad(String s, int width) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < width) {
            sb.append(' ');
        }
        return sb.toString();
    }
}
