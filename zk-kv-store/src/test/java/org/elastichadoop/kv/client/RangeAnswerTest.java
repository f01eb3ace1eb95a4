package org.elastichadoop.kv.client;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.elastichadoop.kv.wire.RangePayload;
import org.elastichadoop.kv.wire.Status;
import org.junit.Test;

/** A ranged GET's answer is taken only when its lengths add up. */
public class RangeAnswerTest {

    private static byte[] answer(int valueLength, long offset, int bytes) {
        return new RangePayload(valueLength, 7, 8, offset, new byte[bytes]).encode();
    }

    private static void assertCorrupt(byte[] payload, int asked) {
        KvException e = assertThrows(KvException.class, () -> RangeAnswer.decode(payload, asked));
        assertEquals(e.getMessage(), Status.CORRUPT, e.status());
    }

    @Test
    public void consistentAnswersAreTaken() {
        ValueRange r = RangeAnswer.decode(new RangePayload(100, 7, 8, 10, new byte[] {1, 2, 3}).encode(), 3);
        assertEquals(100, r.valueLength());
        assertEquals(7, r.valueCrc());
        assertEquals(8, r.timestamp());
        assertEquals(10, r.offset());
        assertArrayEquals(new byte[] {1, 2, 3}, r.bytes());
        assertEquals("cut at the end", 5, RangeAnswer.decode(answer(100, 95, 5), 4096).bytes().length);
        assertEquals("at the end", 0, RangeAnswer.decode(answer(100, 100, 0), 10).bytes().length);
        assertEquals("zero length", 0, RangeAnswer.decode(answer(100, 50, 0), 0).bytes().length);
    }

    @Test
    public void inconsistentAnswersAreCorrupt() {
        assertCorrupt(new byte[10], 5);
        assertCorrupt(answer(100, 10, 6), 5);     // more than asked
        assertCorrupt(answer(100, 10, 4), 5);     // short, though not at the end
        assertCorrupt(answer(100, 98, 5), 5);     // past the end
        assertCorrupt(answer(100, 101, 0), 5);    // offset past the end
        assertCorrupt(answer(100, -1, 5), 5);     // unresolved offset
        assertCorrupt(answer(-1, 0, 0), 5);       // negative value length
    }
}
