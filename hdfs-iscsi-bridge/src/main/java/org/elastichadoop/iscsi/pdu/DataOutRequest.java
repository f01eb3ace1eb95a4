package org.elastichadoop.iscsi.pdu;

/** SCSI Data-Out PDU (RFC 7143 section 11.7); {@code pdu.data()} holds the payload. */
public record DataOutRequest(boolean finalBit, long lun, int itt, int ttt, int expStatSN, int dataSN,
                             int bufferOffset) {

    public static DataOutRequest parse(Pdu pdu) {
        var bhs = pdu.bhs();
        return new DataOutRequest(pdu.finalBit(), pdu.lun(), pdu.itt(), bhs.getInt(20), bhs.getInt(28),
                bhs.getInt(36), bhs.getInt(40));
    }
}
