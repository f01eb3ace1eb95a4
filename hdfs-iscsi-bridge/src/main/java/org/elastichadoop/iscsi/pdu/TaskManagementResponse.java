package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Task Management Function Response PDU (RFC 7143 section 11.6). */
public record TaskManagementResponse(int itt, int response) implements TargetPdu {

    public static final int FUNCTION_COMPLETE = 0;
    public static final int TASK_DOES_NOT_EXIST = 1;
    public static final int LUN_DOES_NOT_EXIST = 2;
    public static final int TASK_STILL_ALLEGIANT = 3;
    public static final int REASSIGNMENT_NOT_SUPPORTED = 4;
    public static final int FUNCTION_NOT_SUPPORTED = 5;
    public static final int AUTHORIZATION_FAILED = 6;
    public static final int FUNCTION_REJECTED = 255;

    @Override
    public void writeHeader(ByteBuf bhs) {
        TargetPdu.header(bhs, Opcode.TASK_MANAGEMENT_RESPONSE, 0x80);
        bhs.setByte(2, response);
        bhs.setInt(16, itt);
    }
}
