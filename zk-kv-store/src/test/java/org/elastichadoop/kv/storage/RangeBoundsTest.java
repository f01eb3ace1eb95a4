package org.elastichadoop.kv.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

/** The clamping rules of ranged reads, shared by the store and the coordinator, at the limits of their types. */
public class RangeBoundsTest {

    @Test
    public void offsetsAndLengthsAreCutToTheValue() {
        assertEquals(new RangeBounds(10, 5), RangeBounds.of(10, 5, 100));
        assertEquals(new RangeBounds(90, 10), RangeBounds.of(-10, 50, 100));
        assertEquals(new RangeBounds(0, 100), RangeBounds.of(-1000, Integer.MAX_VALUE, 100));
        assertEquals(new RangeBounds(100, 0), RangeBounds.of(100, 1, 100));
        assertEquals(new RangeBounds(100, 0), RangeBounds.of(Long.MAX_VALUE, Integer.MAX_VALUE, 100));
        assertEquals(new RangeBounds(0, 3), RangeBounds.of(Long.MIN_VALUE, 3, 100));
        assertEquals(new RangeBounds(0, 0), RangeBounds.of(-1, 10, 0));
    }

    @Test
    public void theLargestValuesDoNotOverflow() {
        int max = Integer.MAX_VALUE;
        assertEquals(new RangeBounds(max - 1, 1), RangeBounds.of(max - 1, max, max));
        assertEquals(new RangeBounds(0, max), RangeBounds.of(-(long) max, max, max));
        assertEquals(max, new RangeBounds(max - 1, 1).end());
    }

    @Test
    public void negativeLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RangeBounds.of(0, -1, 100));
        assertThrows(IllegalArgumentException.class, () -> RangeBounds.of(0, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new RangeBounds(-1, 1));
    }
}
