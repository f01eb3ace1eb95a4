package org.elastichadoop.iscsi.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.elastichadoop.iscsi.pdu.Pdu;

import java.util.List;

/**
 * Frames the byte stream into {@link Pdu}s: header, additional header segments, header digest,
 * data segment, padding, data digest. A frame that cannot be trusted (a data segment longer than
 * this side declared, a digest mismatch) raises {@link FramingException}; the connection handler
 * then closes the connection, since at ErrorRecoveryLevel 0 nothing after it can be located.
 */
public final class PduDecoder extends ByteToMessageDecoder {
    /** RFC 7143: during login, and before anything else is declared, PDUs carry at most 8 KiB. */
    public static final int LOGIN_MAX_DATA_SEGMENT = 8192;

    private final DigestSettings digests;
    private volatile int maxDataSegment = LOGIN_MAX_DATA_SEGMENT;
    private boolean broken;

    public PduDecoder(DigestSettings digests) {
        this.digests = digests;
        // Received buffers are chained, not copied into one: a data segment then is a slice over
        // them, and reaches the volume without a copy in user space.
        setCumulator(COMPOSITE_CUMULATOR);
    }

    /** The MaxRecvDataSegmentLength this target declared, in force after login. */
    public void maxDataSegment(int bytes) {
        this.maxDataSegment = bytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws FramingException {
        if (broken) {
            // the stream cannot be framed any more; the connection is closing
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            frame(in, out);
        } catch (FramingException e) {
            broken = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void frame(ByteBuf in, List<Object> out) throws FramingException {
        while (in.readableBytes() >= Pdu.BHS_LENGTH) {
            int start = in.readerIndex();
            int ahsLength = in.getUnsignedByte(start + 4) * 4;
            int dataLength = in.getUnsignedMedium(start + 5);
            if (dataLength > maxDataSegment) {
                throw new FramingException("data segment of " + dataLength + " bytes is over the "
                        + maxDataSegment + " this target declared (MaxRecvDataSegmentLength)");
            }
            int headerDigest = digests.header() ? 4 : 0;
            int padded = dataLength + Digests.padding(dataLength);
            int dataDigest = digests.data() && dataLength > 0 ? 4 : 0;
            int total = Pdu.BHS_LENGTH + ahsLength + headerDigest + padded + dataDigest;
            if (in.readableBytes() < total) return;

            if (headerDigest > 0) {
                int expected = Digests.crc32c(in, start, Pdu.BHS_LENGTH + ahsLength);
                int received = in.getIntLE(start + Pdu.BHS_LENGTH + ahsLength);
                if (expected != received) {
                    throw new FramingException(String.format("header digest mismatch: computed 0x%08x, received 0x%08x", expected, received));
                }
            }
            if (dataDigest > 0) {
                int dataStart = start + Pdu.BHS_LENGTH + ahsLength + headerDigest;
                int expected = Digests.crc32c(in, dataStart, padded);
                int received = in.getIntLE(dataStart + padded);
                if (expected != received) {
                    throw new DataDigestException(in.copy(start, Pdu.BHS_LENGTH),
                            String.format("data digest mismatch: computed 0x%08x, received 0x%08x", expected, received));
                }
            }
            ByteBuf bhs = in.readRetainedSlice(Pdu.BHS_LENGTH);
            ByteBuf ahs = ahsLength > 0 ? in.readRetainedSlice(ahsLength) : null;
            in.skipBytes(headerDigest);
            ByteBuf data = dataLength > 0 ? in.readRetainedSlice(dataLength) : in.alloc().buffer(0, 0);
            in.skipBytes(padded - dataLength + dataDigest);
            out.add(new Pdu(bhs, ahs, data));
        }
    }
}
