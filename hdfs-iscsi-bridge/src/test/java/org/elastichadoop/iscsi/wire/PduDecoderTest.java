package org.elastichadoop.iscsi.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.elastichadoop.iscsi.pdu.NopIn;
import org.elastichadoop.iscsi.pdu.Pdu;
import org.junit.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Framing: fragments, padding, AHS, digests both ways, and the frames that end a connection. */
public class PduDecoderTest {

    private static byte[] pdu(int opcode, int ahsWords, byte[] data, boolean digests) {
        int padded = (data.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(48 + ahsWords * 4 + 4 + padded + 4);
        b.put(0, (byte) opcode);
        b.put(4, (byte) ahsWords);
        b.put(5, (byte) (data.length >> 16)).put(6, (byte) (data.length >> 8)).put(7, (byte) data.length);
        b.putInt(16, 0x1234);
        b.position(48 + ahsWords * 4);
        if (digests) b.order(ByteOrder.LITTLE_ENDIAN).putInt(crc(b.array(), 0, 48 + ahsWords * 4)).order(ByteOrder.BIG_ENDIAN);
        int dataStart = b.position();
        b.put(data);
        b.position(dataStart + padded);
        if (digests && data.length > 0) b.order(ByteOrder.LITTLE_ENDIAN).putInt(crc(b.array(), dataStart, padded));
        byte[] out = new byte[b.position()];
        System.arraycopy(b.array(), 0, out, 0, out.length);
        return out;
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    private static EmbeddedChannel channel(boolean digests, int maxData) {
        DigestSettings settings = new DigestSettings();
        settings.enable(digests, digests);
        PduDecoder decoder = new PduDecoder(settings);
        decoder.maxDataSegment(maxData);
        return new EmbeddedChannel(decoder, new PduEncoder(settings));
    }

    @Test
    public void aPduArrivingOneByteAtATimeIsFramedOnceWhole() {
        byte[] bytes = pdu(0x00, 0, "hello".getBytes(), false);
        EmbeddedChannel ch = channel(false, 8192);
        for (int i = 0; i < bytes.length - 1; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1));
            assertNull("nothing before the last byte", ch.readInbound());
        }
        ch.writeInbound(Unpooled.wrappedBuffer(bytes, bytes.length - 1, 1));
        Pdu p = ch.readInbound();
        assertEquals(0x1234, p.itt());
        assertEquals("hello", p.data().toString(java.nio.charset.StandardCharsets.US_ASCII));
        p.release();
    }

    @Test
    public void digestsAreCheckedAndTheAhsSkipped() {
        EmbeddedChannel ch = channel(true, 8192);
        byte[] two = new byte[0];
        byte[] a = pdu(0x01, 2, "abcdefg".getBytes(), true);
        byte[] b = pdu(0x00, 0, two, true);
        ch.writeInbound(Unpooled.wrappedBuffer(a, b));
        Pdu first = ch.readInbound();
        assertEquals(8, first.ahs().readableBytes());
        assertEquals(7, first.dataLength());
        Pdu second = ch.readInbound();
        assertEquals(0, second.dataLength());
        first.release();
        second.release();
    }

    @Test
    public void aBadDataDigestIsReportedWithTheHeaderAndStopsFraming() {
        EmbeddedChannel ch = channel(true, 8192);
        byte[] a = pdu(0x01, 0, "abcdefgh".getBytes(), true);
        a[a.length - 1] ^= 1;
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(a));
            fail("digest mismatch not noticed");
        } catch (DecoderException e) {
            assertTrue(e.getCause() instanceof DataDigestException);
            assertEquals(48, ((DataDigestException) e.getCause()).headerCopy().length);
        }
        ch.writeInbound(Unpooled.wrappedBuffer(pdu(0x00, 0, new byte[0], true)));
        assertNull("after a broken frame nothing more is framed", ch.readInbound());
    }

    @Test
    public void aDataSegmentOverTheDeclaredLimitEndsTheConnection() {
        EmbeddedChannel ch = channel(false, 8192);
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(pdu(0x01, 0, new byte[8193], false)));
            fail("oversized segment accepted");
        } catch (DecoderException e) {
            assertTrue(e.getCause().getMessage().contains("8193"));
        }
    }

    @Test
    public void theEncoderAddsPaddingAndDigestsThatTheDecoderAccepts() {
        EmbeddedChannel target = channel(true, 8192);
        target.writeOutbound(new OutboundPdu(NopIn.reply(0, 0x55, Unpooled.wrappedBuffer("ping!".getBytes())), 7, 8, 9));
        ByteBuf wire = Unpooled.buffer();
        for (Object o; (o = target.readOutbound()) != null; ) {
            ByteBuf part = (ByteBuf) o;
            wire.writeBytes(part);
            part.release();
        }
        assertEquals("48 + 4 digest + 8 padded data + 4 digest", 64, wire.readableBytes());
        EmbeddedChannel initiator = channel(true, 8192);
        initiator.writeInbound(wire);
        Pdu p = initiator.readInbound();
        assertEquals(0x20, p.opcode());
        assertEquals(0x55, p.itt());
        assertEquals(7, p.bhs().getInt(24));
        assertEquals("ping!", p.data().toString(java.nio.charset.StandardCharsets.US_ASCII));
        p.release();
    }
}
