package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** SCSI Response PDU (RFC 7143 section 11.4); the data segment carries SenseLength and sense data. */
public record ScsiResponse(int itt, int response, int status, byte[] sense, Residual residual, int expDataSN)
        implements TargetPdu {

    public static final int COMMAND_COMPLETED = 0x00;
    public static final int TARGET_FAILURE = 0x01;

    @Override
    public void writeHeader(ByteBuf bhs) {
        TargetPdu.header(bhs, Opcode.SCSI_RESPONSE, 0x80 | residual.flags());
        bhs.setByte(2, response);
        bhs.setByte(3, status);
        bhs.setInt(16, itt);
        bhs.setInt(36, expDataSN);
        bhs.setInt(44, residual.count());
    }

    @Override
    public ByteBuf data() {
        if (sense == null || sense.length == 0) return Unpooled.EMPTY_BUFFER;
        ByteBuf data = Unpooled.buffer(2 + sense.length);
        data.writeShort(sense.length);
        data.writeBytes(sense);
        return data;
    }
}
