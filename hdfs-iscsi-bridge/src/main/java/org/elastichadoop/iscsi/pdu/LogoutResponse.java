package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Logout Response PDU (RFC 7143 section 11.15). */
public record LogoutResponse(int itt, int response) implements TargetPdu {

    public static final int CLOSED = 0;
    public static final int CID_NOT_FOUND = 1;
    public static final int RECOVERY_NOT_SUPPORTED = 2;
    public static final int CLEANUP_FAILED = 3;

    @Override
    public void writeHeader(ByteBuf bhs) {
        TargetPdu.header(bhs, Opcode.LOGOUT_RESPONSE, 0x80);
        bhs.setByte(2, response);
        bhs.setInt(16, itt);
        bhs.setShort(40, 2); // Time2Wait
        bhs.setShort(42, 0); // Time2Retain: nothing is kept at ErrorRecoveryLevel 0
    }
}
