package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;

/**
 * A PDU the target sends. Each type fills its own header fields; the connection's sender then
 * stamps the sequence numbers every target PDU carries at bytes 24-35 (StatSN, ExpCmdSN,
 * MaxCmdSN), the data segment length, and the digests.
 */
public interface TargetPdu {

    /** Writes the type's fields into a zeroed 48-byte header (bytes 0-47 of {@code bhs}). */
    void writeHeader(ByteBuf bhs);

    /** The data segment; the sender releases it once written. */
    default ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }

    /** The data segment as a range of a file (sent with sendfile) instead of {@link #data()}; null when none. */
    default FileRegion fileData() {
        return null;
    }

    /** How this PDU uses StatSN. */
    default StatSn statSn() {
        return StatSn.ADVANCE;
    }

    enum StatSn {
        /** Carries a fresh StatSN (a response with status). */
        ADVANCE,
        /** Carries the next StatSN without using it up (R2T, unsolicited NOP-In, Data-In without status). */
        PEEK
    }

    static void header(ByteBuf bhs, int opcode, int flags) {
        bhs.setByte(0, opcode);
        bhs.setByte(1, flags);
    }
}
