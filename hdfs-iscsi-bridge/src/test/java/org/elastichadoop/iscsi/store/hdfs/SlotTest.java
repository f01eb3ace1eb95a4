package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.Path;
import org.junit.Test;

import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** The packs holding a key's copies, kept without a list in the usual case of one. */
public class SlotTest {
    private final Pack a = new Pack(1, new Path("/g/a.pack"));
    private final Pack b = new Pack(2, new Path("/g/b.pack"));
    private final Pack c = new Pack(3, new Path("/g/c.pack"));

    @Test
    public void holdersAreKeptOnceEachInTheOrderTheyCame() {
        Slot s = new Slot();
        assertFalse(s.held());
        s.addHolder(a);
        s.addHolder(a);
        assertEquals(List.of(a), s.holders());
        assertFalse("only a holds it", s.heldElsewhereThan(a));
        s.addHolder(b);
        s.addHolder(c);
        s.addHolder(b);
        assertEquals(List.of(a, b, c), s.holders());
        assertTrue(s.heldElsewhereThan(a));
    }

    @Test
    public void removingTheFirstHolderLeavesTheOthersAndRemovingAllLeavesNone() {
        Slot s = new Slot();
        s.addHolder(a);
        s.addHolder(b);
        s.addHolder(c);
        s.removeHolder(a);
        assertEquals(List.of(b, c), s.holders());
        s.removeHolder(c);
        assertEquals(List.of(b), s.holders());
        assertFalse(s.heldElsewhereThan(b));
        s.removeHolder(b);
        assertFalse(s.held());
        assertEquals(List.of(), s.holders());
        s.removeHolder(b); // again: nothing to do
        s.addHolder(c);
        assertEquals(List.of(c), s.holders());
    }
}
