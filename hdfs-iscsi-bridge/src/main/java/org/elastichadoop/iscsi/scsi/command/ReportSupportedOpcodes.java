package org.elastichadoop.iscsi.scsi.command;

import org.elastichadoop.iscsi.scsi.BlockDevice;
import org.elastichadoop.iscsi.scsi.Cdb;
import org.elastichadoop.iscsi.scsi.Command;
import org.elastichadoop.iscsi.scsi.CommandEntry;
import org.elastichadoop.iscsi.scsi.CommandEntry.Kind;
import org.elastichadoop.iscsi.scsi.CommandTable;
import org.elastichadoop.iscsi.scsi.ScsiException;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.scsi.Task;
import org.elastichadoop.iscsi.scsi.reservation.Access;

import java.io.ByteArrayOutputStream;

/**
 * REPORT SUPPORTED OPERATION CODES (SPC-4 6.35), generated from the dispatch table: all
 * commands, or one by opcode (reporting options 1) or opcode and service action (2, 3).
 * RCTD adds a command timeouts descriptor.
 */
public final class ReportSupportedOpcodes implements Command {

    /** Nominal and recommended timeouts reported with RCTD, in seconds. */
    private static final int NOMINAL_TIMEOUT = 1;
    private static final int RECOMMENDED_TIMEOUT = 30;

    public static void register(CommandTable t) {
        t.add(0xA3, 0x0C, "REPORT SUPPORTED OPERATION CODES", Access.ALLOWED, Kind.METADATA,
                new ReportSupportedOpcodes(),
                0xA3, 0x0C, 0x87, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x07);
    }

    @Override
    public ScsiResult execute(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        boolean rctd = (cdb[2] & 0x80) != 0;
        int options = cdb[2] & 0x07;
        int opcode = Cdb.u8(cdb, 3);
        int serviceAction = Cdb.u16(cdb, 4);
        long allocation = Cdb.u32(cdb, 6);
        BlockDevice device = task.device();
        CommandTable table = device.commands();
        byte[] data = switch (options) {
            case 0 -> all(device, table, rctd);
            case 1 -> {
                Boolean sa = table.usesServiceActions(opcode);
                if (sa != null && sa) {
                    throw ScsiException.invalidFieldInCdb(2, 0);
                }
                yield one(device, table.find(opcode, -1), rctd);
            }
            case 2 -> {
                Boolean sa = table.usesServiceActions(opcode);
                if (sa != null && !sa) {
                    throw ScsiException.invalidFieldInCdb(2, 0);
                }
                yield one(device, table.find(opcode, serviceAction), rctd);
            }
            case 3 -> {
                Boolean sa = table.usesServiceActions(opcode);
                yield one(device, table.find(opcode, sa != null && sa ? serviceAction : -1), rctd);
            }
            default -> throw ScsiException.invalidFieldInCdb(2, 2);
        };
        return task.dataIn(data, allocation);
    }

    private static byte[] all(BlockDevice device, CommandTable table, boolean rctd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (CommandEntry e : table.all()) {
            if (!e.command().supported(device)) {
                continue;
            }
            byte[] d = new byte[8];
            d[0] = (byte) e.opcode();
            if (e.hasServiceAction()) {
                Cdb.put16(d, 2, e.serviceAction());
                d[5] = 0x01;                      // SERVACTV
            }
            if (rctd) {
                d[5] |= 0x02;                     // CTDP
            }
            Cdb.put16(d, 6, e.cdbLength());
            out.writeBytes(d);
            if (rctd) {
                out.writeBytes(timeouts());
            }
        }
        byte[] body = out.toByteArray();
        byte[] data = new byte[4 + body.length];
        Cdb.put32(data, 0, body.length);
        System.arraycopy(body, 0, data, 4, body.length);
        return data;
    }

    private static byte[] one(BlockDevice device, CommandEntry e, boolean rctd) {
        if (e == null || !e.command().supported(device)) {
            byte[] d = new byte[4];
            d[1] = 0x01;                          // SUPPORT: not supported
            return d;
        }
        byte[] usage = e.usage();
        byte[] d = new byte[4 + usage.length + (rctd ? 12 : 0)];
        d[1] = (byte) ((rctd ? 0x80 : 0) | 0x03);  // CTDP, SUPPORT: supported as the standard says
        Cdb.put16(d, 2, usage.length);
        System.arraycopy(usage, 0, d, 4, usage.length);
        if (rctd) {
            System.arraycopy(timeouts(), 0, d, 4 + usage.length, 12);
        }
        return d;
    }

    private static byte[] timeouts() {
        byte[] t = new byte[12];
        Cdb.put16(t, 0, 0x0a);
        Cdb.put32(t, 4, NOMINAL_TIMEOUT);
        Cdb.put32(t, 8, RECOMMENDED_TIMEOUT);
        return t;
    }
}
