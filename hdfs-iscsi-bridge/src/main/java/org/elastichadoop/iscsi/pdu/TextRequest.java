package org.elastichadoop.iscsi.pdu;

/** Text Request PDU (RFC 7143 section 11.10); {@code pdu.data()} holds the text keys. */
public record TextRequest(boolean immediate, boolean finalBit, boolean continues, long lun, int itt,
                          int ttt, int cmdSN, int expStatSN) {

    public static TextRequest parse(Pdu pdu) {
        var bhs = pdu.bhs();
        int flags = pdu.flags();
        return new TextRequest(pdu.immediate(), (flags & 0x80) != 0, (flags & 0x40) != 0, pdu.lun(),
                pdu.itt(), bhs.getInt(20), bhs.getInt(24), bhs.getInt(28));
    }
}
