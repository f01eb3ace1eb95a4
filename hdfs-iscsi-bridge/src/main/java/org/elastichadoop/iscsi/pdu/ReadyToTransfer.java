package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Ready To Transfer (R2T) PDU (RFC 7143 section 11.8): asks for a burst of Data-Out. */
public record ReadyToTransfer(long lun, int itt, int ttt, int r2tSN, int bufferOffset, int length)
        implements TargetPdu {

    @Override
    public void writeHeader(ByteBuf bhs) {
        TargetPdu.header(bhs, Opcode.READY_TO_TRANSFER, 0x80);
        bhs.setLong(8, lun);
        bhs.setInt(16, itt);
        bhs.setInt(20, ttt);
        bhs.setInt(36, r2tSN);
        bhs.setInt(40, bufferOffset);
        bhs.setInt(44, length);
    }

    @Override
    public StatSn statSn() {
        return StatSn.PEEK;
    }
}
