package org.elastichadoop.iscsi.wire;

import io.netty.buffer.ByteBuf;

/** A PDU's data digest did not match: the PDU is answered with a Reject, then the connection closes. */
public final class DataDigestException extends FramingException {
    private final transient ByteBuf header;

    public DataDigestException(ByteBuf header, String message) {
        super(message);
        this.header = header;
    }

    public byte[] headerCopy() {
        byte[] copy = new byte[header.readableBytes()];
        header.getBytes(header.readerIndex(), copy);
        header.release();
        return copy;
    }
}
