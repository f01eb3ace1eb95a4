package org.elastichadoop.iscsi.scsi;

import io.netty.buffer.ByteBuf;

/**
 * One SCSI command as the transport delivers it to a logical unit.
 *
 * @param nexus                 who sent it
 * @param lun                   the logical unit number it was addressed to
 * @param cdb                   the command descriptor block (6 to 16 bytes, as received)
 * @param dataOut               the data the initiator sent with it (empty when none); ownership
 *                              passes to the logical unit, which releases it when done
 * @param expectedLength        the transport's expected data transfer length (iSCSI EDTL) in
 *                              bytes: what the initiator sent for a write, or room for a read
 * @param attribute             the task attribute (SIMPLE, ORDERED, HEAD OF QUEUE, ACA)
 * @param tag                   the transport's task tag, for logs
 * @param fileDataAllowed       the transport can send read data straight from the volume's file
 *                              ({@link ScsiResult#dataInFile()}), e.g. with no data digest to compute
 */
public record ScsiCommand(Nexus nexus, long lun, byte[] cdb, ByteBuf dataOut, int expectedLength,
                          TaskAttribute attribute, long tag, boolean fileDataAllowed) {

    public ScsiCommand(Nexus nexus, long lun, byte[] cdb, ByteBuf dataOut, int expectedLength,
                       TaskAttribute attribute, long tag) {
        this(nexus, lun, cdb, dataOut, expectedLength, attribute, tag, false);
    }

    public int opcode() {
        return cdb[0] & 0xff;
    }

    public enum TaskAttribute { UNTAGGED, SIMPLE, ORDERED, HEAD_OF_QUEUE, ACA }
}
