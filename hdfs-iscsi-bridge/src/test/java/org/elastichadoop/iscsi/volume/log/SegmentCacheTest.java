package org.elastichadoop.iscsi.volume.log;

import io.netty.buffer.Unpooled;
import org.junit.Test;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;

/** The segment cache's references: an array goes back for reuse only when the cache and every reader let go. */
public class SegmentCacheTest {
    private static final String VOLUME = "3b5e-volume";
    private static final int CAPACITY = 16 * 1024;
    private final SegmentArrays arrays = new SegmentArrays(OpenSegment.arraySize(VOLUME, CAPACITY), 4);

    private Segment written(long seq, byte fill) {
        OpenSegment open = new OpenSegment(VOLUME, 1, seq, CAPACITY, arrays);
        byte[] data = new byte[4096];
        Arrays.fill(data, fill);
        long at = open.append(Unpooled.wrappedBuffer(data), 0, data.length);
        open.entries.add(new Segment.Entry(8 * seq, 8, Segment.Kind.DATA, at));
        return open.seal();
    }

    private static CompletableFuture<Segment> notInStore(long seq) {
        return CompletableFuture.completedFuture(null);
    }

    @Test
    public void anEvictedSegmentAReaderHoldsKeepsItsArrayUntilTheReaderIsDone() {
        SegmentCache cache = new SegmentCache(1); // holds only the newest
        Segment first = written(1, (byte) 1);
        cache.put(first);
        Segment held = cache.acquire(1, SegmentCacheTest::notInStore).join();
        assertSame(first, held);

        cache.put(written(2, (byte) 2)); // evicts the first
        Segment third = written(3, (byte) 3);
        assertNotSame("the held segment's array is not reused", first.bytes, third.bytes);
        byte[] expected = new byte[4096];
        Arrays.fill(expected, (byte) 1);
        assertArrayEquals(expected, Arrays.copyOfRange(held.bytes, held.dataStart, held.dataStart + 4096));

        held.release();
        assertSame("free once the reader let go", first.bytes, written(4, (byte) 4).bytes);
    }

    @Test
    public void aDeletedSegmentNobodyReadsGivesItsArrayBackAtOnce() {
        SegmentCache cache = new SegmentCache(1 << 20);
        Segment s = written(1, (byte) 1);
        cache.put(s);
        cache.load(1, SegmentCacheTest::notInStore).join(); // a read-ahead takes no reference
        cache.remove(1);
        assertSame(s.bytes, written(2, (byte) 2).bytes);
        long[] counts = arrays.reusedAndAllocated();
        assertEquals("reused", 1, counts[0]);
        assertEquals("allocated", 1, counts[1]);
    }

    @Test
    public void aSegmentInAReusedArrayDecodesLikeOneInAFreshArray() {
        Segment big = written(1, (byte) 7);
        Arrays.fill(big.bytes, (byte) 0x5a); // what a previous segment left behind
        big.release();
        Segment reused = written(2, (byte) 9);
        assertSame(big.bytes, reused.bytes);
        Segment decoded = Segment.decode(Arrays.copyOf(reused.bytes, reused.length), VOLUME, 2);
        assertEquals(reused.entries, decoded.entries);
        byte[] expected = new byte[4096];
        Arrays.fill(expected, (byte) 9);
        assertArrayEquals(expected, Arrays.copyOfRange(decoded.bytes, decoded.dataStart, decoded.dataStart + 4096));
    }
}
