package org.elastichadoop.iscsi.scsi;

import org.elastichadoop.iscsi.scsi.reservation.Access;

/**
 * One row of the dispatch table: an operation code (and service action) with how to run it.
 *
 * @param opcode         operation code
 * @param serviceAction  service action, or -1 if the opcode has none
 * @param name           for logs and REPORT SUPPORTED OPERATION CODES
 * @param access         reservation conflict class
 * @param kind           whether it reads, writes or only inspects state
 * @param usage          CDB usage data for REPORT SUPPORTED OPERATION CODES: byte 0 is the opcode,
 *                       the rest mark the bits the command looks at; its length is the CDB size
 * @param command        the implementation
 */
public record CommandEntry(int opcode, int serviceAction, String name, Access access, Kind kind,
                           byte[] usage, Command command) {

    public enum Kind {
        /** Answered from in-memory state; may complete on the caller's thread. */
        METADATA,
        /** Reads the volume: runs on the I/O executor; IOException → UNRECOVERED READ ERROR. */
        READ,
        /** Writes the volume: runs on the I/O executor; refused when write protected. */
        WRITE,
        /** Touches the volume without changing data (SYNCHRONIZE CACHE): runs on the executor. */
        IO
    }

    public int cdbLength() {
        return usage.length;
    }

    public boolean hasServiceAction() {
        return serviceAction >= 0;
    }
}
