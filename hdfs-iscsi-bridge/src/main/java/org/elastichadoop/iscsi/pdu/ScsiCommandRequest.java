package org.elastichadoop.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** SCSI Command PDU (RFC 7143 section 11.3). */
public record ScsiCommandRequest(boolean immediate, boolean finalBit, boolean read, boolean write,
                                 int attribute, long lun, int itt, int expectedLength, int cmdSN,
                                 int expStatSN, byte[] cdb) {

    public static ScsiCommandRequest parse(Pdu pdu) throws ProtocolException {
        ByteBuf bhs = pdu.bhs();
        int flags = pdu.flags();
        byte[] cdb = extendedCdb(pdu);
        return new ScsiCommandRequest(pdu.immediate(), (flags & 0x80) != 0, (flags & 0x40) != 0,
                (flags & 0x20) != 0, flags & 0x07, pdu.lun(), pdu.itt(), bhs.getInt(20),
                bhs.getInt(24), bhs.getInt(28), cdb);
    }

    /** The 16-byte CDB field, extended by an Extended CDB AHS (type 1) when one is present. */
    private static byte[] extendedCdb(Pdu pdu) throws ProtocolException {
        ByteBuf ahs = pdu.ahs();
        byte[] base = new byte[16];
        pdu.bhs().getBytes(32, base);
        if (ahs == null) return base;
        int at = ahs.readerIndex();
        while (at + 4 <= ahs.writerIndex()) {
            // AHSLength counts the reserved byte and the type-specific bytes, not the padding
            int length = ahs.getUnsignedShort(at);
            int type = ahs.getUnsignedByte(at + 2);
            if (length == 0 || at + 3 + length > ahs.writerIndex()) {
                throw new ProtocolException(RejectReason.INVALID_PDU_FIELD,
                        "AHS of length " + length + " runs past the additional header segment");
            }
            if (type == 1) {
                byte[] cdb = new byte[16 + length - 1];
                System.arraycopy(base, 0, cdb, 0, 16);
                ahs.getBytes(at + 4, cdb, 16, length - 1);
                return cdb;
            }
            at += (3 + length + 3) & ~3;
        }
        return base;
    }
}
