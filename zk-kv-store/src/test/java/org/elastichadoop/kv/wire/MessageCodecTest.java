package org.elastichadoop.kv.wire;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

public class MessageCodecTest {

    private static Message roundTrip(Message m) throws MalformedFrameException {
        ByteBuf buf = Unpooled.buffer();
        MessageEncoder.encodeTo(m, buf);
        int length = buf.readInt();
        assertEquals("length field counts the bytes after it", buf.readableBytes(), length);
        return MessageDecoder.decodeFrame(buf);
    }

    @Test
    public void putSurvivesTheWire() throws Exception {
        byte[] key = "k1".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[70_000];
        value[69_999] = 7;
        PutRequest p = (PutRequest) roundTrip(PutRequest.of(42, Flags.COORDINATE, key, 0x1234abcd, value));
        assertEquals(42, p.requestId());
        assertTrue(p.coordinate());
        assertArrayEquals(key, p.key());
        assertEquals(0x1234abcd, p.valueCrc());
        assertArrayEquals(value, io.netty.buffer.ByteBufUtil.getBytes(p.value()));
        p.release();
    }

    @Test
    public void everyMessageTypeRoundTrips() throws Exception {
        KeyRequest g = (KeyRequest) roundTrip(new KeyRequest(Op.DELETE, 9, (byte) 0, new byte[] {1, 2}));
        assertEquals(Op.DELETE, g.op());
        assertArrayEquals(new byte[] {1, 2}, g.key());
        MetaRequest m = (MetaRequest) roundTrip(new MetaRequest(3, List.of(new byte[] {5}, new byte[] {6, 6})));
        assertEquals(2, m.keys().size());
        assertArrayEquals(new byte[] {6, 6}, m.keys().get(1));
        assertEquals(11, roundTrip(new StatsRequest(11)).requestId());
        Response r = (Response) roundTrip(Response.error(Op.PUT, 5, Status.IMMUTABLE_KEY, "immutable key"));
        assertEquals(Status.IMMUTABLE_KEY, r.status());
        assertEquals("immutable key", r.message());
        GetPayload gp = GetPayload.decode(new GetPayload(77, 123L, new byte[] {9, 8}).encode());
        assertEquals(77, gp.valueCrc());
        assertEquals(123L, gp.timestamp());
        assertArrayEquals(new byte[] {9, 8}, gp.value());
        List<KeyState> states = MetaPayload.decode(MetaPayload.encode(List.of(KeyState.ABSENT,
                new KeyState(KeyState.State.TOMBSTONE, 4, 5, 6))));
        assertEquals(KeyState.State.ABSENT, states.get(0).state());
        assertEquals(new KeyState(KeyState.State.TOMBSTONE, 4, 5, 6), states.get(1));
    }

    @Test
    public void aRangedGetRoundTrips() throws Exception {
        KeyRequest g = (KeyRequest) roundTrip(KeyRequest.range(12, new byte[] {3, 4}, -4096, 4096));
        assertEquals(Op.GET, g.op());
        assertTrue(g.coordinate());
        assertTrue(g.ranged());
        assertArrayEquals(new byte[] {3, 4}, g.key());
        assertEquals(-4096, g.offset());
        assertEquals(4096, g.length());
        KeyRequest whole = (KeyRequest) roundTrip(new KeyRequest(Op.GET, 13, Flags.COORDINATE, new byte[] {3}));
        assertFalse(whole.ranged());
        KeyRequest betweenNodes = (KeyRequest) roundTrip(new KeyRequest(Op.GET, 14, (byte) 0, new byte[] {3}, 99));
        assertFalse(betweenNodes.ranged());
        assertEquals(99, betweenNodes.epoch());
    }

    @Test
    public void aRangePayloadRoundTrips() throws Exception {
        RangePayload sent = new RangePayload(4 << 20, 0xcafe, 123L, (4 << 20) - 2, new byte[] {9, 8});
        RangePayload p = RangePayload.decode(sent.encode());
        assertEquals(4 << 20, p.valueLength());
        assertEquals(0xcafe, p.valueCrc());
        assertEquals(123L, p.timestamp());
        assertEquals((4 << 20) - 2, p.offset());
        assertArrayEquals(new byte[] {9, 8}, p.bytes());
        assertArrayEquals(new byte[0], RangePayload.decode(new RangePayload(0, 0, 0, 0, new byte[0]).encode()).bytes());
        assertThrows(MalformedFrameException.class, () -> RangePayload.decode(new byte[23]));
    }

    @Test
    public void malformedRangedGetsAreRefused() {
        byte coordinatedRange = (byte) (Flags.COORDINATE | Flags.RANGE);
        // key "A", then offset 0 and length 16, cut short
        byte[] complete = {0, 1, 65, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16};
        for (int cut = 3; cut < complete.length; cut++) {
            byte[] truncated = Arrays.copyOf(complete, cut);
            assertThrows("cut at " + cut, MalformedFrameException.class,
                    () -> MessageDecoder.decodeFrame(frame(1, 0, 2, coordinatedRange, truncated)));
        }
        // negative length
        byte[] negativeLength = complete.clone();
        Arrays.fill(negativeLength, 11, 15, (byte) 0xff);
        MalformedFrameException negative = assertThrows(MalformedFrameException.class,
                () -> MessageDecoder.decodeFrame(frame(1, 0, 2, coordinatedRange, negativeLength)));
        assertTrue(negative.getMessage(), negative.getMessage().contains("negative"));
        // a range on a GET between nodes (key, epoch, range) and on a DELETE
        assertThrows(MalformedFrameException.class, () -> MessageDecoder.decodeFrame(frame(1, 0, 2, Flags.RANGE,
                new byte[] {0, 1, 65, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16})));
        assertThrows(MalformedFrameException.class,
                () -> MessageDecoder.decodeFrame(frame(1, 0, 3, coordinatedRange, complete)));
        // stray bytes after the range
        byte[] stray = Arrays.copyOf(complete, complete.length + 1);
        assertThrows(MalformedFrameException.class,
                () -> MessageDecoder.decodeFrame(frame(1, 0, 2, coordinatedRange, stray)));
        // and the record refuses to be built that way
        assertThrows(IllegalArgumentException.class, () -> KeyRequest.range(1, new byte[] {1}, 0, -1));
        assertThrows(IllegalArgumentException.class,
                () -> new KeyRequest(Op.GET, 1, Flags.RANGE, new byte[] {1}, 0, 0, 1));
    }

    private static ByteBuf frame(int version, int kind, int op, byte[] body) {
        return frame(version, kind, op, (byte) 0, body);
    }

    private static ByteBuf frame(int version, int kind, int op, byte flags, byte[] body) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(version).writeByte(kind).writeByte(op).writeByte(flags).writeLong(1).writeBytes(body);
        return b;
    }

    @Test
    public void malformedFramesAreRefusedWithAReason() {
        assertThrows(MalformedFrameException.class, () -> MessageDecoder.decodeFrame(Unpooled.wrappedBuffer(new byte[5])));
        assertThrows(MalformedFrameException.class, () -> MessageDecoder.decodeFrame(frame(9, 0, 1, new byte[0])));
        assertThrows(MalformedFrameException.class, () -> MessageDecoder.decodeFrame(frame(1, 0, 99, new byte[0])));
        assertThrows(MalformedFrameException.class, () -> MessageDecoder.decodeFrame(frame(1, 5, 1, new byte[0])));
        // key length 0, key longer than allowed, key past the end of the frame
        assertThrows(MalformedFrameException.class, () -> MessageDecoder.decodeFrame(frame(1, 0, 2, new byte[] {0, 0})));
        assertThrows(MalformedFrameException.class, () -> MessageDecoder.decodeFrame(frame(1, 0, 2, new byte[] {0x7f, 0})));
        assertThrows(MalformedFrameException.class, () -> MessageDecoder.decodeFrame(frame(1, 0, 2, new byte[] {0, 5, 1})));
        // value length negative, and larger than the frame
        assertThrows(MalformedFrameException.class, () -> MessageDecoder.decodeFrame(frame(1, 0, 1,
                new byte[] {0, 1, 65, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})));
        assertThrows(MalformedFrameException.class, () -> MessageDecoder.decodeFrame(frame(1, 0, 1,
                new byte[] {0, 1, 65, 0, 0, 0, 0, 0, 0, 1, 0})));
        // stray bytes after a complete GET (between nodes: key, then the ring epoch)
        MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> MessageDecoder.decodeFrame(frame(1, 0, 2, new byte[] {0, 1, 65, 0, 0, 0, 0, 0, 0, 0, 7, 1})));
        assertTrue(e.getMessage(), e.getMessage().contains("stray"));
        // absurd META count
        assertThrows(MalformedFrameException.class, () -> MessageDecoder.decodeFrame(frame(1, 0, 4, new byte[] {0x7f, 0, 0, 0})));
    }
}
