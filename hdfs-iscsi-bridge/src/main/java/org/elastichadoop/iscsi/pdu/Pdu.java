package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One received PDU as framed by the wire codec: the 48-byte basic header segment, any additional
 * header segments, and the data segment without padding or digests. The parsers in this package
 * read typed fields from it; {@link #release()} frees the buffers.
 */
public final class Pdu {
    public static final int BHS_LENGTH = 48;

    private final ByteBuf bhs;
    private final ByteBuf ahs;
    private final ByteBuf data;

    public Pdu(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
        this.bhs = bhs;
        this.ahs = ahs;
        this.data = data;
    }

    public ByteBuf bhs() { return bhs; }
    public ByteBuf ahs() { return ahs; }
    public ByteBuf data() { return data; }

    public int opcode() { return bhs.getByte(0) & 0x3f; }
    public boolean immediate() { return (bhs.getByte(0) & 0x40) != 0; }
    public boolean finalBit() { return (bhs.getByte(1) & 0x80) != 0; }
    public int flags() { return bhs.getByte(1) & 0xff; }
    public int dataLength() { return data.readableBytes(); }
    public long lun() { return bhs.getLong(8); }
    public int itt() { return bhs.getInt(16); }
    /** Bytes 20-23: Target Transfer Tag, Expected Data Transfer Length, RTT or CID by opcode. */
    public int word20() { return bhs.getInt(20); }
    public int cmdSN() { return bhs.getInt(24); }
    public int expStatSN() { return bhs.getInt(28); }

    /** A copy of the header, for a Reject PDU's data segment. */
    public byte[] headerCopy() {
        byte[] copy = new byte[BHS_LENGTH];
        bhs.getBytes(0, copy);
        return copy;
    }

    public void release() {
        release(bhs);
        release(ahs);
        release(data);
    }

    private static void release(ReferenceCounted buf) {
        if (buf != null && buf.refCnt() > 0) buf.release();
    }

    @Override
    public String toString() {
        return Opcode.name(opcode()) + " itt=0x" + Integer.toHexString(itt()) + " data=" + dataLength();
    }
}
