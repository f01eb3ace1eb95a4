package org.elastichadoop.kv.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SegmentTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void namesAreZeroPaddedSequenceNumbers() {
        assertEquals("00000000000000000042.seg", Segment.fileName(42, Segment.SEGMENT_SUFFIX));
        assertEquals(42, Segment.sequenceOf("00000000000000000042.seg", Segment.SEGMENT_SUFFIX));
        assertEquals(-1, Segment.sequenceOf("00000000000000000042.hint", Segment.SEGMENT_SUFFIX));
        assertEquals(-1, Segment.sequenceOf("0000000000000000004x.seg", Segment.SEGMENT_SUFFIX));
        assertEquals(-1, Segment.sequenceOf("42.seg", Segment.SEGMENT_SUFFIX));
    }

    @Test
    public void readsOfADeletedOrClosedSegmentReportItGone() throws Exception {
        Path dir = tmp.newFolder().toPath();
        Segment deleted = Segment.create(dir, 1, 0);
        deleted.append(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        Files.writeString(deleted.hintPath(), "hint");
        ByteBuffer dst = ByteBuffer.allocate(3);
        deleted.readFully(dst, 0);
        assertEquals(3, dst.position());

        deleted.delete();
        assertFalse(Files.exists(deleted.path()));
        assertFalse(Files.exists(deleted.hintPath()));
        assertThrows(SegmentGoneException.class, () -> deleted.readFully(ByteBuffer.allocate(3), 0));

        Segment closed = Segment.create(dir, 2, 3);
        closed.append(ByteBuffer.wrap(new byte[] {4}));
        closed.close();
        assertThrows(SegmentGoneException.class, () -> closed.readFully(ByteBuffer.allocate(1), 0));
        assertEquals(4, closed.endPosition());
    }
}
