package org.elastichadoop.iscsi.pdu;

/** NOP-Out PDU (RFC 7143 section 11.18): a ping, or the answer to the target's NOP-In. */
public record NopOutRequest(boolean immediate, long lun, int itt, int ttt, int cmdSN, int expStatSN) {

    public static final int RESERVED_TAG = 0xffffffff;

    public static NopOutRequest parse(Pdu pdu) {
        var bhs = pdu.bhs();
        return new NopOutRequest(pdu.immediate(), pdu.lun(), pdu.itt(), bhs.getInt(20), bhs.getInt(24),
                bhs.getInt(28));
    }

    /** An initiator's ping that wants an answer (ITT is not the reserved tag). */
    public boolean wantsReply() {
        return itt != RESERVED_TAG;
    }
}
