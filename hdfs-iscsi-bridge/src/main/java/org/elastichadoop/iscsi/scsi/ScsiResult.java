package org.elastichadoop.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.elastichadoop.iscsi.volume.FileSpan;

/**
 * The outcome of a SCSI command.
 *
 * @param status    SAM status byte (0x00 GOOD, 0x02 CHECK CONDITION, 0x18 RESERVATION CONFLICT, ...)
 * @param sense     sense data (fixed or descriptor format) for CHECK CONDITION, else null
 * @param dataIn    data for the initiator (empty when none); ownership passes to the transport,
 *                  which sends at most the expected length of it and releases it
 * @param dataInFile alternatively to {@code dataIn}, where the data lies in the volume's backing file
 *                  (only when the command allowed it, see {@link ScsiCommand#fileDataAllowed()})
 * @param spdtl     the SCSI layer's own transfer length in bytes (SPC "SPDTL"): what the command
 *                  asked to move. The transport compares it with the expected length to set the
 *                  residual overflow/underflow counts. For data-in commands it is the full length
 *                  the command would return (before truncation to the allocation length
 *                  is applied by the CDB, i.e. min(allocation length, available)); for writes the
 *                  CDB's transfer length in bytes; zero for commands that move no data.
 */
public record ScsiResult(int status, byte[] sense, ByteBuf dataIn, long spdtl, FileSpan dataInFile) {

    public ScsiResult(int status, byte[] sense, ByteBuf dataIn, long spdtl) {
        this(status, sense, dataIn, spdtl, null);
    }

    /** GOOD, with the data to send lying in the volume's file (dataIn is then empty). */
    public static ScsiResult goodFromFile(FileSpan span) {
        return new ScsiResult(GOOD, null, Unpooled.EMPTY_BUFFER, span.length(), span);
    }

    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;
    public static final int CONDITION_MET = 0x04;
    public static final int BUSY = 0x08;
    public static final int RESERVATION_CONFLICT = 0x18;
    public static final int TASK_SET_FULL = 0x28;
    public static final int TASK_ABORTED = 0x40;

    public static ScsiResult good() {
        return new ScsiResult(GOOD, null, Unpooled.EMPTY_BUFFER, 0);
    }

    public static ScsiResult good(ByteBuf dataIn) {
        return new ScsiResult(GOOD, null, dataIn, dataIn.readableBytes());
    }
}
