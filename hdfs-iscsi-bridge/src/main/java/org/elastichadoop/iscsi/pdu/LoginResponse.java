package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Login Response PDU (RFC 7143 section 11.13). */
public record LoginResponse(boolean transit, boolean continues, int currentStage, int nextStage,
                            byte[] isid, int tsih, int itt, int statusClass, int statusDetail, ByteBuf data)
        implements TargetPdu {

    @Override
    public void writeHeader(ByteBuf bhs) {
        int flags = (transit ? 0x80 : 0) | (continues ? 0x40 : 0) | (currentStage << 2) | (transit ? nextStage : 0);
        TargetPdu.header(bhs, Opcode.LOGIN_RESPONSE, flags);
        bhs.setByte(2, 0); // Version-max
        bhs.setByte(3, 0); // Version-active
        bhs.setBytes(8, isid);
        bhs.setShort(14, tsih);
        bhs.setInt(16, itt);
        bhs.setByte(36, statusClass);
        bhs.setByte(37, statusDetail);
    }
}
