package org.elastichadoop.iscsi.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.MessageToMessageEncoder;
import org.elastichadoop.iscsi.pdu.Pdu;

import java.util.List;

/**
 * Writes a target PDU as header (with header digest), then the data segment as a retained buffer
 * (never copied) or a file region (sendfile), then padding and data digest.
 */
@ChannelHandler.Sharable
public final class PduEncoder extends MessageToMessageEncoder<OutboundPdu> {
    private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[4]));

    private final DigestSettings digests;

    public PduEncoder(DigestSettings digests) {
        super(OutboundPdu.class);
        this.digests = digests;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OutboundPdu out, List<Object> parts) {
        FileRegion file = out.pdu().fileData();
        ByteBuf data = out.pdu().data();
        int length = file != null ? (int) file.count() : data.readableBytes();
        int padding = Digests.padding(length);
        boolean headerDigest = digests.header();
        boolean dataDigest = digests.data() && length > 0;
        ByteBuf header = ctx.alloc().directBuffer(Pdu.BHS_LENGTH + 4 + padding + 4);
        header.writeZero(Pdu.BHS_LENGTH);
        out.pdu().writeHeader(header);
        header.setMedium(5, length);
        header.setInt(24, out.statSN());
        header.setInt(28, out.expCmdSN());
        header.setInt(32, out.maxCmdSN());
        if (headerDigest) header.writeIntLE(Digests.crc32c(header, 0, Pdu.BHS_LENGTH));
        if (file != null) {
            // sent from the page cache by sendfile; never with a data digest, which needs the bytes
            data.release();
            parts.add(header);
            parts.add(file);
            if (padding > 0) parts.add(ctx.alloc().directBuffer(padding).writeZero(padding));
            return;
        }
        if (length == 0) {
            data.release();
            parts.add(header);
            return;
        }
        parts.add(header);
        parts.add(data);
        if (padding > 0 || dataDigest) {
            ByteBuf trailer = ctx.alloc().directBuffer(padding + 4);
            trailer.writeBytes(ZEROS, 0, padding);
            if (dataDigest) trailer.writeIntLE(Digests.dataDigest(data, padding));
            parts.add(trailer);
        }
    }
}
