package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Text Response PDU (RFC 7143 section 11.11). */
public record TextResponse(boolean finalBit, boolean continues, long lun, int itt, int ttt, ByteBuf data)
        implements TargetPdu {

    @Override
    public void writeHeader(ByteBuf bhs) {
        TargetPdu.header(bhs, Opcode.TEXT_RESPONSE, (finalBit ? 0x80 : 0) | (continues ? 0x40 : 0));
        bhs.setLong(8, lun);
        bhs.setInt(16, itt);
        bhs.setInt(20, ttt);
    }
}
