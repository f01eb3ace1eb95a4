package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Asynchronous Message PDU (RFC 7143 section 11.9); used to ask an initiator to log out, with
 * Parameter3 the seconds it has before the target closes the connection.
 */
public record AsyncMessage(int event, int parameter3) implements TargetPdu {

    public static final int LOGOUT_REQUESTED = 1;

    @Override
    public void writeHeader(ByteBuf bhs) {
        TargetPdu.header(bhs, Opcode.ASYNC_MESSAGE, 0x80);
        bhs.setInt(16, 0xffffffff);
        bhs.setByte(36, event);
        bhs.setShort(42, parameter3);
    }
}
