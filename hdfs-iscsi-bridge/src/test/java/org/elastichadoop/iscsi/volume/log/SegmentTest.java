package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.Unpooled;
import org.junit.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** The stored form of a segment: built in place, sealed, and decoded back with every check. */
public class SegmentTest {
    private static final String VOLUME = "0f7c2c1e-volume";

    private static Segment sealed(long seq, byte[] first, byte[] second) {
        OpenSegment open = new OpenSegment(VOLUME, 3, seq, 64 * 1024);
        long a = open.append(Unpooled.wrappedBuffer(first), 0, first.length);
        open.entries.add(new Segment.Entry(100, first.length / 512, Segment.Kind.DATA, a));
        open.entries.add(new Segment.Entry(5000, 64, Segment.Kind.UNMAP, 0));
        long b = open.append(Unpooled.wrappedBuffer(second), 0, second.length);
        open.entries.add(new Segment.Entry(7, second.length / 512, Segment.Kind.DATA, b));
        return open.seal();
    }

    @Test
    public void aSealedSegmentDecodesToTheSameEntriesAndData() {
        Random r = new Random(1);
        byte[] first = new byte[8 * 512];
        byte[] second = new byte[3 * 512];
        r.nextBytes(first);
        r.nextBytes(second);
        Segment s = sealed(42, first, second);
        assertTrue("the open array has room to spare after the trailer", s.length < s.bytes.length);

        Segment d = Segment.decode(Arrays.copyOf(s.bytes, s.length), VOLUME, 42);
        assertEquals(s.entries, d.entries);
        assertEquals(42, d.seq);
        Segment.Entry e = d.entries.get(2);
        assertArrayEquals(second, Arrays.copyOfRange(d.bytes, d.dataStart + (int) e.dataOffset(), d.dataStart + (int) e.dataOffset() + second.length));
        e = d.entries.get(0);
        assertArrayEquals(first, Arrays.copyOfRange(d.bytes, d.dataStart + (int) e.dataOffset(), d.dataStart + (int) e.dataOffset() + first.length));
    }

    @Test
    public void aFlippedBitATruncationOrAnotherSegmentIsRefused() {
        Segment s = sealed(7, new byte[1024], new byte[512]);
        byte[] stored = Arrays.copyOf(s.bytes, s.length);
        for (int at : new int[] {0, 20, s.dataStart + 5, s.length - 30, s.length - 1}) {
            byte[] bad = stored.clone();
            bad[at] ^= 0x10;
            expectCorrupt(bad, 7, at == 0 ? "no segment header" : "CRC32C");
        }
        expectCorrupt(Arrays.copyOf(stored, stored.length - 1), 7, "CRC32C");
        expectCorrupt(stored, 8, "belongs to");
        expectCorrupt(new byte[10], 7, "only 10 bytes");
    }

    @Test
    public void theChunkTableAtTheEndVouchesForEachFourKibOfData() {
        Random r = new Random(2);
        byte[] first = new byte[9 * 1024]; // chunks 0, 1 and part of 2
        byte[] second = new byte[9 * 512];
        r.nextBytes(first);
        r.nextBytes(second);
        Segment s = sealed(9, first, second);
        byte[] stored = Arrays.copyOf(s.bytes, s.length);
        int dataLength = first.length + second.length;
        int chunks = SegmentChunks.chunksFor(dataLength);
        assertEquals(4, chunks);
        byte[] suffix = Arrays.copyOfRange(stored, stored.length - 64, stored.length); // less than the table needs
        assertEquals(SegmentChunks.suffixBytes(chunks), SegmentChunks.suffixNeeded(suffix));
        byte[] exact = Arrays.copyOfRange(stored, stored.length - SegmentChunks.suffixBytes(chunks), stored.length);
        SegmentChunks table = SegmentChunks.decodeSuffix(exact, 9);
        assertEquals(dataLength, table.dataLength);

        byte[] data = Arrays.copyOfRange(stored, s.dataStart, s.dataStart + dataLength);
        assertTrue("chunks 1..2", table.matches(4096, Arrays.copyOfRange(data, 4096, 3 * 4096)));
        assertTrue("the short last chunk", table.matches(3 * 4096, Arrays.copyOfRange(data, 3 * 4096, dataLength)));
        assertEquals("a range's end rounds up to a chunk, within the data", dataLength, table.alignedEnd(dataLength - 100));
        assertEquals(8192, table.alignedEnd(4097));
        assertFalse("not chunk-aligned", table.matches(512, Arrays.copyOfRange(data, 512, 4096 + 512)));
        assertFalse("a chunk cut short", table.matches(0, Arrays.copyOfRange(data, 0, 4000)));
        byte[] damaged = Arrays.copyOfRange(data, 4096, 8192);
        damaged[17] ^= 1;
        assertFalse("a flipped bit", table.matches(4096, damaged));

        byte[] badTable = exact.clone();
        badTable[5] ^= 1;
        try {
            SegmentChunks.decodeSuffix(badTable, 9);
            fail("decoded a damaged chunk table");
        } catch (Segment.CorruptSegmentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("CRC32C"));
        }
    }

    @Test
    public void aSegmentOfTheEarlierFormatStillDecodesAndHasNoChunkTable() {
        byte[] data = new byte[3 * 512];
        new Random(4).nextBytes(data);
        byte[] v2 = encodeV2(11, data, 300);
        Segment d = Segment.decode(v2, VOLUME, 11);
        assertEquals(List.of(new Segment.Entry(300, 3, Segment.Kind.DATA, 0)), d.entries);
        assertArrayEquals(data, Arrays.copyOfRange(d.bytes, d.dataStart, d.dataStart + data.length));
        assertEquals("read whole, never in part", -1, SegmentChunks.suffixNeeded(Arrays.copyOfRange(v2, v2.length - 100, v2.length)));
        byte[] bad = v2.clone();
        bad[Segment.headerBytes(VOLUME) + 7] ^= 1;
        expectCorrupt(bad, 11, "CRC32C");
    }

    /** "LVS2": header, data, entry table, CRC32C over all of it. */
    private static byte[] encodeV2(long seq, byte[] data, long lba) {
        byte[] id = VOLUME.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(Segment.headerBytes(VOLUME) + data.length + 4 + 20 + 4);
        b.putInt(Segment.MAGIC_V2).putShort((short) 2).putShort((short) id.length).put(id).putLong(1).putLong(seq).putInt(data.length);
        b.put(data).putInt(1).putLong(lba).putInt(data.length / 512).put((byte) 0).put((byte) 0).putShort((short) 0).putInt(0);
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b.array(), 0, b.position());
        b.putInt((int) c.getValue());
        return b.array();
    }

    private static void expectCorrupt(byte[] bytes, long seq, String why) {
        try {
            Segment.decode(bytes, VOLUME, seq);
            fail("decoded a corrupt segment (" + why + ")");
        } catch (Segment.CorruptSegmentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains(why));
        }
    }
}
