package org.elastichadoop.kv.storage;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class EvictTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static int crc(byte[] v) {
        CRC32C c = new CRC32C();
        c.update(v);
        return (int) c.getValue();
    }

    @Test
    public void anEvictedValueIsForgottenWithoutARecordAndMayBeStoredAgain() throws Exception {
        byte[] k = "handed-off".getBytes(StandardCharsets.UTF_8);
        byte[] v = "value".getBytes(StandardCharsets.UTF_8);
        byte[] gone = "gone".getBytes(StandardCharsets.UTF_8);
        try (LogStore s = LogStore.open(tmp.getRoot().toPath(), StoreOptions.defaults())) {
            s.put(k, ByteBuffer.wrap(v), crc(v)).get();
            s.delete(gone).get();
            long appends = s.stats().appends();
            assertTrue(s.evict(k));
            assertFalse("evicting twice finds nothing", s.evict(k));
            assertFalse("tombstones are never evicted", s.evict(gone));
            assertEquals("no record written", appends, s.stats().appends());
            assertNull(s.get(k));
            assertNull(s.meta(k));
            assertEquals(0, s.stats().entries());
            assertEquals(PutOutcome.STORED, s.put(k, ByteBuffer.wrap(v), crc(v)).get());
            assertArrayEquals(v, s.get(k).value());
        }
    }
}
