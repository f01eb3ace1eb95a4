package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Reject PDU (RFC 7143 section 11.17): carries a copy of the offending header. */
public record RejectPdu(RejectReason reason, byte[] rejectedHeader) implements TargetPdu {

    @Override
    public void writeHeader(ByteBuf bhs) {
        TargetPdu.header(bhs, Opcode.REJECT, 0x80);
        bhs.setByte(2, reason.code);
        bhs.setInt(16, 0xffffffff);
    }

    @Override
    public ByteBuf data() {
        return Unpooled.wrappedBuffer(rejectedHeader);
    }
}
