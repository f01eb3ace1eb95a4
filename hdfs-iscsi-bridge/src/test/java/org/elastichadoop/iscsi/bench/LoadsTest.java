package org.elastichadoop.iscsi.bench;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.math.BigInteger;
import java.util.BitSet;
import org.junit.Test;

public class LoadsTest {
    @Test
    public void readsQemuImgBenchsRunTime() {
        String out = "Sending 16000 write requests, 1048576 bytes each, 16 in parallel (starting at offset 0, step size 1048576)\n"
                + "Run completed in 13.827 seconds.\n";
        assertEquals(13.827, Loads.parseRunSeconds(out), 0);
    }

    @Test
    public void readsIscsiPerfsFinalAverage() {
        // progress lines end in \r (CommandLog turns them into \n); the last average is the whole run's
        String out = "iscsi-perf version 0.1\n[OK] 1000 iops average 26000 (101 MB/s)\n[OK] 2000 iops average 27450 (107 MB/s)\n"
                + "Finished: 413000 requests, iops average 27533 (107 MB/s)\n";
        assertEquals(27533, Loads.parseIops(out));
    }

    @Test
    public void readsReadCapacity16() {
        String out = "Returned Logical Block Address:2097151\nLogical Block Length:512\n"
                + "RETURNED LOGICAL BLOCK ADDRESS:2097151\nLOGICAL BLOCK LENGTH IN BYTES:512\nTotal size:1073741824\n";
        assertArrayEquals(new long[]{512, 2097151}, Loads.parseCapacity(out));
        assertNull(Loads.parseCapacity("iscsi_connect failed"));
    }

    @Test
    public void theScatteredFillsStrideVisitsEveryBlockOnce() {
        for (long blocks : new long[]{3, 16, 1000, 65_536, 98_304, 262_144}) {
            long stride = Loads.stride(blocks);
            assertEquals("coprime with " + blocks, BigInteger.ONE, BigInteger.valueOf(stride).gcd(BigInteger.valueOf(blocks)));
            assertTrue("far apart: " + stride + " of " + blocks, blocks < 100 || (stride > blocks / 2 && stride < blocks * 3 / 4));
            BitSet seen = new BitSet((int) blocks);
            long offset = 0;
            for (long i = 0; i < blocks; i++) { // as qemu-img bench steps: offset += step, modulo the image size
                seen.set((int) offset);
                offset = (offset + stride) % blocks;
            }
            assertEquals(blocks, seen.cardinality());
        }
    }
}
