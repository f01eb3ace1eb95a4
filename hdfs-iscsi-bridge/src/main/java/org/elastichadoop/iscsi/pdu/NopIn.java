package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * NOP-In PDU (RFC 7143 section 11.19): the answer to an initiator's ping (echoing its data), or
 * the target's own ping with a target transfer tag the initiator must echo.
 */
public record NopIn(long lun, int itt, int ttt, ByteBuf data) implements TargetPdu {

    public static NopIn reply(long lun, int itt, ByteBuf echo) {
        return new NopIn(lun, itt, 0xffffffff, echo);
    }

    public static NopIn ping(int ttt) {
        return new NopIn(0, 0xffffffff, ttt, Unpooled.EMPTY_BUFFER);
    }

    @Override
    public void writeHeader(ByteBuf bhs) {
        TargetPdu.header(bhs, Opcode.NOP_IN, 0x80);
        bhs.setLong(8, lun);
        bhs.setInt(16, itt);
        bhs.setInt(20, ttt);
    }

    @Override
    public StatSn statSn() {
        return itt == 0xffffffff ? StatSn.PEEK : StatSn.ADVANCE;
    }
}
