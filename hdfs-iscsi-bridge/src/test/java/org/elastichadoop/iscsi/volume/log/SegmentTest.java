package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.Unpooled;
import org.junit.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
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
            expectCorrupt(bad, 7, "CRC32C");
        }
        expectCorrupt(Arrays.copyOf(stored, stored.length - 1), 7, "CRC32C");
        expectCorrupt(stored, 8, "belongs to");
        expectCorrupt(new byte[10], 7, "only 10 bytes");
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
