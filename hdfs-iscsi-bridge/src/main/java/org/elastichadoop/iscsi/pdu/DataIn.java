package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;

/**
 * SCSI Data-In PDU (RFC 7143 section 11.7). The last one of a command may carry its GOOD status
 * (phase collapse), with the residual. The data is either a buffer or a file region.
 */
public record DataIn(boolean finalBit, boolean withStatus, int status, Residual residual, long lun, int itt,
                     int dataSN, int bufferOffset, ByteBuf data, FileRegion fileData) implements TargetPdu {

    @Override
    public void writeHeader(ByteBuf bhs) {
        int flags = (finalBit ? 0x80 : 0) | (withStatus ? 0x01 | residual.flags() : 0);
        TargetPdu.header(bhs, Opcode.DATA_IN, flags);
        if (withStatus) bhs.setByte(3, status);
        bhs.setLong(8, lun);
        bhs.setInt(16, itt);
        bhs.setInt(20, 0xffffffff);
        bhs.setInt(36, dataSN);
        bhs.setInt(40, bufferOffset);
        if (withStatus) bhs.setInt(44, residual.count());
    }

    @Override
    public StatSn statSn() {
        return withStatus ? StatSn.ADVANCE : StatSn.PEEK;
    }
}
